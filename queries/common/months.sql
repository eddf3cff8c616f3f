-- Returns every month that has counts for the home force, newest first (month). No parameters.
-- Other forces' months are left out: a month only they have would show the home force as empty.
select distinct t.month
from area_month_totals t
join home_areas a using (area_id)
order by t.month desc;
