-- Returns every rated month of $measure in $area up to $month with whether it is provisional
-- (month, provisional), oldest first: a provisional month's outcomes were still being recorded, so
-- its stored rating is 'not rated' for that reason (scrutiny/rate/provisional.py).
select month, decided_by = 'outcomes_pending' as provisional
from ratings
where measure_id = $measure and area_id = $area and month <= $month::date
order by month;
