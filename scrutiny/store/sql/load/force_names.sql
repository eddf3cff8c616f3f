-- Writes forces: force $force named $force_name, a new force or a new name for a known one
-- (the other columns keep their defaults or values).
insert into forces (force_id, force_name) values ($force, $force_name)
on conflict (force_id) do update set force_name = excluded.force_name
