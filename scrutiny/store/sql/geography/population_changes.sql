-- Returns how the areas $area_ids would change with $populations, $sources and $years (the same
-- lists as area_populations.sql, read before it writes them): changed = areas whose number of
-- residents differs; relabelled = areas whose number is the same but whose source or year is
-- not. Kept apart because a new file with the same figures changes no rate.
with n as (
    select unnest($area_ids) as area_id, unnest($populations) as population,
           unnest($sources) as source, unnest($years) as year
)
select count(*) filter (where a.population is distinct from n.population)::integer as changed,
       count(*) filter (where a.population is not distinct from n.population
                        and (a.population_source, a.population_year) is distinct from (n.source, n.year))::integer
           as relabelled
from areas a join n using (area_id)
