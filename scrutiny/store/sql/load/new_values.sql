-- Writes temp table new_values (measure_values' columns): returns' values, one a position of
-- the lists $measure_ids, $area_ids, $months, $values and $denominators.
create or replace temp table new_values as
select unnest($measure_ids) as measure_id, unnest($area_ids) as area_id, unnest($months) as month,
       unnest($values) as value, unnest($denominators) as denominator
