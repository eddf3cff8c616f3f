-- Writes temp table new_boundaries (boundaries' columns): one boundary file's shapes, of level
-- $level and source file $source, one a position of the lists $codes, $names, $ons (ONS code),
-- $geometries (GeoJSON text), $types (geometry type), $lons and $lats (where the label goes) and
-- $vertices.
create or replace temp table new_boundaries as
select $level as level, unnest($codes) as code, unnest($names) as name, unnest($ons) as ons_code,
       unnest($geometries) as geometry, unnest($types) as geometry_type, unnest($lons) as label_lon,
       unnest($lats) as label_lat, unnest($vertices) as vertices, $source as source
