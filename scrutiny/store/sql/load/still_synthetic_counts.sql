-- Returns each force whose crime counts are still synthetic, in a demonstration database (no
-- data.police.uk import has claimed them): force_name, rows, first and last month.
select f.force_name, count(*), min(c.month), max(c.month)
from monthly_counts c join areas a using (area_id) join forces f using (force_id)
where not exists (select 1 from imported_series s where s.force_id = a.force_id and s.series = 'crime counts')
group by f.force_name order by f.force_name
