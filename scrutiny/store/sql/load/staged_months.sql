-- Writes temp table staged_months (month_text, month): each distinct month text of the attached
-- staging database read once, rather than once per row.
create or replace temp table staged_months as
select month_text, strptime(month_text, '%Y-%m')::date as month
from (select distinct month_text from staging.street_groups
      union select distinct month_text from staging.outcome_groups)
