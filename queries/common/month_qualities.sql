-- Returns every force's data quality in every month with figures, by force then oldest first:
-- force_id, is_home, month, force_name, records (its crime records in the files, anti-social
-- behaviour left out, as in "All crime"), placed (those in one of its areas) and not_placed (no
-- location, outside the force, unknown district, no area rule). The one rule for a month's quality:
-- the home force's rows give its months' lines and the months its areas' ratings leave out
-- (rate.incomplete.home_qualities); every force's give the months left out of its partnerships'
-- series (rate.place_ratings).
with placed as (
    select a.force_id, t.month, sum(t.crime_count)::integer as placed
    from area_month_totals t
    join areas a using (area_id)
    where a.area_level <> 'force' and t.crime_type = 'All crime'
    group by all
)
select a.force_id, f.is_home, t.month, f.force_name, t.crime_count::integer as records,
       coalesce(p.placed, 0) as placed, t.crime_count::integer - coalesce(p.placed, 0) as not_placed
from areas a
join forces f using (force_id)
join area_month_totals t on t.area_id = a.area_id and t.crime_type = 'All crime'
left join placed p on p.force_id = a.force_id and p.month = t.month
where a.area_level = 'force'
order by a.force_id, t.month;
