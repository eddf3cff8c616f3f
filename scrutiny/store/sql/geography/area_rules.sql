-- Writes area_rules: force $force's rules, one a position of the lists $levels ('district' or
-- 'lsoa'), $codes (district name or LSOA code), $area_ids and $names (the area's name), each
-- naming an area of level $area_level.
insert into area_rules
select $force, unnest($levels), unnest($codes), unnest($area_ids), unnest($names), $area_level
