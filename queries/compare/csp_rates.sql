-- Returns every Community Safety Partnership (CSP) of every force with its count of $crime_type
-- from $first_month to $last_month, its population and its rate per 1,000 residents over those
-- months: unit_id, unit_name, force_id, force_name, is_home, is_demo_peer, csps, npas,
-- crime_count, population, population_source, population_year, rate_per_1000, months_with_data,
-- months_in_period, area_ids (the areas the unit is made of, '; ' between them: for the map).
-- The home force first.
-- A force loaded as neighbourhood policing areas (NPAs), as the home force is, has no CSP-level
-- areas; its NPAs are grouped into the smallest units made of whole CSPs (Leicester's three city
-- NPAs make the Leicester CSP; Hinckley and Blaby NPA covers two whole CSPs), so that every unit
-- compared is one or more whole CSPs. For such a unit, csps names the CSPs it covers and npas the
-- NPAs it is made of ('; ' between names); both are null for a force's own CSP-level areas.
with forces_with_csps as (
    select distinct force_id from areas where area_level = 'csp'
),
npa_csps as (
    select area_id, string_agg(distinct csp_name, '; ' order by csp_name) as csps,
           count(distinct csp_name) as csp_count
    from area_districts
    group by area_id
),
-- NPAs covering the same set of CSPs form one unit; an NPA with no district mapping stands alone.
npa_members as (
    select a.force_id, coalesce(c.csps, a.area_id) as unit_key, a.area_id, a.area_name, a.sort_order,
           a.population, a.population_source, a.population_year, c.csps, coalesce(c.csp_count, 0) as csp_count
    from areas a
    left join npa_csps c using (area_id)
    where a.area_level = 'npa' and a.force_id not in (select force_id from forces_with_csps)
),
npa_units as (
    select force_id || ':' || unit_key as unit_id, force_id,
           case when any_value(csp_count) = 1 then any_value(csps)
                else string_agg(area_name, ' + ' order by sort_order) end as unit_name,
           any_value(csps) as csps, string_agg(area_name, '; ' order by sort_order) as npas,
           sum(population)::integer as population, string_agg(distinct population_source, '; ') as population_source,
           max(population_year) as population_year,
           min(sort_order) as sort_order
    from npa_members
    group by force_id, unit_key
),
members as (
    select force_id || ':' || unit_key as unit_id, area_id from npa_members
    union all
    select area_id, area_id from areas where area_level = 'csp'
),
units as (
    select unit_id, force_id, unit_name, csps, npas, population, population_source, population_year, sort_order
    from npa_units
    union all
    select area_id, force_id, area_name, null, null, population, population_source, population_year, sort_order
    from areas where area_level = 'csp'
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
