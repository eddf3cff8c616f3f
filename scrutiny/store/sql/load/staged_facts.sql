-- Returns the distinct values of the files staged, to check (a few thousand rows, not the
-- records): file, month_text, falls_within, crime_type (null for outcomes files), outcome, records.
select file, month_text, falls_within, crime_type, outcome, sum(n)::bigint from street_groups
where not by_lsoa group by all
union all
select file, month_text, falls_within, null, outcome, sum(n)::bigint from outcome_groups group by all
