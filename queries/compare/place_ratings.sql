-- Returns the stored ratings of street measure $measure for every place at $level ('force' or
-- 'csp') from $first_month to $last_month (place_ratings, filled by the set-wise rating engine):
-- unit_id, month, value (the month's count), rag, variation, decided_by, way, mean (the usual level). Which places are
-- peers is the peer group's business (scrutiny.present.comparison), not this query's.
select unit_id, month, value, rag, variation, decided_by, way, mean
from place_ratings
where measure_id = $measure and level = $level
  and month between $first_month::date and $last_month::date
order by unit_id, month;
