-- Returns every force with its count of $crime_type from $first_month to $last_month, its
-- population and its rate per 1,000 residents over those months: unit_id, unit_name, force_id,
-- force_name, is_home, is_demo_peer, csps, npas, crime_count, population, population_source, population_year,
-- rate_per_1000, months_with_data, months_in_period. The home force first.
with period_totals as (
    select area_id, sum(crime_count)::integer as crime_count, count(distinct month)::integer as months_with_data
    from area_month_totals
    where crime_type = $crime_type and month between $first_month::date and $last_month::date
    group by area_id
)
-- A force with no figures in the period is still listed (count null, 0 months), so the page can
-- say it was left out rather than drop it silently.
select a.area_id as unit_id, f.force_name as unit_name, f.force_id, f.force_name, f.is_home, f.is_demo_peer,
       null::varchar as csps, null::varchar as npas,
       t.crime_count, a.population, a.population_source, a.population_year,
       rate_per_1000(t.crime_count, a.population) as rate_per_1000,
       coalesce(t.months_with_data, 0) as months_with_data,
       (datediff('month', $first_month::date, $last_month::date) + 1)::integer as months_in_period
from areas a
join forces f using (force_id)
left join period_totals t using (area_id)
where a.area_level = 'force'
order by f.is_home desc, f.force_name;
