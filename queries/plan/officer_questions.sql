-- Returns the questions the panel's officers wrote (the questions file beside the plan), in the
-- file's order: measure_id, area_id (the force's id where the file names no area), meeting_date
-- (null: whenever the measure is discussed), question.
select q.measure_id, coalesce(q.area_id, f.area_id) as area_id, q.meeting_date, q.question
from panel_questions q
cross join (select area_id from home_areas where area_level = 'force') f
order by q.sort_order;
