-- Returns the partnership unit that area $area is part of, as Compare forces' partnerships grid
-- lists it (partnership_unit_areas, the same units as the place ratings): unit_id, unit_name,
-- area_name. No row for an area of no unit. A link from an area's rating names the area, so the
-- grid can mark the row that holds it.
select u.unit_id, u.unit_name, a.area_name
from partnership_unit_areas m
join partnership_units u using (unit_id)
join areas a on a.area_id = m.area_id
where m.area_id = $area;
