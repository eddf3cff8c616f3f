-- Returns the number of values of measure $measure in force $force's areas.
select count(*)
from measure_values join areas using (area_id)
where force_id = $force and measure_id = $measure
