-- Returns the populations behind the home force's rates: population_year, population_source and
-- the number of areas using each (areas). No parameters.
select population_year, population_source, count(*) as areas
from home_areas
where population is not null
group by all
order by population_year, population_source;
