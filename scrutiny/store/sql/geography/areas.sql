-- Writes areas: force $force's areas from temp table new_areas (new_areas.sql), the force area
-- alone where $parents (it goes first: the others refer to it), the others where not, with
-- population source $source and Census 2021 as the population year.
insert into areas
select area_id, area_name, area_level, parent_id, $force, population, $source, sort_order,
       2021 as population_year
from new_areas
where (parent_id is null) = $parents
order by sort_order
