-- Returns every force's data quality in every month with figures, as queries/common/month_qualities
-- gives the home force's: force_id, month, force_name, records (its crime records, anti-social
-- behaviour left out, as in "All crime"), placed (those in one of its areas) and not_placed. The
-- place ratings leave a force's incomplete months out of its partnerships' series.
with placed as (
    select a.force_id, t.month, sum(t.crime_count)::integer as placed
    from area_month_totals t
    join areas a using (area_id)
    where a.area_level <> 'force' and t.crime_type = 'All crime'
    group by all
)
select a.force_id, t.month, f.force_name, t.crime_count as records, coalesce(p.placed, 0) as placed,
       t.crime_count - coalesce(p.placed, 0) as not_placed
from areas a
join forces f using (force_id)
join area_month_totals t on t.area_id = a.area_id and t.crime_type = 'All crime'
left join placed p on p.force_id = a.force_id and p.month = t.month
where a.area_level = 'force'
order by a.force_id, t.month
