"""Importers of real data: data.police.uk files, Home Office tables and the office's returns.

Every import works the same way (DESIGN.md: validate -> stage -> swap):
1. check every input, reading it with DuckDB into a staging database in a work folder
   (police_uk.py, home_office.py, returns.py; inputs.py and diagnose.py for data.police.uk files);
2. write into a copy of the database or a new one (store/writes.py), record provenance
   (load/target.py) and recompute rollups and ratings (rate/ratings.finish);
3. rename the copy into place, so readers see the old database or the new one, never half of one,
   and a refused file leaves the database exactly as it was.
Areas are worked out from LSOA-level counts by rules that can change (geography/areas.py), so a force
can be re-mapped without importing its files again. No Streamlit here.
"""
