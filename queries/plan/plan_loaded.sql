-- Returns whether a Police and Crime Plan is loaded (plan_loaded): a database imported without a
-- plan file has the crime measures but no themes (scrutiny/load/target.py, crime_measures_only).
select count(*) > 0 as plan_loaded
from plan_themes;
