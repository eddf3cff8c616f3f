-- Writes unplaced_counts of force $force (after the caller empties them): the records in temp
-- table placed (placed_records.sql) with no area, and those with no location, by reason.
insert into unplaced_counts
select $force, month, crime_type, reason, sum(crime_count)::integer
from (select month, crime_type, reason, crime_count from placed where area_id is null
      union all
      select month, crime_type, 'no location', crime_count from unlocated_counts where force_id = $force)
group by all order by all
