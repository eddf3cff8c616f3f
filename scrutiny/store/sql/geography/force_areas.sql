-- Returns force $force's areas below the force area, in their order: area_id, area_name.
select area_id, area_name
from areas
where force_id = $force and parent_id is not null
order by sort_order
