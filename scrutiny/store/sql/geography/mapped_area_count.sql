-- Returns the number of areas below the force area of the forces $forces.
select count(*)
from areas
where parent_id is not null and force_id in (select unnest($forces))
