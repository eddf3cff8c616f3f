-- Writes temp table new_offences (quarterly_offences' columns): a Home Office table's offence
-- counts, one a position of the lists $force_names, $csps, $financial_years, $quarters,
-- $starts (the quarter's first day), $groups (offence group) and $counts.
create or replace temp table new_offences as
select unnest($force_names) as force_name, unnest($csps) as csp_name, unnest($financial_years) as financial_year,
       unnest($quarters) as quarter, unnest($starts) as quarter_start, unnest($groups) as offence_group,
       unnest($counts) as offence_count
