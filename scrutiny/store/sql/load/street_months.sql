-- Returns (month) for each month force $force has an imported data.police.uk street file of:
-- what `fetch` need not download again. Read by the fetcher before it downloads anything.
select distinct month
from imported_files, range(first_month, last_month + interval 1 month, interval 1 month) as months(month)
where kind = 'street' and force_id = $force
order by month
