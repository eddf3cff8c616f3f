-- Writes measure_values from demo_measure_values, the demo's synthetic values (a frame
-- registered by the caller with measure_values' columns and more).
insert into measure_values
select measure_id, area_id, month, value, denominator
from demo_measure_values
order by all
