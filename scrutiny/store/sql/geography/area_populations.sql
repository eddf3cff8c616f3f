-- Writes population, population_source and population_year of the areas $area_ids (with
-- $populations, $sources and $years, in the same order), changing only those whose figures
-- differ (DuckDB gives the number changed). No RETURNING: with it DuckDB rewrites the update of
-- an area that other tables refer to as a delete and an insert, which the foreign keys refuse.
update areas a
set population = n.population, population_source = n.source, population_year = n.year
from (select unnest($area_ids) as area_id, unnest($populations) as population,
             unnest($sources) as source, unnest($years) as year) n
where a.area_id = n.area_id
  and (a.population, a.population_source, a.population_year) is distinct from (n.population, n.source, n.year)
