-- Writes outcome_counts without the force-months that the attached staging database's files
-- replace (its force_months): street files replace the last outcomes, outcomes files the
-- outcomes-file counts, so that an import is idempotent.
delete from outcome_counts t
using staging.force_months k
where k.force_id = t.force_id and k.month = t.month
  and t.basis = case k.kind when 'street' then 'last outcome' else 'outcomes file' end
