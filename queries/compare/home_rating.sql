-- Returns the stored rating of plan measure $measure in the home force's area $area for $month, as the
-- peers' table lists it first (this force, or this area): area_name, value (the month's figure), mean
-- (the usual level), rag, decided_by, rule (the SPC rule of the latest month), way (+1 up, -1 down:
-- which way the figure moved when the variation is special cause, from the measure's good direction).
select a.area_name, r.value, r.mean, r.rag, r.decided_by,
       json_extract_string(r.evidence, '$.rule') as rule,
       case r.variation
           when 'concern' then (case m.improvement when 'lower' then 1 else -1 end)
           when 'improvement' then (case m.improvement when 'lower' then -1 else 1 end)
       end as way
from ratings r
join measures m using (measure_id)
join areas a using (area_id)
where r.measure_id = $measure and r.area_id = $area and r.month = $month::date;
