-- Boundaries, centroids and populations for maps and rates, written by `import boundaries` and
-- `import population` (scrutiny/geography/). Like 05_imports.sql every statement can run again: this
-- file runs on every new database and before each import, so older databases get it too.

-- The year each area's population counts people (2021 for the Census), shown beside every rate.
alter table areas add column if not exists population_year integer;

-- One shape (or point) per place, in WGS84 longitude/latitude, simplified for display at import.
-- code is what the dashboard joins on: the ONS code of a district or an LSOA, data.police.uk's
-- force id ('leicestershire') for a force, the area_id of an area (NPA or CSP).
-- Area outlines are either imported (--level area) or dissolved from the districts and LSOAs of
-- the area mapping (source 'dissolved from ...'); dissolved ones are rebuilt whenever the
-- boundaries or the mapping change, imported ones are kept.
create table if not exists boundaries (
    level           varchar not null check (level in ('district', 'lsoa', 'force', 'area')),
    code            varchar not null,
    name            varchar,
    ons_code        varchar,                 -- the force's ONS code (E23000021) where code is a force id
    geometry        varchar not null,        -- GeoJSON geometry: Polygon, MultiPolygon or Point
    geometry_type   varchar not null check (geometry_type in ('Polygon', 'MultiPolygon', 'Point')),
    label_lon       double not null,         -- a point inside the shape, where its label goes
    label_lat       double not null,
    vertices        integer not null,        -- after simplification
    source          varchar not null,        -- the file's name, or 'dissolved from district boundaries' ...
    primary key (level, code)
);

-- Populations as loaded by `import population`, at the finest level the file has. The areas'
-- populations (areas.population, population_source, population_year) are recomputed from them.
create table if not exists populations (
    level           varchar not null check (level in ('lsoa', 'district', 'force')),
    code            varchar not null,        -- ONS code (E01..., E06..., E23...)
    name            varchar,
    population      integer not null check (population > 0),
    year            integer not null,
    source          varchar not null,        -- the file's name
    primary key (level, code)
);

-- Databases made before population_year existed: their populations are the shipped Census 2021
-- figures (or the demo's Census-like synthetic ones).
update areas set population_year = 2021
where population_year is null and population is not null
  and (population_source like 'Census 2021%' or population_source like 'Synthetic, Census-like%');
