-- Returns the outline of every area (NPA or CSP) of every force where one is loaded: code (the
-- area_id), force_id, geometry (GeoJSON), label_lon, label_lat. The Compare page colours each by
-- the comparison unit it belongs to. No parameters.
select b.code, a.force_id, b.geometry, b.label_lon, b.label_lat
from boundaries b
join areas a on a.area_id = b.code
where b.level = 'area' and a.area_level <> 'force' and b.geometry_type <> 'Point'
order by b.code;
