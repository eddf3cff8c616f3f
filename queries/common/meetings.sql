-- Returns the panel's meeting days from the plan file (meeting_date), oldest first; none when the
-- plan lists none (or no plan is loaded).
select meeting_date
from panel_meetings
order by meeting_date;
