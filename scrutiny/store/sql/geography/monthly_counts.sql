-- Writes monthly_counts of force $force: the complete grid of its areas x every crime type x
-- every month it has files for (the months of its lsoa_counts and unlocated_counts), with the
-- records of temp table placed (placed_records.sql) and 0 where an area had none. A month with
-- no crimes of a type in an area is a 0, not a missing month, for the ratings, comparisons and
-- year-on-year changes; a month with no file stays absent (a gap, not a 0).
insert into monthly_counts
with force_months as (
    select distinct month from lsoa_counts where force_id = $force
    union
    select distinct month from unlocated_counts where force_id = $force
),
grid as (
    select a.area_id, t.crime_type, m.month
    from areas a
    cross join crime_types t
    cross join force_months m
    where a.force_id = $force and a.parent_id is not null
),
counted as (
    select area_id, crime_type, month, sum(crime_count) as crime_count
    from placed
    where area_id is not null
    group by all
)
select g.area_id, g.crime_type, g.month, coalesce(c.crime_count, 0)::integer
from grid g
left join counted c using (area_id, crime_type, month)
order by all
