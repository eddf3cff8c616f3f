-- Returns each LSOA of area $area_id with its count of $crime_type from $first_month to $last_month,
-- and its shape or centroid where one is loaded: lsoa_code, lsoa_name, crime_count, in_use,
-- geometry, geometry_type, label_lon, label_lat (the last four null where none is loaded).
-- in_use is false for a code with no record of any crime type in the period: an LSOA of the
-- other vintage (a 2011 code ended in 2021, in 2024's files), not a place with no crime. An LSOA
-- belongs to the area by the force's area rules, as its records do (the area_of_lsoa macro of
-- the schema). Empty unless the force's records were imported from data.police.uk files, which
-- are kept by LSOA; an LSOA of the area with no records in the period has a count of 0.
with area as (
    select area_id, force_id from areas where area_id = $area_id
),
used as (
    select distinct c.lsoa_code
    from lsoa_counts c
    join area using (force_id)
    where c.month between $first_month::date and $last_month::date
),
counted as (
    select c.lsoa_code, any_value(c.lsoa_name) as lsoa_name, any_value(c.district_name) as district_name,
           sum(c.crime_count)::integer as crime_count
    from lsoa_counts c
    join area using (force_id)
    join crime_types t using (crime_type)
    where c.month between $first_month::date and $last_month::date
      and (c.crime_type = $crime_type or ($crime_type = 'All crime' and t.in_all_crime))
    group by c.lsoa_code
),
shapes as (
    select code as lsoa_code, name as lsoa_name, lsoa_district(name) as district_name,
           geometry, geometry_type, label_lon, label_lat
    from boundaries
    where level = 'lsoa'
),
lsoas as (
    select lsoa_code,
           coalesce(s.lsoa_name, c.lsoa_name) as lsoa_name,
           coalesce(s.district_name, c.district_name, p.district_name) as district_name,
           coalesce(c.crime_count, 0) as crime_count,
           s.geometry, s.geometry_type, s.label_lon, s.label_lat
    from shapes s
    full join counted c using (lsoa_code)
    left join lsoa_populations p using (lsoa_code)
)
select l.lsoa_code, coalesce(l.lsoa_name, l.lsoa_code) as lsoa_name, l.crime_count,
       l.lsoa_code in (select lsoa_code from used) as in_use, l.geometry, l.geometry_type, l.label_lon, l.label_lat
from lsoas l
cross join area a
where area_of_lsoa(a.force_id, l.lsoa_code, l.district_name) = $area_id
  and exists (select 1 from lsoa_counts c join area using (force_id))
order by l.crime_count desc, l.lsoa_code;
