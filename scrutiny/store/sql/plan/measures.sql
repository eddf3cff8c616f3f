-- Writes measures: the plan's measures, one a position of the lists $measure_ids, $names,
-- $units, $improvements, $descriptions, $targets, $measure_areas ('all' or 'force'),
-- $measure_sources ('crime' or 'returns'), $theme_ids and $sort_orders.
insert into measures
    (measure_id, measure_name, unit, improvement, description, target, areas, source, theme_id, sort_order)
select unnest($measure_ids), unnest($names), unnest($units), unnest($improvements), unnest($descriptions),
       unnest($targets), unnest($measure_areas), unnest($measure_sources), unnest($theme_ids), unnest($sort_orders)
