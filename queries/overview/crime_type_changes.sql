-- Returns every crime type (and "All crime") for area $area and $month beside the same month a
-- year before: crime_type, crime_count, count_previous_year, change_pct. Counts only: the year-on-year
-- test is added in Python (scrutiny/rate/yoy.py), the one implementation every page uses.
with this_month as (
    select crime_type, crime_count
    from area_month_totals
    where area_id = $area and month = $month::date
),
last_year as (
    select crime_type, crime_count
    from area_month_totals
    where area_id = $area and month = $month::date - interval 12 month
),
compared as (
    select n.crime_type, n.crime_count, p.crime_count as count_previous_year
    from this_month n
    left join last_year p using (crime_type)
)
select crime_type, crime_count, count_previous_year,
       change_pct(crime_count, count_previous_year) as change_pct
from compared
order by crime_type = 'All crime' desc, crime_type;
