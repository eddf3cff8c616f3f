-- Returns the area of force $force (area_of_lsoa) of each LSOA of the lists $codes and
-- $districts (its district): lsoa, area_id (null where no rule places it).
select lsoa, area_of_lsoa($force, lsoa, district)
from (select unnest($codes) as lsoa, unnest($districts) as district)
