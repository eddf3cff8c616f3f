-- Returns the Plan for $month: every theme, objective and measure in order, with the office's own
-- status where an objective has one and the force-wide rating of each measure:
-- theme_id, theme_name, objective_id, objective_name, office_rag, office_reason, office_date,
-- measure_id, measure_name, description, unit, target, rag, explanation, and the rating's figures
-- behind the sentence that squares it with the year before (scrutiny/rate/story.py): improvement,
-- month, value, value_previous_year, change_pct, change_points, decided_by, window_first, window_last, step_change_month, decided_rule.
with force_area as (
    select area_id from home_areas where area_level = 'force'
),
force_ratings as (
    select r.measure_id, r.rag, r.explanation, r.month, r.value, r.value_previous_year, r.change_pct,
           r.change_points, r.decided_by, r.window_first, r.window_last,
           json_extract_string(r.evidence, '$.step_change.month') as step_change_month,
       json_extract_string(r.evidence, '$.rule') as decided_rule
    from ratings r
    where r.month = $month::date and r.area_id = (select area_id from force_area)
),
-- A database with no Police and Crime Plan loaded has measures but no themes or objectives
-- (scrutiny/load/target.py, crime_measures_only): its measures come last, with a null theme.
plan_rows as (
    select t.theme_id, t.theme_name, o.objective_id, o.objective_name, o.office_rag, o.office_reason,
           o.office_date, om.measure_id, t.sort_order as theme_order, o.sort_order as objective_order
    from plan_themes t
    join plan_objectives o using (theme_id)
    left join plan_objective_measures om using (objective_id)
    union all
    select null, null, null, null, null, null, null, m.measure_id, null, null
    from measures m
    where m.measure_id not in (select measure_id from plan_objective_measures)
)
select p.theme_id, p.theme_name, p.objective_id, p.objective_name,
       p.office_rag, p.office_reason, p.office_date,
       m.measure_id, m.measure_name, m.description, m.unit, m.target,
       coalesce(fr.rag, case when m.measure_id is not null then 'not rated' end) as rag,
       coalesce(fr.explanation, case when m.measure_id is not null then 'There are no figures for this month.' end) as explanation,
       m.improvement, fr.month, fr.value, fr.value_previous_year, fr.change_pct, fr.change_points, fr.decided_by,
       fr.window_first, fr.window_last, fr.step_change_month, fr.decided_rule
from plan_rows p
left join measures m using (measure_id)
left join force_ratings fr using (measure_id)
order by p.theme_order nulls last, p.objective_order, m.sort_order;
