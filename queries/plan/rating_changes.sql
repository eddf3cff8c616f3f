-- Returns the ratings that moved between $since and $month, with both explanations:
-- measure_name, area_name, target, rag_before, rag_now, explanation_before, explanation_now, and each month's
-- figures behind the sentence that squares its rating with the year before (scrutiny/rate/story.py):
-- unit, improvement, month, value, value_previous_year, change_pct, change_points, decided_by,
-- window_first, window_last, step_change_month, decided_rule, each with the suffix _before or _now;
-- and what the sentence of why it changed is drawn from (scrutiny/present/change_reason.py):
-- variation, latest_pattern, run_length, with the same suffixes.
with before as (
    select * from ratings where month = $since::date
),
now as (
    select * from ratings where month = $month::date
)
select m.measure_name, a.area_name, m.target, b.rag as rag_before, n.rag as rag_now,
       b.explanation as explanation_before, n.explanation as explanation_now,
       m.unit as unit_before, m.improvement as improvement_before, m.unit as unit_now,
       m.improvement as improvement_now,
       b.month as month_before, b.value as value_before, b.value_previous_year as value_previous_year_before,
       b.change_pct as change_pct_before, b.change_points as change_points_before,
       b.decided_by as decided_by_before, b.window_first as window_first_before, b.window_last as window_last_before,
       json_extract_string(b.evidence, '$.step_change.month') as step_change_month_before,
       json_extract_string(b.evidence, '$.rule') as decided_rule_before,
       b.variation as variation_before, json_extract_string(b.evidence, '$.latest_pattern') as latest_pattern_before,
       coalesce(json_extract(b.evidence, '$.run_length')::integer, 0) as run_length_before,
       n.month as month_now, n.value as value_now, n.value_previous_year as value_previous_year_now,
       n.change_pct as change_pct_now, n.change_points as change_points_now,
       n.decided_by as decided_by_now, n.window_first as window_first_now, n.window_last as window_last_now,
       json_extract_string(n.evidence, '$.step_change.month') as step_change_month_now,
       json_extract_string(n.evidence, '$.rule') as decided_rule_now,
       n.variation as variation_now, json_extract_string(n.evidence, '$.latest_pattern') as latest_pattern_now,
       coalesce(json_extract(n.evidence, '$.run_length')::integer, 0) as run_length_now
from now n
join before b using (measure_id, area_id)
join measures m using (measure_id)
join home_areas a using (area_id)
where n.rag <> b.rag
order by m.sort_order, a.area_level <> 'force', a.sort_order;
