-- Writes ratings from new_ratings, the ratings computed in Python (a frame registered by the
-- caller, months as 'YYYY-MM' text and evidence as JSON text).
insert into ratings
select measure_id, area_id, strptime(month, '%Y-%m')::date, rag, variation, assurance, decided_by,
       value, value_previous_year, change_pct, change_points, p_value,
       strptime(window_first, '%Y-%m')::date, strptime(window_last, '%Y-%m')::date,
       mean, lower_limit, upper_limit, explanation, evidence::json
from new_ratings
order by measure_id, area_id, month
