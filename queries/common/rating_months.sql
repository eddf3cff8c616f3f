-- Returns every month that has stored ratings, newest first (month). No parameters.
select distinct month
from ratings
order by month desc;
