-- The dashboard's tables. Counts are kept per neighbourhood policing area (NPA), crime type and
-- month; force totals and "All crime" are derived in 02_rollups.sql so no query adds them up live.

create table forces (
    force_id        varchar primary key,   -- e.g. 'leicestershire', as data.police.uk names forces
    force_name      varchar not null,
    is_home         boolean not null default false,  -- the force whose panel uses the dashboard
    is_demo_peer    boolean not null default false   -- a synthetic peer force of the demo
);

-- Areas form a hierarchy: a force contains NPAs. District and CSP are recorded where an NPA is
-- made of whole districts, which is how most county NPAs are defined.
create table areas (
    area_id             varchar primary key,
    area_name           varchar not null unique,
    area_level          varchar not null check (area_level in ('force', 'npa', 'csp')),
    parent_id           varchar references areas (area_id),
    force_id            varchar not null references forces (force_id),
    population          integer check (population > 0),
    population_source   varchar,
    sort_order          integer not null,
    population_year     integer   -- the year the population counts people (2021 for the Census)
);

-- The home force and its own areas: what the Overview, Areas, Trends and Plan pages show.
-- Other forces' areas are there for comparison only.
create view home_areas as
select a.*
from areas a
join forces f using (force_id)
where f.is_home;

create table area_districts (
    area_id         varchar not null references areas (area_id),
    district_code   varchar not null,
    district_name   varchar not null,
    csp_code        varchar,
    csp_name        varchar,
    share_of_district double not null default 1.0,   -- below 1 where a district is split (Leicester city)
    primary key (area_id, district_code)
);

create table crime_types (
    crime_type          varchar primary key,
    in_all_crime        boolean not null,   -- false only for anti-social behaviour
    sort_order          integer not null
);

create table monthly_counts (
    area_id         varchar not null references areas (area_id),
    crime_type      varchar not null references crime_types (crime_type),
    month           date not null,
    crime_count     integer not null check (crime_count >= 0),
    primary key (area_id, crime_type, month)
);

-- Every measure of the Police and Crime Plan (written from the plan file by scrutiny/plan/tables.py).
-- Crime count measures are summed from area_month_totals (see measure_series in 03_plan.sql);
-- measures that are not crime counts (victim satisfaction, call handling ...) arrive in
-- measure_values.
create table measures (
    measure_id      varchar primary key,
    measure_name    varchar not null,
    unit            varchar not null,          -- 'count', 'percent', 'rate per 1,000'
    improvement     varchar not null check (improvement in ('lower', 'higher')),
    description     varchar,
    target          double,                    -- null: the plan sets none, so ratings rely on variation
    areas           varchar not null default 'all' check (areas in ('all', 'force')),  -- all = force and every NPA
    source          varchar not null default 'returns' check (source in ('crime', 'returns')),
    theme_id        varchar,                   -- plan_themes (03_plan.sql, created after this file)
    sort_order      integer
);

create table measure_values (
    measure_id      varchar not null references measures (measure_id),
    area_id         varchar not null references areas (area_id),
    month           date not null,
    value           double not null,
    denominator     double,
    primary key (measure_id, area_id, month)
);

create table provenance (
    source          varchar not null,      -- a file name or 'demo'
    description     varchar not null,
    row_count       bigint not null,
    first_month     date,
    last_month      date,
    content_sha256  varchar,
    loaded_at       timestamp               -- null for the demo build, which must be reproducible
);
