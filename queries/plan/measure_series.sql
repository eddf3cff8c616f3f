-- Returns the monthly values of $measure in $area up to $month (month, value), oldest first.
select month, value
from measure_series
where measure_id = $measure and area_id = $area and month <= $month::date
order by month;
