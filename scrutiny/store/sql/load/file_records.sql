-- Returns each Home Office and returns file imported, in order: kind, file_name, row_count,
-- first_month, last_month, content_sha256, loaded_at.
select kind, file_name, row_count, first_month, last_month, content_sha256, loaded_at
from imported_files
where kind in ('home office', 'returns')
order by kind, file_name
