-- Writes outcome_counts from the attached staging database: street files' last outcomes by crime
-- type, and outcomes files' outcomes (after staged_months.sql and staged_names.sql).
insert into outcome_counts
select ff.force_id, m.month, 'last outcome', g.crime_type, g.outcome, sum(g.n)::integer
from staging.street_groups g join staging.file_forces ff using (file) join staged_months m using (month_text)
where not g.by_lsoa and g.outcome is not null
group by all
union all
-- outcomes files have no crime type; a row without an outcome type says nothing
select ff.force_id, m.month, 'outcomes file', null, o.outcome, sum(o.n)::integer
from staging.outcome_groups o join staging.file_forces ff using (file) join staged_months m using (month_text)
where o.outcome is not null
group by all
