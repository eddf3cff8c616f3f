-- Writes measure_values without measure $measure's values in force $force's areas: a demo's
-- synthetic figures, which the force's imported ones replace.
delete from measure_values
where measure_id = $measure and area_id in (select area_id from areas where force_id = $force)
