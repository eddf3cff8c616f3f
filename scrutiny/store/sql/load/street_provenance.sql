-- Returns one row per force with data.police.uk files imported: force_name, street files,
-- outcomes files, street records, first and last month, when last loaded.
select f.force_name, count(*) filter (where i.kind = 'street'), count(*) filter (where i.kind = 'outcomes'),
       sum(i.row_count) filter (where i.kind = 'street'), min(i.first_month), max(i.last_month), max(i.loaded_at)
from imported_files i join forces f using (force_id)
where i.kind in ('street', 'outcomes')
group by f.force_name order by f.force_name
