-- Returns every area, the force first and then its NPAs (area_id, area_name, area_level, population). No parameters.
select area_id, area_name, area_level, population
from areas
order by area_level = 'npa', sort_order, area_name;
