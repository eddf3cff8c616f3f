-- Returns the stored rating of $measure in $area for $month, with the measure's details:
-- measure_name, description, unit, improvement, target, area_name, rag, variation, assurance,
-- decided_by, value, window_first, window_last, explanation, evidence, month, value_previous_year,
-- change_pct, change_points.
select m.measure_name, m.description, m.unit, m.improvement, m.target, a.area_name,
       r.rag, r.variation, r.assurance, r.decided_by, r.value, r.window_first, r.window_last,
       json_extract_string(r.evidence, '$.step_change.month') as step_change_month,
       json_extract_string(r.evidence, '$.rule') as decided_rule,
       r.explanation, r.evidence, r.month, r.value_previous_year, r.change_pct, r.change_points
from ratings r
join measures m using (measure_id)
join areas a using (area_id)
where r.measure_id = $measure and r.area_id = $area and r.month = $month::date;
