-- Writes districts from the shipped district lookup $path (data/areas/districts.csv), after the
-- caller empties it.
insert into districts
select district_code, district_name, lsoa_prefix, nullif(csp_code, ''), csp_name, force_id,
       force_area_name, population
from read_csv($path, header = true, all_varchar = true)
