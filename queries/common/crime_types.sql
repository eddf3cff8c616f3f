-- Returns the crime types to choose from, "All crime" first (crime_type, in_all_crime). No parameters.
select 'All crime' as crime_type, true as in_all_crime, 0 as sort_order
union all
select crime_type, in_all_crime, sort_order
from crime_types
order by sort_order;
