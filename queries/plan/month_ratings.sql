-- Returns every stored rating of a month, in plan order, force first (measure_name, area_name,
-- rag, variation, assurance, explanation). Parameters: $month.
select m.measure_name, a.area_name, r.rag, r.variation, r.assurance, r.explanation
from ratings r
join measures m using (measure_id)
join areas a using (area_id)
where r.month = $month
order by m.sort_order, m.measure_name, a.area_level = 'npa', a.sort_order;
