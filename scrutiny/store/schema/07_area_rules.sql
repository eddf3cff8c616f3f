-- Where an LSOA belongs, written once and read by the importers (scrutiny/load/), the area
-- rules (scrutiny/geography/) and the maps' queries. Like 05 and 06 every statement can run
-- again: this file runs on every new database, before each import and in an upgrade.

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
