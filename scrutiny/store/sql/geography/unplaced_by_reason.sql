-- Returns force $force's records not placed in an area, by reason: reason, records.
select reason, sum(crime_count)
from unplaced_counts
where force_id = $force
group by reason
order by reason
