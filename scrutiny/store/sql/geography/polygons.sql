-- Returns every district and LSOA polygon loaded: level, code, geometry (GeoJSON text).
select level, code, geometry
from boundaries
where level in ('district', 'lsoa') and geometry_type <> 'Point'
order by level, code
