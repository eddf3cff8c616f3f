-- Writes lsoa_populations from the shipped Census 2021 LSOA files $files (after the caller
-- empties it), with each LSOA's district by lsoa_district (08_macros.sql).
insert into lsoa_populations
select lsoa_code, lsoa_district(lsoa_name), population::integer
from read_csv($files, header = true, all_varchar = true)
