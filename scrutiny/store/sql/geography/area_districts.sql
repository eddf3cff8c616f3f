-- Writes area_districts rows of force $force: the districts (and so CSPs) each area covers, with
-- the share of the district's people in it: from LSOA populations where shipped, else shared
-- equally between the areas in the district.
insert into area_districts
with rules as (
    select * from area_rules where force_id = $force
),
measured as (
    select area_id, district_name,
           sum(population) / sum(sum(population)) over (partition by district_name) as share
    from shipped_lsoa_areas($force) group by area_id, district_name
),
-- an LSOA rule's district, from the LSOA's name in the records or the populations
lsoa_districts as (
    select distinct r.area_id, l.district_name
    from rules r join lsoa_counts l on l.lsoa_code = r.code
    where r.level = 'lsoa' and l.force_id = $force
    union
    select distinct r.area_id, p.district_name
    from rules r join lsoa_populations p on p.lsoa_code = r.code
    where r.level = 'lsoa'
),
pairs as (
    select area_id, code as district_name from rules where level = 'district'
    union
    select area_id, district_name from lsoa_districts
),
shared as (
    select p.area_id, p.district_name,
           coalesce(m.share, 1.0 / count(*) over (partition by p.district_name)) as share
    from pairs p left join measured m using (area_id, district_name)
)
select s.area_id, d.district_code, d.district_name, d.csp_code, d.csp_name, s.share
from shared s join districts d on d.lsoa_prefix = s.district_name
where s.share > 0
order by all
