-- Returns the step changes recorded in the plan for $measure (month, reason), oldest first.
select month, reason
from measure_step_changes
where measure_id = $measure
order by month;
