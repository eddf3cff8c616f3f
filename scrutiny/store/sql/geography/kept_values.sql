-- Writes temp table kept_values: force $force's measure values, set aside while its areas are
-- replaced (DuckDB refuses to update a row that other tables refer to) and put back after.
create or replace temp table kept_values as
select v.*
from measure_values v join areas a using (area_id)
where a.force_id = $force
