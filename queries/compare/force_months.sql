-- Returns each force loaded and each month it has figures for: force_id, force_name, is_home, month.
-- No parameters. The home force first. A month a force lacks has no row (its files were not
-- loaded), which is how the page names each force's missing months, not only the home force's.
select distinct f.force_id, f.force_name, f.is_home, t.month
from area_month_totals t
join areas a using (area_id)
join forces f using (force_id)
where a.area_level = 'force'
order by f.is_home desc, f.force_name, t.month;
