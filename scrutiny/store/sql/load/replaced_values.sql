-- Writes measure_values without the values that temp table new_values (new_values.sql or
-- charge_rates.sql) replaces: those of the same measure, area and month.
delete from measure_values v using new_values n
where v.measure_id = n.measure_id and v.area_id = n.area_id and v.month = n.month
