"""Which area each district and LSOA of a force belongs to, by the force's area rules: the
`area_rules` table if it has rows for the force, else the shipped or default mapping
(geography.default_mapping; the demo database keeps its rules there, its table being empty).

As in areas.py, an LSOA rule wins over its district's rule, districts are named as LSOA
names begin ("Blaby"), and an LSOA's district is its name without the " 002A" suffix.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import duckdb

from scrutiny.geography import areas as geography

_SUFFIX = re.compile(r" [0-9]{3}[A-Z]$")


@dataclass(frozen=True)
class ForceRules:
    force_id: str
    by_district: dict[str, str]   # district (as LSOA names begin) -> area_id
    by_lsoa: dict[str, str]       # LSOA code of either vintage -> area_id

    def area_of_lsoa(self, code: str, district: str | None) -> str | None:
        return self.by_lsoa.get(code) or (self.by_district.get(district) if district else None)

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


def district_name(lsoa_name: str | None) -> str | None:
    return _SUFFIX.sub("", lsoa_name) if lsoa_name and _SUFFIX.search(lsoa_name) else None


def rules_for(con: duckdb.DuckDBPyConnection, force_id: str) -> ForceRules:
    rows = con.execute("select level, code, area_id from area_rules where force_id = ?", [force_id]).fetchall()
    if not rows:
        rows = [(r.level, r.code, r.area_id) for r in geography.default_mapping(force_id).rules]
    return ForceRules(force_id, {c: a for level, c, a in rows if level == "district"},
                      {c: a for level, c, a in rows if level == "lsoa"})


def mapped_forces(con: duckdb.DuckDBPyConnection, force_ids: list[str] | None = None) -> list[str]:
    """Forces with areas below the force area, real ones only: the demo's synthetic peer forces
    have no real districts to draw or count."""
    rows = con.execute("""
        select distinct a.force_id from areas a join forces f using (force_id)
        where a.parent_id is not null and not f.is_demo_peer order by 1
    """).fetchall()
    return [f for (f,) in rows if force_ids is None or f in force_ids]


def lsoa_districts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """LSOA code -> district name, from every LSOA name the database knows: LSOA boundaries and
    populations as imported, the shipped 2021 LSOA populations, and data.police.uk records."""
    rows = con.execute("""
        select code, name from boundaries where level = 'lsoa' and name is not null
        union all
        select code, name from populations where level = 'lsoa' and name is not null
        union all
        select lsoa_code, district_name || ' 000A' from lsoa_populations
        union all
        select distinct lsoa_code, lsoa_name from lsoa_counts
    """).fetchall()
    result = {}
    for code, name in rows:
        district = district_name(name)
        if district and code not in result:
            result[code] = district
    return result
