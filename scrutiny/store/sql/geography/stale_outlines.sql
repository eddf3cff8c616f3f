-- Writes boundaries without the area outlines this package dissolved (source starting with
-- $dissolved) that are stale: of an area that no longer exists, or of the forces $forces,
-- whose outlines are drawn again. Imported outlines stay.
delete from boundaries
where level = 'area' and starts_with(source, $dissolved)
  and (code not in (select area_id from areas)
       or code in (select area_id from areas where force_id in (select unnest($forces))))
