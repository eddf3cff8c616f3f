-- Returns every measure's rating in every area it applies to for $month:
-- measure_id, measure_name, area_id, area_name, area_level, rag, decided_by, explanation.
select m.measure_id, m.measure_name, a.area_id, a.area_name, a.area_level, r.rag, r.decided_by, r.explanation
from ratings r
join measures m using (measure_id)
join home_areas a using (area_id)
where r.month = $month::date
order by m.sort_order, a.area_level <> 'force', a.sort_order;
