-- Returns the series the place ratings rate: for each force (its force-level area) and each
-- partnership unit (the view partnership_units), each street measure (the frame
-- street_measure_types, measure_id and crime_type, registered by the caller) and each month its
-- force has figures for: unit_id, level ('force' or 'csp'), force_id, measure_id, month, value.
-- A month of the force's with no crimes of the measure in the unit is a row with 0 (a zero is a
-- figure); a month the force has no files for has no row (a gap, never a zero).
with units as (
    select area_id as unit_id, 'force' as level, force_id from areas where area_level = 'force'
    union all
    select unit_id, 'csp', force_id from partnership_units
),
members as (
    select area_id as unit_id, area_id from areas where area_level = 'force'
    union all
    select unit_id, area_id from partnership_unit_areas
),
force_months as (
    select distinct a.force_id, t.month
    from area_month_totals t
    join areas a using (area_id)
    where a.area_level = 'force'
),
counts as (
    select m.unit_id, s.measure_id, t.month, sum(t.crime_count) as value
    from members m
    join area_month_totals t using (area_id)
    join street_measure_types s using (crime_type)
    group by all
)
select u.unit_id, u.level, u.force_id, s.measure_id, f.month, coalesce(c.value, 0)::double as value
from units u
join force_months f using (force_id)
cross join (select distinct measure_id from street_measure_types) s
left join counts c on c.unit_id = u.unit_id and c.measure_id = s.measure_id and c.month = f.month
order by u.unit_id, s.measure_id, f.month
