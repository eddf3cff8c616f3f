-- Pre-aggregated totals that every page reads: each NPA and the whole force, for each crime type
-- and for "All crime" (every type except anti-social behaviour). Rebuilt after every load.
-- A force's own rows count every record of the force in the files: its areas' counts plus the
-- records placed in no area (unplaced_counts: no location, outside the force, unknown district,
-- no area rule), so the force's figures, ratings and comparisons leave no crime out. The areas
-- add up to the force with the "not placed in an area" line (queries/areas/not_placed.sql).
create or replace table area_month_totals as
with npa_counts as (
    select c.area_id, c.crime_type, c.month, c.crime_count, t.in_all_crime
    from monthly_counts c
    join crime_types t using (crime_type)
),
force_areas as (
    select force_id, area_id from areas where parent_id is null
),
unplaced as (
    select f.area_id, u.crime_type, u.month, u.crime_count, t.in_all_crime
    from unplaced_counts u
    join force_areas f using (force_id)
    join crime_types t using (crime_type)
),
with_force as (
    select area_id, crime_type, month, crime_count, in_all_crime from npa_counts
    union all
    select a.parent_id, n.crime_type, n.month, n.crime_count, n.in_all_crime
    from npa_counts n
    join areas a using (area_id)
    where a.parent_id is not null
    union all
    select area_id, crime_type, month, crime_count, in_all_crime from unplaced
),
by_type as (
    select area_id, crime_type, month, sum(crime_count)::integer as crime_count
    from with_force
    group by all
),
all_crime as (
    select area_id, 'All crime' as crime_type, month, sum(crime_count)::integer as crime_count
    from with_force
    where in_all_crime
    group by all
)
select * from by_type
union all
select * from all_crime
order by area_id, crime_type, month;
