-- Writes monthly_counts of the areas in temp table placed (placed_records.sql).
insert into monthly_counts
select area_id, crime_type, month, sum(crime_count)::integer
from placed where area_id is not null group by all order by all
