-- Returns the data.police.uk crime types measure $measure adds up (crime_type), one a row; none for
-- a measure the office reports itself (source 'returns'), which street data cannot compare.
select ct.crime_type
from measures m
join measure_crime_types ct using (measure_id)
where m.measure_id = $measure and m.source = 'crime'
order by ct.crime_type;
