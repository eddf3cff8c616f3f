-- The Police and Crime Plan (themes, objectives and the measures that judge them), written from
-- the plan file by scrutiny/plan/tables.py, and measure_series: every measure's monthly figures
-- in one shape, which the rating engine and the pages read.
-- Run after 02_rollups.sql, because measure_series reads area_month_totals.

create table if not exists plan_themes (
    theme_id        varchar primary key,
    theme_name      varchar not null,
    sort_order      integer not null
);

-- An objective with no numeric measure carries the office's own rating, always with a reason
-- and a date: the panel asked for the reason behind every RAG rating.
create table if not exists plan_objectives (
    objective_id    varchar primary key,
    theme_id        varchar not null references plan_themes (theme_id),
    objective_name  varchar not null,
    office_rag      varchar check (office_rag in ('red', 'amber', 'green')),
    office_reason   varchar,
    office_date     date,
    sort_order      integer not null,
    check ((office_rag is null) = (office_reason is null) and (office_rag is null) = (office_date is null))
);

create table if not exists plan_objective_measures (
    objective_id    varchar not null references plan_objectives (objective_id),
    measure_id      varchar not null references measures (measure_id),
    primary key (objective_id, measure_id)
);

-- The data.police.uk crime types a count measure adds up. 'All crime' is kept as itself and
-- matched to the rolled-up 'All crime' rows of area_month_totals, never expanded into its types,
-- so it is counted once. No foreign key to crime_types: 'All crime' is not a row there.
create table if not exists measure_crime_types (
    measure_id      varchar not null references measures (measure_id),
    crime_type      varchar not null,
    primary key (measure_id, crime_type)
);

-- One row per measure, area and month. value is what is rated; crime_count is the whole count
-- for crime measures (null otherwise) so year-on-year tests can use it; denominator is what a
-- percentage is of (survey responses, calls), where the return gives one.
-- A measure reported for the force only (areas = 'force') has rows only for force areas.
-- Only the home force's areas (home_areas): other forces' areas are loaded for comparison, not rated.
create or replace view measure_series as
with crime_series as (
    select ct.measure_id, t.area_id, t.month, sum(t.crime_count)::integer as crime_count
    from measures m
    join measure_crime_types ct using (measure_id)
    join area_month_totals t using (crime_type)
    join home_areas a on a.area_id = t.area_id
    where m.source = 'crime' and (m.areas = 'all' or a.area_level = 'force')
    group by all
)
select measure_id, area_id, month, crime_count::double as value, crime_count, null::double as denominator
from crime_series
union all
select v.measure_id, v.area_id, v.month, v.value, null::integer as crime_count, v.denominator
from measure_values v
join measures m using (measure_id)
join home_areas a on a.area_id = v.area_id
where m.source = 'returns' and (m.areas = 'all' or a.area_level = 'force');
