-- Writes temp table new_values (measure_id, area_id, month, value, denominator): force $force's
-- monthly charge or summons rate as measure $measure, from its street files' last outcomes: of
-- the records whose outcome is in $charged or $not_charged (those that settle the question),
-- the percentage in $charged.
create or replace temp table new_values as
select $measure as measure_id, $force as area_id, month,
       -- a month with no charge at all is a rate of 0, not a missing value
       100.0 * coalesce(sum(crime_count) filter (where list_contains($charged, outcome)), 0) / sum(crime_count) as value,
       sum(crime_count)::double as denominator
from outcome_counts
where force_id = $force and basis = 'last outcome'
  and (list_contains($charged, outcome) or list_contains($not_charged, outcome))
group by month
having sum(crime_count) > 0
