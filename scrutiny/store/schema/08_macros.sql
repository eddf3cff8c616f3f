-- Rules written once, as macros, for every query and statement that needs them: where an LSOA
-- belongs (read by the importers, the area rules and the maps' queries), a rate per 1,000
-- residents and the change on a year before. Like 05 and 06 every statement can run again: this file runs on every new
-- database, before each import and in an upgrade (store/db.py: MACROS says which it makes).

-- An LSOA's district, as the district lookup names it: the LSOA name without its " 001A" suffix
-- ("Blaby 002A" -> "Blaby"), for 2011 and 2021 LSOAs alike. A name without the suffix comes back
-- unchanged (and so is no district's).
create or replace macro lsoa_district(lsoa_name) as regexp_replace(lsoa_name, ' [0-9]{3}[A-Z]$', '');

-- The area of an LSOA of a force by the force's area_rules (05_imports.sql): an LSOA rule wins
-- over its district's rule; null where neither names it.
create or replace macro area_of_lsoa(of_force, lsoa, district) as coalesce(
    (select r.area_id from area_rules r where r.force_id = of_force and r.level = 'lsoa' and r.code = lsoa),
    (select r.area_id from area_rules r where r.force_id = of_force and r.level = 'district' and r.code = district)
);

-- Each 2021 LSOA with a shipped Census population (lsoa_populations), in its area of force
-- of_force by the same rule as the records: lsoa_code, district_name, population, area_id.
create or replace macro shipped_lsoa_areas(of_force) as table
select lsoa_code, district_name, population, area_of_lsoa(of_force, lsoa_code, district_name) as area_id
from lsoa_populations;

-- A rate per 1,000 residents, to two decimals; null where the population is not known.
create or replace macro rate_per_1000(crimes, residents) as round(1000.0 * crimes / residents, 2);

-- The percentage change from earlier to latest (a year before to this month), to one decimal; null
-- where there is no earlier figure or it was 0. scrutiny/rate/yoy.py change_pct is the same rule for
-- Python (the ratings); a tie rounds half to even as Python's round does (3 against 16 is -81.25%,
-- shown -81.2% by both), where round() would go half away from zero (-81.3%). tests/test_yoy.py
-- holds the two to each other.
create or replace macro change_pct(latest, earlier) as round_even(100.0 * (latest - earlier) / nullif(earlier, 0), 1);
