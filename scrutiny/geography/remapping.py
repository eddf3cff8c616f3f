"""Re-mapping a force: its areas rebuilt from its LSOA counts by the area rules (areas.py), then
their populations taken from `import population` where it covers them (population.py) and their
outlines dissolved again from `import boundaries` shapes (outlines.py); both are no-ops without.

Here rather than in areas.py so that imports inside geography run one way: population.py and
outlines.py read areas.py, and this module reads all three.
"""
from __future__ import annotations

import duckdb

from scrutiny.geography import outlines, population
from scrutiny.geography.areas import Remapped, rebuild_force_areas


def remap_force(con: duckdb.DuckDBPyConnection, force_id: str, force_name: str) -> Remapped:
    remapped = rebuild_force_areas(con, force_id, force_name)
    population.recompute_area_populations(con, [force_id])
    outlines.rebuild(con, [force_id])
    return remapped
