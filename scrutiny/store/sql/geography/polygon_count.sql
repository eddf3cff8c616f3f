-- Returns the number of district and LSOA polygons loaded, from which area outlines are drawn
-- (a boundary file of points draws none).
select count(*)
from boundaries
where level in ('district', 'lsoa') and geometry_type <> 'Point'
