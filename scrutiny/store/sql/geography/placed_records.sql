-- Writes temp table placed: every LSOA count of force $force with its area by the area rules
-- (area_of_lsoa, 08_macros.sql), or the reason it has none (reason is read only where
-- area_id is null).
create or replace temp table placed as
select l.month, l.crime_type, l.crime_count,
       area_of_lsoa($force, l.lsoa_code, l.district_name) as area_id,
       case when d.lsoa_prefix is null then 'unknown district'
            when d.force_id <> $force then 'outside the force'
            else 'no area rule' end as reason
from lsoa_counts l
left join districts d on d.lsoa_prefix = l.district_name
where l.force_id = $force
