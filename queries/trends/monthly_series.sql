-- Returns the monthly series for $area and $crime_type: month, crime_count, count_previous_year,
-- rolling_12_month_total (the 12 calendar months to that month; null unless all 12 have figures).
with series as (
    select month, crime_count
    from area_month_totals
    where area_id = $area and crime_type = $crime_type
),
with_context as (
    select s.month, s.crime_count, p.crime_count as count_previous_year,
           sum(s.crime_count) over twelve as rolling_total,
           count(*) over twelve as months_in_window
    from series s
    left join series p on p.month = s.month - interval 12 month
    -- a range of calendar months, not 12 rows: rows would add up months either side of a gap
    window twelve as (order by s.month range between interval 11 month preceding and current row)
)
select month, crime_count, count_previous_year,
       case when months_in_window = 12 then rolling_total end as rolling_12_month_total
from with_context
order by month;
