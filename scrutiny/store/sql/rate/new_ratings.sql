-- Writes ratings from new_ratings, the ratings computed in Python (a frame registered by the
-- caller, months as Months, which DuckDB reads as DATEs, and evidence as JSON text).
insert into ratings
select measure_id, area_id, month, rag, variation, assurance, decided_by,
       value, value_previous_year, change_pct, change_points, p_value,
       window_first, window_last,
       mean, lower_limit, upper_limit, explanation, evidence::json
from new_ratings
order by measure_id, area_id, month
