-- Returns every crime type (and "All crime") for area $area and $month beside the same month a
-- year before: crime_type, crime_count, count_previous_year, change_pct, z, notable.
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
       round(100.0 * (crime_count - count_previous_year) / nullif(count_previous_year, 0), 1) as change_pct,
       round(2 * (sqrt(crime_count) - sqrt(count_previous_year)), 2) as z,
       coalesce(abs(2 * (sqrt(crime_count) - sqrt(count_previous_year))) >= 2, false) as notable
from compared
order by crime_type = 'All crime' desc, abs(z) desc nulls last, crime_type;
