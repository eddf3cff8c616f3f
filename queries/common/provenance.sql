-- Returns where the data came from (source, description, row_count, first_month, last_month, loaded_at). No parameters.
select source, description, row_count, first_month, last_month, loaded_at
from provenance
order by loaded_at nulls first, source;
