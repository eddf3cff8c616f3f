-- Writes temp table new_populations (populations' columns): one population file's figures, of
-- level $level, year $year and source file $source, one a position of the lists $codes,
-- $names and $people.
create or replace temp table new_populations as
select $level as level, unnest($codes) as code, unnest($names) as name, unnest($people) as population,
       $year as year, $source as source
