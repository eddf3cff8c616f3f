-- Writes monthly_counts from peer_counts, the synthetic peer forces' counts (a frame registered
-- by the caller, months as timestamps).
insert into monthly_counts
select area_id, crime_type, month::date, crime_count
from peer_counts
order by all
