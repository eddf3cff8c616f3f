-- Returns every Community Safety Partnership (CSP) of every force with its count of $crime_type
-- from $first_month to $last_month, its population and its rate per 1,000 residents over those
-- months: unit_id, unit_name, force_id, force_name, is_home, is_demo_peer, csps, npas,
-- crime_count, population, population_source, population_year, rate_per_1000, months_with_data,
-- months_in_period, area_ids (the areas the unit is made of, '; ' between them: for the map).
-- The home force first.
-- A force loaded as neighbourhood policing areas (NPAs), as the home force is, has no CSP-level
-- areas; its NPAs are grouped into the smallest units made of whole CSPs, so that every unit
-- compared is one or more whole CSPs. For such a unit, csps names the CSPs it covers and npas the
-- NPAs it is made of ('; ' between names); both are null for a force's own CSP-level areas.
-- The units and the areas they are made of are the views partnership_units and
-- partnership_unit_areas (scrutiny/store/schema/10_place_ratings.sql), which the place ratings read too.
with members as (
    select unit_id, area_id from partnership_unit_areas
),
units as (
    select unit_id, force_id, unit_name, csps, npas, population, population_source, population_year, sort_order
    from partnership_units
),
period_totals as (
    select m.unit_id, sum(t.crime_count)::integer as crime_count, count(distinct t.month)::integer as months_with_data
    from members m
    join area_month_totals t using (area_id)
    where t.crime_type = $crime_type and t.month between $first_month::date and $last_month::date
    group by m.unit_id
)
select u.unit_id, u.unit_name, f.force_id, f.force_name, f.is_home, f.is_demo_peer, u.csps, u.npas,
       t.crime_count, u.population, u.population_source, u.population_year,
       rate_per_1000(t.crime_count, u.population) as rate_per_1000,
       coalesce(t.months_with_data, 0) as months_with_data,
       (datediff('month', $first_month::date, $last_month::date) + 1)::integer as months_in_period,
       m.area_ids
from units u
join forces f using (force_id)
left join period_totals t using (unit_id)
left join (select unit_id, string_agg(area_id, '; ' order by area_id) as area_ids from members group by unit_id) m
    using (unit_id)
order by f.is_home desc, f.force_name, u.sort_order, u.unit_name;
