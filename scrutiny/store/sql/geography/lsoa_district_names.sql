-- Returns every LSOA code the database knows with the district its name names (null where the
-- name has no " 001A" suffix) and where the name came from, 1 first: code, district, source.
-- 1 LSOA boundaries and 2 populations as imported, 3 the shipped 2021 LSOA populations, 4
-- data.police.uk records.
select code, nullif(lsoa_district(name), name), 1 as source from boundaries where level = 'lsoa' and name is not null
union all
select code, nullif(lsoa_district(name), name), 2 from populations where level = 'lsoa' and name is not null
union all
select lsoa_code, district_name, 3 from lsoa_populations
union all
select distinct lsoa_code, nullif(lsoa_district(lsoa_name), lsoa_name), 4 from lsoa_counts
