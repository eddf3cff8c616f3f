-- Returns every month that has counts, newest first (month). No parameters.
select distinct month
from area_month_totals
order by month desc;
