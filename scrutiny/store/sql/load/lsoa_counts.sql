-- Writes lsoa_counts from the attached staging database's LSOA groups (a file is one force's
-- month, checked, so they need no second GROUP BY), after staged_months.sql and staged_names.sql.
insert into lsoa_counts
select ff.force_id, m.month, g.lsoa_code, g.lsoa_name, d.district_name, g.crime_type, g.n::integer
from staging.street_groups g
join staging.file_forces ff using (file)
join staged_months m using (month_text)
join staged_names d using (lsoa_name)
where g.by_lsoa and g.lsoa_code is not null
