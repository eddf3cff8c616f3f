-- Writes lsoa_counts without the force-months that the attached staging database's street files
-- replace (its force_months): an import is idempotent.
delete from lsoa_counts t
using staging.force_months k
where k.kind = 'street' and k.force_id = t.force_id and k.month = t.month
