-- Returns the outline of each of the home force's areas (NPAs) where one is loaded: code (the
-- area_id), name, geometry (GeoJSON), label_lon, label_lat, source. No parameters.
select b.code, a.area_name as name, b.geometry, b.label_lon, b.label_lat, b.source
from boundaries b
join home_areas a on a.area_id = b.code
where b.level = 'area' and a.area_level <> 'force' and b.geometry_type <> 'Point'
order by a.sort_order;
