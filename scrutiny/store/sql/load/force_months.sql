-- Writes table force_months (kind, force_id, month) in the staging database: the force-months
-- that each kind of file staged replaces, from street_groups, outcome_groups and file_forces.
create table force_months as
select distinct ff.kind, ff.force_id, strptime(g.month_text, '%Y-%m')::date as month
from (select distinct file, month_text from street_groups
      union select distinct file, month_text from outcome_groups) g
join file_forces ff using (file)
