-- Returns the stored rating, for $area and $month, of every measure that counts one crime type
-- (so it stands beside that crime type's year-on-year figures): crime_type, measure_id,
-- measure_name, unit, improvement, month, rag, variation, assurance, decided_by, value,
-- value_previous_year, change_pct, change_points, window_first, window_last, explanation, step_change_month (the latest phase's step change, if any), decided_rule.
with single_type_measures as (
    select measure_id, any_value(crime_type) as crime_type
    from measure_crime_types
    group by measure_id
    having count(*) = 1
)
select s.crime_type, m.measure_id, m.measure_name, m.unit, m.improvement, r.month, r.rag, r.variation,
       r.assurance, r.decided_by, r.value, r.value_previous_year, r.change_pct, r.change_points,
       r.window_first, r.window_last, r.explanation,
       json_extract_string(r.evidence, '$.step_change.month') as step_change_month,
       json_extract_string(r.evidence, '$.rule') as decided_rule
from single_type_measures s
join measures m using (measure_id)
join ratings r using (measure_id)
where r.area_id = $area and r.month = $month::date
order by m.sort_order;
