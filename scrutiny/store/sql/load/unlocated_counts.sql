-- Writes unlocated_counts: the attached staging database's records with no LSOA, by force, month
-- and crime type (after staged_months.sql and staged_names.sql).
insert into unlocated_counts
select ff.force_id, m.month, g.crime_type, sum(g.n)::integer
from staging.street_groups g join staging.file_forces ff using (file) join staged_months m using (month_text)
where g.by_lsoa and (g.lsoa_code is null or g.lsoa_name is null)
group by all
