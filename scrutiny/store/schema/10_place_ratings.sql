-- Ratings of every force and every partnership loaded, for the crime measures street data gives
-- (scrutiny.core.crime_types.STREET_MEASURES), every month, by the same SPC rules as the home
-- force's plan ratings, computed set-wise over all series at once: so that beside a red or amber
-- rating the pages can say whether the peer group shows the same ("is it just us?").
-- Like 05-09 every statement can run again (an upgrade adds the tables, empty, to an older file).

-- The partnerships compared, written once for Compare forces (queries/compare/csp_rates.sql) and
-- the place ratings (scrutiny/store/sql/rate/place_series.sql). A force loaded as neighbourhood
-- policing areas (NPAs), as the home force is, has no CSP-level areas; its NPAs are grouped into
-- the smallest units made of whole CSPs (Leicester's three city NPAs make the Leicester CSP;
-- Hinckley and Blaby NPA covers two whole CSPs), so that every unit compared is one or more whole
-- CSPs; NPAs covering the same set of CSPs form one unit, and an NPA with no district mapping
-- stands alone. A force's own CSP-level areas are units as they are.
-- partnership_unit_areas: unit_id, area_id (the areas a unit is made of).
create or replace view partnership_unit_areas as
with forces_with_csps as (
    select distinct force_id from areas where area_level = 'csp'
),
npa_csps as (
    select area_id, string_agg(distinct csp_name, '; ' order by csp_name) as csps
    from area_districts
    group by area_id
)
select a.force_id || ':' || coalesce(c.csps, a.area_id) as unit_id, a.area_id
from areas a
left join npa_csps c using (area_id)
where a.area_level = 'npa' and a.force_id not in (select force_id from forces_with_csps)
union all
select area_id, area_id from areas where area_level = 'csp';

-- partnership_units: unit_id, force_id, unit_name, csps, npas (both null for a CSP-level area;
-- for NPAs grouped, the CSPs the unit covers and the NPAs it is made of, '; ' between names),
-- population, population_source, population_year, sort_order.
create or replace view partnership_units as
with npa_csps as (
    select area_id, string_agg(distinct csp_name, '; ' order by csp_name) as csps,
           count(distinct csp_name) as csp_count
    from area_districts
    group by area_id
),
npa_members as (
    select m.unit_id, a.force_id, a.area_name, a.sort_order, a.population, a.population_source,
           a.population_year, c.csps, coalesce(c.csp_count, 0) as csp_count
    from partnership_unit_areas m
    join areas a using (area_id)
    left join npa_csps c using (area_id)
    where a.area_level = 'npa'
)
select unit_id, force_id,
       case when any_value(csp_count) = 1 then any_value(csps)
            else string_agg(area_name, ' + ' order by sort_order) end as unit_name,
       any_value(csps) as csps, string_agg(area_name, '; ' order by sort_order) as npas,
       sum(population)::integer as population, string_agg(distinct population_source, '; ') as population_source,
       max(population_year) as population_year,
       min(sort_order) as sort_order
from npa_members
group by unit_id, force_id
union all
select area_id, force_id, area_name, null, null, population, population_source, population_year, sort_order
from areas where area_level = 'csp';

-- The places rated: each force (its force-level area) and each partnership unit above.
create table if not exists place_ratings (
    unit_id         varchar not null,   -- a force's area_id, a CSP's area_id, or force_id || ':' || CSPs for NPAs grouped
    level           varchar not null check (level in ('force', 'csp')),
    force_id        varchar not null,
    measure_id      varchar not null,   -- STREET_MEASURES
    month           date not null,
    value           double not null,    -- the month's count
    rag             varchar not null check (rag in ('red', 'amber', 'green', 'not rated')),
    variation       varchar check (variation in ('improvement', 'concern', 'common_cause')),
    decided_by      varchar,            -- the SPC rule on the latest point behind a special cause (spc.RULE_ORDER);
                                        -- 'incomplete_month' for a partnership's month left out (scrutiny.rate.incomplete)
    way             integer,            -- the pattern's way: +1 above the usual level (rising, for a trend), -1 below
    points          integer not null,   -- the points in the rating's window
    mean            double,
    lower_limit     double,
    upper_limit     double,
    primary key (unit_id, measure_id, month)
);
