-- Returns the ratings that moved between $since and $month, with both explanations:
-- measure_name, area_name, rag_before, rag_now, explanation_before, explanation_now.
with before as (
    select measure_id, area_id, rag, explanation from ratings where month = $since::date
),
now as (
    select measure_id, area_id, rag, explanation from ratings where month = $month::date
)
select m.measure_name, a.area_name, b.rag as rag_before, n.rag as rag_now,
       b.explanation as explanation_before, n.explanation as explanation_now
from now n
join before b using (measure_id, area_id)
join measures m using (measure_id)
join home_areas a using (area_id)
where n.rag <> b.rag
order by m.sort_order, a.area_level <> 'force', a.sort_order;
