-- Returns each real force with areas below the force area, in order: force_id. The demo's
-- synthetic peer forces have no real districts to draw or count.
select distinct a.force_id
from areas a join forces f using (force_id)
where a.parent_id is not null and not f.is_demo_peer
order by 1
