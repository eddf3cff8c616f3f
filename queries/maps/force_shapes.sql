-- Returns the outline of every force loaded as a boundary: code (data.police.uk's force id),
-- name, geometry (GeoJSON), label_lon, label_lat, source. No parameters.
select code, name, geometry, label_lon, label_lat, source
from boundaries
where level = 'force' and geometry_type <> 'Point'
order by code;
