-- Writes imported_files without the records that the files in temp table new_files replace:
-- those of the same kind and file name, and where $by_month (data.police.uk files), of the
-- same kind, force and first month whatever their name.
delete from imported_files i using new_files n
where i.kind = n.kind and (i.file_name = n.file_name
                           or ($by_month and i.force_id = n.force_id and i.first_month = n.first_month))
