-- Writes crime_types: the data.police.uk crime types it lacks, one a position of the lists
-- $crime_types, $in_all_crime (whether recorded crime counts it) and $sort_orders.
insert into crime_types
select * from (select unnest($crime_types), unnest($in_all_crime), unnest($sort_orders)) t(crime_type, in_all_crime, sort_order)
where crime_type not in (select crime_type from crime_types)
