-- Returns the home force's data quality in $month, one row: month, force_name, records (its crime
-- records in the files, anti-social behaviour left out, as in "All crime"), placed (those in
-- one of its areas) and not_placed (no location, outside the force, unknown district, no area rule).
with home_force as (
    select a.area_id, f.force_name
    from home_areas a
    join forces f using (force_id)
    where a.area_level = 'force'
),
placed as (
    select coalesce(sum(t.crime_count), 0)::integer as placed
    from area_month_totals t
    join home_areas a using (area_id)
    where a.area_level <> 'force' and t.crime_type = 'All crime' and t.month = $month::date
),
records as (
    select h.force_name, coalesce(sum(t.crime_count), 0)::integer as records
    from home_force h
    left join area_month_totals t
        on t.area_id = h.area_id and t.crime_type = 'All crime' and t.month = $month::date
    group by h.force_name
)
select $month::date as month, force_name, records, placed, records - placed as not_placed
from records, placed;
