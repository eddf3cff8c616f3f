"""Where imported records go: LSOA -> district -> force, and district or LSOA -> area.

- An LSOA's district is its name without the " 001A" suffix ("Blaby 002A" -> "Blaby"), which
  works for 2011 and 2021 LSOAs alike (the lsoa_district macro, store/schema/08_macros.sql); data/areas/districts.csv gives the district's CSP, force
  and population. A record in a district of another force is "outside the force"; one whose
  district is not in the lookup at all is an "unknown district"; a 2011 LSOA of a district merged
  or renamed since ("Daventry 001A", "Aylesbury Vale 001A") counts as its successor's
  (data/areas/former_districts.csv); one with no LSOA is "no location". They are
  counted in unplaced_counts and reported, never put in an area.
- Areas come from an area mapping file (`level,code,area_id,area_name`): `district` rules name a
  district (as LSOA names begin, or its LAD code), `lsoa` rules an LSOA code of either vintage;
  an LSOA rule wins over its district's rule (the area_of_lsoa macro, used by every query that
  places an LSOA; the statements are in store/sql/geography/). The LLR mapping ships in data/areas/. A force with
  no mapping gets its CSPs as areas (area_level 'csp'), built from the lookup.
- Populations (Census 2021) are computed from the same rules: from 2021 LSOAs where
  data/areas/lsoa21_population_*.csv has them (LLR), else whole districts. An area of LSOAs
  whose populations are not shipped gets none, so no rate is shown rather than a wrong one.
  Populations loaded with `import population` win where they cover an area (scrutiny/geography/).
- Re-mapping rebuilds the force's areas, monthly_counts and unplaced_counts from lsoa_counts,
  with no need to import the files again (`python -m scrutiny import areas FILE`); remapping.py
  then brings imported populations and outlines along.
"""
from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scrutiny.core import bounds
from scrutiny.core.errors import UserError
from scrutiny.core.paths import AREAS_DIR
from scrutiny.store import queries

DISTRICTS_FILE = AREAS_DIR / "districts.csv"
FORMER_DISTRICTS_FILE = AREAS_DIR / "former_districts.csv"
LSOA_POPULATION_GLOB = "lsoa21_population_*.csv"
# Leicester, Leicestershire and Rutland: the force whose panel this was built for (the demo's).
LLR_FORCE_ID = "leicestershire"
LLR_AREA_NAME = "Leicester, Leicestershire and Rutland"  # what its panel calls the force area
# Mappings shipped with the code, used when the home force is imported for the first time without
# --areas. They are the home panel's own areas (LLR's NPAs); a force fetched or imported as a peer
# gets its Community Safety Partnerships, as every other force does, so partnerships compare with
# partnerships.
BUILT_IN_MAPPINGS = {LLR_FORCE_ID: AREAS_DIR / "llr_area_rules.csv"}
POPULATION_SOURCE = "Census 2021 usual residents (ONS), summed from LSOAs or districts"

_AREA_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_LSOA_CODE = re.compile(r"^[EW]01[0-9]{6}$")
_FORCE_SUFFIXES = re.compile(r"\s+(police service|police|constabulary)$")


@dataclass(frozen=True)
class Rule:
    level: str      # 'district' or 'lsoa'
    code: str       # district name as LSOA names begin, or an LSOA code
    area_id: str
    area_name: str


@dataclass(frozen=True)
class Mapping:
    force_id: str
    rules: tuple[Rule, ...]
    area_level: str  # 'npa' for a mapping file, 'csp' for the default
    source: str      # the file, or a description of the default


@functools.cache
def districts() -> dict[str, dict]:
    """The district lookup, keyed by how LSOA names begin."""
    with DISTRICTS_FILE.open(newline="", encoding="utf-8") as f:
        return {row["lsoa_prefix"]: row for row in csv.DictReader(f)}


def force_ids() -> set[str]:
    return {d["force_id"] for d in districts().values()}


def force_id_from_name(name: str) -> str:
    """'Leicestershire Police' -> 'leicestershire', 'Devon & Cornwall Police' -> 'devon-and-cornwall':
    data.police.uk's force ids, from the "Falls within" column."""
    words = _FORCE_SUFFIXES.sub("", name.strip().lower()).replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "-", words).strip("-")


def load_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """Refresh the database's copy of the district lookup and the LSOA populations."""
    con.execute("delete from districts")
    queries.write(con, "geography/districts", path=str(DISTRICTS_FILE))
    con.execute("delete from former_districts")
    queries.write(con, "geography/former_districts", former_path=str(FORMER_DISTRICTS_FILE))
    con.execute("delete from lsoa_populations")
    files = sorted(str(p) for p in AREAS_DIR.glob(LSOA_POPULATION_GLOB))
    if files:
        queries.write(con, "geography/lsoa_populations", files=files)


def default_mapping(force_id: str, *, home: bool) -> Mapping:
    """The shipped mapping of the force if there is one and it is the home force, else its CSPs."""
    if home and force_id in BUILT_IN_MAPPINGS:
        return read_mapping(BUILT_IN_MAPPINGS[force_id])
    rules = []
    for prefix, d in sorted(districts().items()):
        if d["force_id"] == force_id:
            area_id = f"{force_id}-" + re.sub(r"[^a-z0-9]+", "-", d["csp_name"].lower()).strip("-")
            rules.append(Rule("district", prefix, area_id, d["csp_name"]))
    return Mapping(force_id, tuple(rules), "csp", "Community Safety Partnerships (data/areas/districts.csv)")


def read_mapping(path: Path, limit: bounds.Limit = bounds.AREA_MAPPING) -> Mapping:
    """Read and check an area mapping file; UserError naming the file and line on any problem."""
    try:
        text = bounds.read_capped(path, limit).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text; save it as UTF-8 (CSV UTF-8)") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in ("level", "code", "area_id", "area_name") if c not in header]
    if missing:
        raise UserError(f"{path} line 1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                        "(an area mapping has level,code,area_id,area_name)")
    rows = [(reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k}) for row in reader]
    lookup, by_code = districts(), {d["district_code"]: p for p, d in districts().items()}
    rules, seen, names, forces = [], {}, {}, set()
    for line, row in rows:
        level, code, area_id, area_name = row["level"], row["code"], row["area_id"], row["area_name"]
        where = f"{path} line {line}"
        if level == "district":
            code = by_code.get(code, code)
            if code not in lookup:
                raise UserError(f"{where}: unknown district {row['code']!r} (see data/areas/districts.csv)")
            forces.add(lookup[code]["force_id"])
        elif level == "lsoa":
            if not _LSOA_CODE.match(code):
                raise UserError(f"{where}: {code!r} is not an LSOA code (E01... or W01...)")
        else:
            raise UserError(f"{where}: level must be 'district' or 'lsoa', not {level!r}")
        if not _AREA_ID.match(area_id):
            raise UserError(f"{where}: area_id {area_id!r} must be lower-case letters, digits and hyphens")
        if not area_name:
            raise UserError(f"{where}: no area_name")
        if names.setdefault(area_id, area_name) != area_name:
            raise UserError(f"{where}: area {area_id} is called {names[area_id]!r} on an earlier line")
        if (level, code) in seen:
            raise UserError(f"{where}: {level} {code} already has a rule, on line {seen[level, code]}")
        seen[level, code] = line
        rules.append(Rule(level, code, area_id, area_name))
    if not rules:
        raise UserError(f"{path}: no rules")
    if len(forces) != 1:
        which = ", ".join(sorted(forces)) if forces else "none: it has no district rules"
        raise UserError(f"{path}: a mapping must be for one force, by its district rules (forces found: {which})")
    return Mapping(forces.pop(), tuple(rules), "npa", path.name)


def set_rules(con: duckdb.DuckDBPyConnection, mapping: Mapping) -> None:
    con.execute("delete from area_rules where force_id = ?", [mapping.force_id])
    rules = mapping.rules
    queries.write(con, "geography/area_rules", force=mapping.force_id, levels=[r.level for r in rules],
                  codes=[r.code for r in rules], area_ids=[r.area_id for r in rules],
                  names=[r.area_name for r in rules], area_level=mapping.area_level)


def has_rules(con: duckdb.DuckDBPyConnection, force_id: str) -> bool:
    return con.execute("select count(*) from area_rules where force_id = ?", [force_id]).fetchone()[0] > 0


@dataclass(frozen=True)
class Remapped:
    areas: int
    placed: int
    unplaced: dict[str, int]          # reason -> records
    dropped_measure_values: int       # values of areas that the new mapping no longer has


def rebuild_force_areas(con: duckdb.DuckDBPyConnection, force_id: str, force_name: str) -> Remapped:
    """Rebuild the force's areas, area_districts, monthly_counts and unplaced_counts from its
    lsoa_counts and area_rules, with the shipped Census populations. Other forces are untouched.
    remapping.remap_force then applies what `import population` and `import boundaries` loaded."""
    params = {"force": force_id}
    queries.write(con, "geography/placed_records", **params)
    queries.write(con, "geography/new_areas", **params)
    clash = queries.write(con, "geography/clashing_areas", **params).fetchone()
    if clash:
        raise UserError(f"area {clash[0]!r} of {force_name} has the name or id of another force's area; "
                        "rename it in the area mapping")
    # DuckDB refuses to update a row that other tables refer to, so the force's rows that refer
    # to its areas are set aside, the areas replaced, and the rows put back where their area remains.
    queries.write(con, "geography/kept_values", **params)
    for table in ("measure_values", "monthly_counts", "area_districts"):
        con.execute(f"delete from {table} where area_id in (select area_id from areas where force_id = $force)", params)
    con.execute("delete from areas where force_id = $force and parent_id is not null", params)
    con.execute("delete from areas where force_id = $force", params)
    for parents in (True, False):  # the force area first: the others refer to it
        queries.write(con, "geography/areas", **params, source=POPULATION_SOURCE, parents=parents)
    con.execute("insert into measure_values select * from kept_values where area_id in (select area_id from areas)")
    dropped = con.execute("select count(*) from kept_values where area_id not in (select area_id from areas)").fetchone()[0]
    queries.write(con, "geography/area_districts", **params)
    queries.write(con, "geography/monthly_counts", **params)
    con.execute("delete from unplaced_counts where force_id = $force", params)
    queries.write(con, "geography/unplaced_counts", **params)
    areas = con.execute("select count(*) from new_areas where parent_id is not null").fetchone()[0]
    placed = con.execute("select coalesce(sum(crime_count), 0) from placed where area_id is not null").fetchone()[0]
    unplaced = dict(queries.write(con, "geography/unplaced_by_reason", **params).fetchall())
    return Remapped(areas, placed, unplaced, dropped)
