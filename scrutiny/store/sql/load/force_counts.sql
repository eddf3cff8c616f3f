-- Returns the number of crime counts of force $force's areas (in a demo, the synthetic ones
-- that its imported records replace).
select count(*)
from monthly_counts join areas using (area_id)
where force_id = $force
