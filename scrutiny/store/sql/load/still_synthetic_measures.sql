-- Returns each measure with values still synthetic, in a demonstration database (no return has
-- claimed them for the value's force): measure_name, values, first and last month.
select m.measure_name, count(*), min(v.month), max(v.month)
from measure_values v join measures m using (measure_id) join areas a using (area_id)
where not exists (select 1 from imported_series s where s.force_id = a.force_id and s.series = v.measure_id)
group by m.measure_name, m.sort_order order by m.sort_order
