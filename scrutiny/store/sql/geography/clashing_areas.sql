-- Returns the name of the first area in temp table new_areas (new_areas.sql) with the name or
-- id of an area of a force other than $force, or no row when there is none.
select n.area_name
from new_areas n join areas a on a.area_name = n.area_name or a.area_id = n.area_id
where a.force_id <> $force
limit 1
