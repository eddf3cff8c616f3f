-- Writes temp table new_areas: the force area of $force and one area per area_id of its rules,
-- with Census 2021 populations (area_id, area_name, area_level, parent_id, population, sort_order).
create or replace temp table new_areas as
with rules as (
    select * from area_rules where force_id = $force
),
from_lsoas as (
    select area_id, sum(population) as population from shipped_lsoa_areas($force)
    where area_id is not null group by all
),
-- districts whose LSOAs have no shipped populations count whole
from_districts as (
    select r.area_id, sum(d.population) as population
    from rules r join districts d on d.lsoa_prefix = r.code
    where r.level = 'district' and r.code not in (select district_name from lsoa_populations)
    group by all
),
-- an area with LSOA rules but none of its LSOAs in the shipped populations: unknown
unknown as (
    select area_id from rules where level = 'lsoa' group by area_id
    having count(*) filter (where code in (select lsoa_code from lsoa_populations)) = 0
),
npas as (
    select r.area_id, any_value(r.area_name) as area_name, any_value(r.area_level) as area_level,
           case when r.area_id in (select area_id from unknown) then null
                else nullif(coalesce(any_value(l.population), 0) + coalesce(any_value(d.population), 0), 0)
           end::integer as population
    from rules r
    left join from_lsoas l using (area_id)
    left join from_districts d using (area_id)
    group by r.area_id
),
force_area as (
    select $force as area_id, any_value(force_area_name) as area_name, 'force' as area_level,
           sum(population)::integer as population
    from districts where force_id = $force
)
select area_id, area_name, area_level, null as parent_id, population, 0 as sort_order from force_area
union all
-- a force of one district (City of London) has a CSP of the force's own name: names are unique
select area_id,
       case when area_name = (select area_name from force_area) then area_name || ' (CSP)' else area_name end,
       area_level, $force, population, row_number() over (order by area_name)::integer
from npas
