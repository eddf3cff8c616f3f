"""Which area each district and LSOA of a force belongs to, by the force's `area_rules`. A force
with none there (the demo database, whose areas were built from the shipped mapping) gets its
shipped or default mapping (areas.default_mapping) written there first, as an import would.

Districts are named as LSOA names begin ("Blaby"). Where an LSOA belongs is the schema's rule
(store/schema/08_macros.sql: lsoa_district and area_of_lsoa), the one every import and map
uses; this module only asks it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import duckdb

from scrutiny.geography import areas as geography
from scrutiny.store import queries


@dataclass(frozen=True)
class ForceRules:
    force_id: str
    by_district: dict[str, str]   # district (as LSOA names begin) -> area_id
    by_lsoa: dict[str, str]       # LSOA code of either vintage -> area_id
    lsoa_area: dict[str, str]     # every LSOA the database names (lsoa_districts) -> its area, if any

    def districts_of_areas(self, lsoa_district: dict[str, str]) -> dict[str, set[str]]:
        """area_id -> the districts it takes in, wholly or in part (an LSOA rule's district is
        known only where the LSOA's name is)."""
        result: dict[str, set[str]] = defaultdict(set)
        for district, area in self.by_district.items():
            result[area].add(district)
        for code, area in self.by_lsoa.items():
            if code in lsoa_district:
                result[area].add(lsoa_district[code])
        return result

    def split_districts(self, lsoa_district: dict[str, str]) -> set[str]:
        """Districts that are not wholly in one area: an LSOA rule of one of its LSOAs names an
        area other than the district's own (or the district has no rule of its own)."""
        return {lsoa_district[code] for code, area in self.by_lsoa.items()
                if code in lsoa_district and self.by_district.get(lsoa_district[code]) != area}


def rules_for(con: duckdb.DuckDBPyConnection, force_id: str, lsoa_district: dict[str, str]) -> ForceRules:
    """The force's rules, and the area of each LSOA of `lsoa_district` (LSOA code -> district)."""
    if not geography.has_rules(con, force_id):
        home = con.execute("select count(*) from forces where force_id = ? and is_home", [force_id]).fetchone()[0]
        geography.set_rules(con, geography.default_mapping(force_id, home=bool(home)))
    rows = con.execute("select level, code, area_id from area_rules where force_id = ?", [force_id]).fetchall()
    placed = queries.write(con, "geography/lsoa_areas", force=force_id, codes=list(lsoa_district),
                           districts=list(lsoa_district.values())).fetchall()
    return ForceRules(force_id, {c: a for level, c, a in rows if level == "district"},
                      {c: a for level, c, a in rows if level == "lsoa"},
                      {code: area for code, area in placed if area is not None})


def mapped_forces(con: duckdb.DuckDBPyConnection, force_ids: list[str] | None = None) -> list[str]:
    """Forces with areas below the force area, real ones only: the demo's synthetic peer forces
    have no real districts to draw or count."""
    rows = queries.write(con, "geography/mapped_forces").fetchall()
    return [f for (f,) in rows if force_ids is None or f in force_ids]


def lsoa_districts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """LSOA code -> district name, from every LSOA name the database knows, the first that names
    one: LSOA boundaries and populations as imported, the shipped 2021 LSOA populations, and
    data.police.uk records. A name without the " 001A" suffix names no district."""
    rows = queries.write(con, "geography/lsoa_district_names").fetchall()
    result = {}
    for code, district, _source in sorted(rows, key=lambda row: row[2]):
        if district and code not in result:
            result[code] = district
    return result
