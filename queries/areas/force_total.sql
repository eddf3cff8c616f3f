-- Returns the home force as a whole for $month and $crime_type beside the same month a year
-- before, one row: area_id, area_name (the force's own name, 'Leicestershire Police'),
-- crime_count, count_previous_year, change_pct, rate_per_1000, population, population_year.
-- Its counts are every record of the force in the files, placed in an area or not (02_rollups.sql).
with home_force as (
    select a.area_id, f.force_name, a.population, a.population_year
    from home_areas a
    join forces f using (force_id)
    where a.area_level = 'force'
),
compared as (
    select h.area_id, h.force_name, h.population, h.population_year,
           coalesce(n.crime_count, 0) as crime_count, p.crime_count as count_previous_year
    from home_force h
    left join area_month_totals n
        on n.area_id = h.area_id and n.crime_type = $crime_type and n.month = $month::date
    left join area_month_totals p
        on p.area_id = h.area_id and p.crime_type = $crime_type and p.month = $month::date - interval 12 month
)
select area_id, force_name as area_name, crime_count, count_previous_year,
       change_pct(crime_count, count_previous_year) as change_pct,
       rate_per_1000(crime_count, population) as rate_per_1000, population, population_year
from compared;
