-- Writes temp table staged_names (lsoa_name, district_name): each distinct LSOA name of the
-- attached staging database with its district (lsoa_district), worked out once, not once per row.
create or replace temp table staged_names as
select lsoa_name, lsoa_district(lsoa_name) as district_name
from (select distinct lsoa_name from staging.street_groups where by_lsoa and lsoa_name is not null)
