-- Writes temp table new_files (made empty by the caller, with imported_files' columns): the
-- files given as the lists $kinds, $names, $forces, $firsts, $lasts, $rows, $sha and $loaded,
-- one entry a file.
insert into new_files
select unnest($kinds), unnest($names), unnest($forces), unnest($firsts), unnest($lasts),
       unnest($rows), unnest($sha), unnest($loaded)
