-- Returns the step changes (month, reason) the plan records for the measure that counts exactly
-- $crime_type (e.g. the "All crime" or "Burglary" measure), so the Trends chart of that crime type
-- has the same phases as the Plan page's chart; none when no measure counts it alone.
with single_type_measures as (
    select measure_id
    from measure_crime_types
    group by measure_id
    having count(*) = 1 and any_value(crime_type) = $crime_type
)
select distinct s.month, s.reason
from measure_step_changes s
join single_type_measures using (measure_id)
order by s.month;
