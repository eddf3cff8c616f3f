-- Ratings of every measure, area and month, computed by scrutiny/rate/ratings.py when data changes and
-- stored with their explanation and evidence, so every page and the meeting pack agree and a
-- rating can be traced later.
create or replace table ratings (
    measure_id          varchar not null,
    area_id             varchar not null,
    month               date not null,
    rag                 varchar not null check (rag in ('red', 'amber', 'green', 'not rated')),
    variation           varchar check (variation in ('improvement', 'concern', 'common_cause')),
    assurance           varchar check (assurance in ('pass', 'fail', 'hit_and_miss')),
    decided_by          varchar not null,   -- the rule behind the rating: see scrutiny/rate/rag.py
    value               double not null,
    value_previous_year double,
    change_pct          double,             -- counts: % change on the same month a year before
    change_points       double,             -- percentages: change in percentage points
    p_value             double,             -- counts: the year-on-year test's p (scrutiny/rate/yoy.py)
    window_first        date not null,      -- the months the limits come from
    window_last         date not null,
    mean                double,
    lower_limit         double,
    upper_limit         double,
    explanation         varchar not null check (length(explanation) > 0),
    evidence            json not null,
    primary key (measure_id, area_id, month)
);
