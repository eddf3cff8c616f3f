-- Writes former_districts from the shipped lookup $former_path (data/areas/former_districts.csv), after
-- the caller empties it.
insert into former_districts
select former_name, district_code, district_name, nullif(year, '')::integer, change
from read_csv($former_path, header = true, all_varchar = true)
