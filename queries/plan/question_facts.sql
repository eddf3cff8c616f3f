-- Returns every stored rating of $month in the home force's areas with the facts its question is
-- drafted from (the same stored figures its explanation was written from), and its rating at
-- $since (rag_before; null when $since is null or had none): measure_id, measure_name, unit,
-- improvement, target, area_id, area_name, area_level, rag, rag_before, decided_by, month, value,
-- lower_limit, upper_limit, variation, latest_pattern, run_length. Plan order, force first.
with before as (
    select measure_id, area_id, rag as rag_before
    from ratings
    where month = $since::date
)
select m.measure_id, m.measure_name, m.unit, m.improvement, m.target,
       a.area_id, a.area_name, a.area_level,
       r.rag, b.rag_before, r.decided_by, r.month, r.value, r.lower_limit, r.upper_limit, r.variation,
       json_extract_string(r.evidence, '$.latest_pattern') as latest_pattern,
       coalesce(json_extract(r.evidence, '$.run_length')::integer, 0) as run_length
from ratings r
join measures m using (measure_id)
join home_areas a using (area_id)
left join before b using (measure_id, area_id)
where r.month = $month::date
order by m.sort_order, a.area_level <> 'force', a.sort_order;
