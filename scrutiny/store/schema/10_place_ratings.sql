-- Ratings of every force and every partnership loaded, for the crime measures street data gives
-- (scrutiny.core.crime_types.STREET_MEASURES), every month, by the same SPC rules as the home
-- force's plan ratings, computed set-wise over all series at once: so that beside a red or amber
-- rating the pages can say whether the peer group shows the same ("is it just us?").
-- Like 05-09 every statement can run again (an upgrade adds the tables, empty, to an older file).

-- The places compared: each force (its force-level area) and each partnership. A force loaded as
-- neighbourhood policing areas (the home force) has no CSP-level areas: its NPAs are grouped into the
-- smallest units made of whole CSPs, as compare/csp_rates.sql does.
create table if not exists place_ratings (
    unit_id         varchar not null,   -- a force's area_id, a CSP's area_id, or force_id || ':' || CSPs for NPAs grouped
    level           varchar not null check (level in ('force', 'csp')),
    force_id        varchar not null,
    measure_id      varchar not null,   -- STREET_MEASURES
    month           date not null,
    value           double not null,    -- the month's count
    rag             varchar not null check (rag in ('red', 'amber', 'green', 'not rated')),
    variation       varchar check (variation in ('improvement', 'concern', 'common_cause')),
    decided_by      varchar,            -- the SPC rule on the latest point behind a special cause (spc.RULE_ORDER)
    way             integer,            -- the pattern's way: +1 above the usual level (rising, for a trend), -1 below
    points          integer not null,   -- the points in the rating's window
    mean            double,
    lower_limit     double,
    upper_limit     double,
    primary key (unit_id, measure_id, month)
);
