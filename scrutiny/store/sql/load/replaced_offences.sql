-- Writes quarterly_offences without the quarters of a force that temp table new_offences
-- (new_offences.sql) has: a table replaces the whole quarter, whichever CSPs and groups it has.
delete from quarterly_offences q
using (select distinct force_name, financial_year, quarter from new_offences) n
where q.force_name = n.force_name and q.financial_year = n.financial_year and q.quarter = n.quarter
