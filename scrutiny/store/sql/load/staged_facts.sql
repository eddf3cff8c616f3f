-- Returns one row per file staged, to check (a few thousand rows, not the records): file, and its
-- distinct months, "Falls within" values, crime types (for an outcomes file an empty list) and
-- outcomes, each a list that keeps a null (DuckDB's list() does), and its records. Gathered here
-- rather than in Python: the groups by crime type and outcome are hundreds of thousands of rows.
with facts as (
    select file, month_text, falls_within, crime_type, outcome, n, true as street from street_groups
    where not by_lsoa
    union all
    select file, month_text, falls_within, null, outcome, n, false from outcome_groups
)
select file, list(distinct month_text), list(distinct falls_within),
       case when bool_or(street) then list(distinct crime_type) else [] end,
       list(distinct outcome), sum(n)::bigint
from facts
group by file
