-- Writes plan_objectives: the plan's objectives, one a position of the lists $objective_ids,
-- $theme_ids, $objective_names, $office_rags, $office_reasons and $office_dates (the office's
-- own rating of an objective with no measure, or nulls) and $sort_orders.
insert into plan_objectives
    (objective_id, theme_id, objective_name, office_rag, office_reason, office_date, sort_order)
select unnest($objective_ids), unnest($theme_ids), unnest($objective_names), unnest($office_rags),
       unnest($office_reasons), unnest($office_dates), unnest($sort_orders)
