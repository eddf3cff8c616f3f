-- What the importers (scrutiny/load/) keep: real data at the finest level each source has, the
-- lookups and rules that place it in areas, and a record of every file loaded. monthly_counts
-- (01_tables.sql) is derived from lsoa_counts through area_rules, so areas can be re-mapped
-- without importing the files again. Every statement is "if not exists": this file runs on every
-- new database and again before each import, so databases built before it existed get it too.

-- Local authority districts with their Community Safety Partnership (CSP), police force and
-- Census 2021 population: data/areas/districts.csv, refreshed by every import.
create table if not exists districts (
    district_code       varchar primary key,
    district_name       varchar not null,
    lsoa_prefix         varchar not null unique,  -- how LSOA names begin ("Bristol", not "Bristol, City of")
    csp_code            varchar,
    csp_name            varchar not null,
    force_id            varchar not null,         -- data.police.uk's id of the force ('leicestershire')
    force_area_name     varchar not null,
    population          integer
);

-- Districts abolished or renamed since the 2011 LSOAs were named ("Daventry 001A"), with the
-- district that replaced them: data/areas/former_districts.csv, refreshed by every import. A
-- record in a former district is placed by its successor (store/sql/geography/placed_records.sql).
create table if not exists former_districts (
    former_name         varchar primary key,      -- as 2011 LSOA names begin
    district_code       varchar not null,         -- the district (districts) that replaced it
    district_name       varchar not null,
    year                integer,                  -- when it changed, where known
    change              varchar not null          -- 'merged' or 'renamed'
);

-- Census 2021 usual residents of 2021 LSOAs, where shipped (data/areas/lsoa21_population_*.csv),
-- so that areas made of LSOAs (Leicester's city NPAs) get a population.
create table if not exists lsoa_populations (
    lsoa_code           varchar primary key,
    district_name       varchar not null,
    population          integer not null
);

-- data.police.uk street records counted by force, month, LSOA and crime type: the finest level
-- the files have (a record's exact point is only approximate anyway). Rows outside the force's
-- districts are kept too, so that a mapping can place them and the report can count them.
-- No primary key, on purpose: an import replaces whole force-months, and at national scale
-- (tens of millions of records) an index would slow every load; tests check there are no repeats.
create table if not exists lsoa_counts (
    force_id            varchar not null,
    month               date not null,
    lsoa_code           varchar not null,
    lsoa_name           varchar not null,
    district_name       varchar not null,         -- the LSOA name without its " 001A" suffix
    crime_type          varchar not null,
    crime_count         integer not null check (crime_count > 0)
);

-- Records with no LSOA (no location was published): counted, never placed in an area.
create table if not exists unlocated_counts (
    force_id            varchar not null,
    month               date not null,
    crime_type          varchar not null,
    crime_count         integer not null check (crime_count > 0),
    primary key (force_id, month, crime_type)
);

-- Outcomes: 'last outcome' = the street files' "Last outcome category", by the month the crime
-- was recorded (one per crime, as at the file's publication); 'outcomes file' = the outcomes
-- files' "Outcome type", by the month of the outcome (a crime can have several). crime_type is
-- null for outcomes files, which do not carry it.
create table if not exists outcome_counts (
    force_id            varchar not null,
    month               date not null,
    basis               varchar not null check (basis in ('last outcome', 'outcomes file')),
    crime_type          varchar,
    outcome             varchar not null,
    crime_count         integer not null check (crime_count > 0)
);

-- Which area each district or LSOA of a force belongs to. An LSOA rule wins over its district's
-- rule. code is a district name (as LSOA names begin) or an LSOA code, of either vintage.
create table if not exists area_rules (
    force_id            varchar not null,
    level               varchar not null check (level in ('district', 'lsoa')),
    code                varchar not null,
    area_id             varchar not null,
    area_name           varchar not null,
    area_level          varchar not null check (area_level in ('npa', 'csp')),  -- csp: the default, no mapping
    primary key (force_id, level, code)
);

-- Records of a force that are in no area, and why: rebuilt with monthly_counts. With
-- monthly_counts it adds up to every record imported (a test checks this).
create table if not exists unplaced_counts (
    force_id            varchar not null,
    month               date not null,
    crime_type          varchar not null,
    reason              varchar not null check (reason in
                            ('no location', 'outside the force', 'unknown district', 'no area rule')),
    crime_count         integer not null check (crime_count > 0)
);

-- Home Office police recorded crime open data, by CSP, financial quarter and offence group.
create table if not exists quarterly_offences (
    force_name          varchar not null,
    csp_name            varchar not null,
    financial_year      varchar not null,         -- '2023/24'
    quarter             integer not null check (quarter between 1 and 4),  -- 1 = April to June
    quarter_start       date not null,
    offence_group       varchar not null,
    offence_count       integer not null check (offence_count >= 0),
    primary key (force_name, csp_name, financial_year, quarter, offence_group)
);

-- Every file loaded: provenance at file level (the provenance table has one line per source).
create table if not exists imported_files (
    kind                varchar not null check (kind in ('street', 'outcomes', 'home office', 'returns')),
    file_name           varchar not null,
    force_id            varchar,                  -- street and outcomes files
    first_month         date,
    last_month          date,
    row_count           bigint not null,
    content_sha256      varchar not null,
    loaded_at           timestamp not null
);

-- The series that hold imported (real) figures: 'crime counts' or a measure id, per force. In a
-- demonstration database every other series is synthetic, and the first real import of a series
-- removes its synthetic figures, which must never be mixed with real ones.
create table if not exists imported_series (
    force_id            varchar not null,
    series              varchar not null,
    primary key (force_id, series)
);
