-- Returns the home force's areas, the force first and then its NPAs (area_id, area_name, area_level, population). No parameters.
select area_id, area_name, area_level, population
from home_areas
order by area_level <> 'force', sort_order, area_name;
