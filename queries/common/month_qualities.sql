-- Returns the home force's data quality in every month with figures, oldest first: month,
-- force_name, records (its crime records in the files, anti-social behaviour left out, as in
-- "All crime"), placed (those in one of its areas) and not_placed (no location, outside the
-- force, unknown district, no area rule). One month's line (meeting.month_quality) is one row of it.
with home_force as (
    select a.area_id, f.force_name
    from home_areas a
    join forces f using (force_id)
    where a.area_level = 'force'
),
placed as (
    select t.month, sum(t.crime_count)::integer as placed
    from area_month_totals t
    join home_areas a using (area_id)
    where a.area_level <> 'force' and t.crime_type = 'All crime'
    group by t.month
),
records as (
    select t.month, h.force_name, sum(t.crime_count)::integer as records
    from home_force h
    join area_month_totals t on t.area_id = h.area_id and t.crime_type = 'All crime'
    group by t.month, h.force_name
)
select r.month, r.force_name, r.records, coalesce(p.placed, 0) as placed,
       r.records - coalesce(p.placed, 0) as not_placed
from records r
left join placed p using (month)
order by r.month;
