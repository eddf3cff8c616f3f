-- Returns the home force's records of $crime_type that are in no area, for $month beside the same
-- month a year before, a row per reason (no location, outside the force, unknown district, no
-- area rule): reason, crime_count, count_previous_year, change_pct. count_previous_year is null
-- when the force has no file for the month a year before. With the areas of area_comparison.sql
-- they add up to the force's own figures, which count every record (02_rollups.sql).
with home_force as (
    select area_id, force_id from home_areas where area_level = 'force'
),
of_type as (
    select u.reason, u.month, u.crime_count
    from unplaced_counts u
    join home_force using (force_id)
    join crime_types t using (crime_type)
    where (u.crime_type = $crime_type or ($crime_type = 'All crime' and t.in_all_crime))
      and u.month in ($month::date, $month::date - interval 12 month)
),
by_reason as (
    select reason,
           sum(crime_count) filter (where month = $month::date) as this_month,
           sum(crime_count) filter (where month <> $month::date) as last_year
    from of_type
    group by reason
),
-- zeros are rows (monthly_counts.sql), so the force has a row for every month it has files for
year_before_has_files as (
    select count(*) > 0 as has_files
    from area_month_totals t
    join home_force using (area_id)
    where t.month = $month::date - interval 12 month
),
compared as (
    select reason,
           coalesce(this_month, 0)::integer as crime_count,
           case when has_files then coalesce(last_year, 0)::integer end as count_previous_year
    from by_reason, year_before_has_files
)
select reason, crime_count, count_previous_year, change_pct(crime_count, count_previous_year) as change_pct
from compared
order by reason;
