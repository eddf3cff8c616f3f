-- Returns each of the home force's areas (NPAs) for $month and $crime_type beside the same month a year before:
-- area_id, area_name, crime_count, count_previous_year, change_pct, rate_per_1000,
-- population and population_year (the year the population counts people; rates use it).
-- Counts only: whether a change is notable is added in Python (scrutiny/rate/yoy.py).
with this_month as (
    select t.area_id, t.crime_count
    from area_month_totals t
    where t.month = $month::date and t.crime_type = $crime_type
),
last_year as (
    select t.area_id, t.crime_count
    from area_month_totals t
    where t.month = $month::date - interval 12 month and t.crime_type = $crime_type
),
compared as (
    select a.area_id, a.area_name, a.population, a.population_year, a.sort_order,
           coalesce(n.crime_count, 0) as crime_count,
           p.crime_count as count_previous_year
    from home_areas a
    left join this_month n using (area_id)
    left join last_year p using (area_id)
    where a.area_level <> 'force'
),
scored as (
    select *,
           change_pct(crime_count, count_previous_year) as change_pct,
           rate_per_1000(crime_count, population) as rate_per_1000
    from compared
)
select area_id, area_name, crime_count, count_previous_year, change_pct, rate_per_1000,
       population, population_year
from scored
order by change_pct nulls last, sort_order;
