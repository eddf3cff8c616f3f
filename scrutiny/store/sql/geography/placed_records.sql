-- Writes temp table placed: every LSOA count of force $force with its area by the area rules
-- (area_of_lsoa, 08_macros.sql), or the reason it has none (reason is read only where
-- area_id is null). A 2011 LSOA of a district abolished or renamed since ("Daventry 001A") is
-- read as its successor's (former_districts), so it is in that district's force, not unknown.
create or replace temp table placed as
with counts as (
    select l.month, l.crime_type, l.crime_count, l.lsoa_code,
           coalesce(now.lsoa_prefix, l.district_name) as district_name
    from lsoa_counts l
    left join former_districts f on f.former_name = l.district_name
    left join districts now on now.district_code = f.district_code
    where l.force_id = $force
)
select c.month, c.crime_type, c.crime_count,
       area_of_lsoa($force, c.lsoa_code, c.district_name) as area_id,
       case when d.lsoa_prefix is null then 'unknown district'
            when d.force_id <> $force then 'outside the force'
            else 'no area rule' end as reason
from counts c
left join districts d on d.lsoa_prefix = c.district_name
