"""Where imported records go: LSOA -> district -> force, and district or LSOA -> area.

- An LSOA's district is its name without the " 001A" suffix ("Blaby 002A" -> "Blaby"), which
  works for 2011 and 2021 LSOAs alike; data/areas/districts.csv gives the district's CSP, force
  and population. A record in a district of another force is "outside the force"; one whose
  district is not in the lookup at all is an "unknown district" (2011 LSOAs of districts merged
  since, such as Aylesbury Vale, are the known case); one with no LSOA is "no location". They are
  counted in unplaced_counts and reported, never put in an area.
- Areas come from an area mapping file (`level,code,area_id,area_name`): `district` rules name a
  district (as LSOA names begin, or its LAD code), `lsoa` rules an LSOA code of either vintage;
  an LSOA rule wins over its district's rule. The LLR mapping ships in data/areas/. A force with
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
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scrutiny.core.errors import UserError
from scrutiny.core.paths import AREAS_DIR

DISTRICTS_FILE = AREAS_DIR / "districts.csv"
LSOA_POPULATION_GLOB = "lsoa21_population_*.csv"
# Leicester, Leicestershire and Rutland: the force whose panel this was built for (the demo's).
LLR_FORCE_ID = "leicestershire"
LLR_AREA_NAME = "Leicester, Leicestershire and Rutland"  # what its panel calls the force area
# Mappings shipped with the code, used when a force is imported for the first time without --areas.
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
    con.execute("""
        insert into districts
        select district_code, district_name, lsoa_prefix, nullif(csp_code, ''), csp_name, force_id,
               force_area_name, population
        from read_csv($path, header = true, all_varchar = true)
    """, {"path": str(DISTRICTS_FILE)})
    con.execute("delete from lsoa_populations")
    files = sorted(str(p) for p in AREAS_DIR.glob(LSOA_POPULATION_GLOB))
    if files:
        con.execute("""
            insert into lsoa_populations
            select lsoa_code, regexp_replace(lsoa_name, ' [0-9]{3}[A-Z]$', ''), population::integer
            from read_csv($files, header = true, all_varchar = true)
        """, {"files": files})


def default_mapping(force_id: str) -> Mapping:
    """The shipped mapping of the force if there is one, else its CSPs."""
    if force_id in BUILT_IN_MAPPINGS:
        return read_mapping(BUILT_IN_MAPPINGS[force_id])
    rules = []
    for prefix, d in sorted(districts().items()):
        if d["force_id"] == force_id:
            area_id = f"{force_id}-" + re.sub(r"[^a-z0-9]+", "-", d["csp_name"].lower()).strip("-")
            rules.append(Rule("district", prefix, area_id, d["csp_name"]))
    return Mapping(force_id, tuple(rules), "csp", "Community Safety Partnerships (data/areas/districts.csv)")


def read_mapping(path: Path) -> Mapping:
    """Read and check an area mapping file; UserError naming the file and line on any problem."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = [c.strip() for c in reader.fieldnames or []]
            missing = [c for c in ("level", "code", "area_id", "area_name") if c not in header]
            if missing:
                raise UserError(f"{path} line 1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                                "(an area mapping has level,code,area_id,area_name)")
            rows = [(reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k})
                    for row in reader]
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text; save it as UTF-8 (CSV UTF-8)") from None
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
    con.execute("""
        insert into area_rules
        select $force, unnest($levels), unnest($codes), unnest($area_ids), unnest($names), $area_level
    """, {"force": mapping.force_id, "levels": [r.level for r in rules], "codes": [r.code for r in rules],
          "area_ids": [r.area_id for r in rules], "names": [r.area_name for r in rules],
          "area_level": mapping.area_level})


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
    _placed_records(con, params)
    _new_areas(con, params)
    clash = con.execute("""
        select n.area_name from new_areas n join areas a on a.area_name = n.area_name or a.area_id = n.area_id
        where a.force_id <> $force limit 1
    """, params).fetchone()
    if clash:
        raise UserError(f"area {clash[0]!r} of {force_name} has the name or id of another force's area; "
                        "rename it in the area mapping")
    # DuckDB refuses to update a row that other tables refer to, so the force's rows that refer
    # to its areas are set aside, the areas replaced, and the rows put back where their area remains.
    con.execute("""
        create or replace temp table kept_values as
        select v.* from measure_values v join areas a using (area_id) where a.force_id = $force
    """, params)
    for table in ("measure_values", "monthly_counts", "area_districts"):
        con.execute(f"delete from {table} where area_id in (select area_id from areas where force_id = $force)", params)
    con.execute("delete from areas where force_id = $force and parent_id is not null", params)
    con.execute("delete from areas where force_id = $force", params)
    for parents in (True, False):  # the force area first: the others refer to it
        con.execute("""
            insert into areas
            select area_id, area_name, area_level, parent_id, $force, population, $source, sort_order,
                   2021 as population_year
            from new_areas where (parent_id is null) = $parents order by sort_order
        """, {**params, "source": POPULATION_SOURCE, "parents": parents})
    con.execute("insert into measure_values select * from kept_values where area_id in (select area_id from areas)")
    dropped = con.execute("select count(*) from kept_values where area_id not in (select area_id from areas)").fetchone()[0]
    _area_districts(con, params)
    con.execute("""
        insert into monthly_counts
        select area_id, crime_type, month, sum(crime_count)::integer
        from placed where area_id is not null group by all order by all
    """)
    con.execute("delete from unplaced_counts where force_id = $force", params)
    con.execute("""
        insert into unplaced_counts
        select $force, month, crime_type, reason, sum(crime_count)::integer
        from (select month, crime_type, reason, crime_count from placed where area_id is null
              union all
              select month, crime_type, 'no location', crime_count from unlocated_counts where force_id = $force)
        group by all order by all
    """, params)
    areas = con.execute("select count(*) from new_areas where parent_id is not null").fetchone()[0]
    placed = con.execute("select coalesce(sum(crime_count), 0) from placed where area_id is not null").fetchone()[0]
    unplaced = dict(con.execute("""
        select reason, sum(crime_count) from unplaced_counts where force_id = $force group by reason order by reason
    """, params).fetchall())
    return Remapped(areas, placed, unplaced, dropped)


def _placed_records(con, params) -> None:
    """Every LSOA count of the force with its area (LSOA rule first) or the reason it has none."""
    con.execute("""
        create or replace temp table placed as
        select l.month, l.crime_type, l.crime_count,
               coalesce(by_lsoa.area_id, by_district.area_id) as area_id,
               case when d.lsoa_prefix is null then 'unknown district'
                    when d.force_id <> $force then 'outside the force'
                    else 'no area rule' end as reason
        from lsoa_counts l
        left join districts d on d.lsoa_prefix = l.district_name
        left join area_rules by_lsoa
            on by_lsoa.force_id = $force and by_lsoa.level = 'lsoa' and by_lsoa.code = l.lsoa_code
        left join area_rules by_district
            on by_district.force_id = $force and by_district.level = 'district' and by_district.code = l.district_name
        where l.force_id = $force
    """, params)


def _new_areas(con, params) -> None:
    """The force area and one area per area_id of the rules, with Census 2021 populations."""
    con.execute("""
        create or replace temp table new_areas as
        with rules as (
            select * from area_rules where force_id = $force
        ),
        -- each 2021 LSOA with a shipped population, in its area by the same rules as the records
        lsoa_areas as (
            select p.lsoa_code, p.district_name, p.population,
                   coalesce(by_lsoa.area_id, by_district.area_id) as area_id
            from lsoa_populations p
            left join rules by_lsoa on by_lsoa.level = 'lsoa' and by_lsoa.code = p.lsoa_code
            left join rules by_district on by_district.level = 'district' and by_district.code = p.district_name
        ),
        from_lsoas as (
            select area_id, sum(population) as population from lsoa_areas where area_id is not null group by all
        ),
        -- districts whose LSOAs have no shipped populations count whole
        from_districts as (
            select r.area_id, sum(d.population) as population
            from rules r join districts d on d.lsoa_prefix = r.code
            where r.level = 'district' and r.code not in (select district_name from lsoa_populations)
            group by all
        ),
        -- an area with LSOA rules but none of its LSOAs in the shipped populations: unknown
        unknown as (
            select area_id from rules where level = 'lsoa' group by area_id
            having count(*) filter (where code in (select lsoa_code from lsoa_populations)) = 0
        ),
        npas as (
            select r.area_id, any_value(r.area_name) as area_name, any_value(r.area_level) as area_level,
                   case when r.area_id in (select area_id from unknown) then null
                        else nullif(coalesce(any_value(l.population), 0) + coalesce(any_value(d.population), 0), 0)
                   end::integer as population
            from rules r
            left join from_lsoas l using (area_id)
            left join from_districts d using (area_id)
            group by r.area_id
        ),
        force_area as (
            select $force as area_id, any_value(force_area_name) as area_name, 'force' as area_level,
                   sum(population)::integer as population
            from districts where force_id = $force
        )
        select area_id, area_name, area_level, null as parent_id, population, 0 as sort_order from force_area
        union all
        -- a force of one district (City of London) has a CSP of the force's own name: names are unique
        select area_id,
               case when area_name = (select area_name from force_area) then area_name || ' (CSP)' else area_name end,
               area_level, $force, population, row_number() over (order by area_name)::integer
        from npas
    """, params)


def _area_districts(con, params) -> None:
    """The districts (and so CSPs) each area covers, with the share of the district's people in it:
    from LSOA populations where shipped, else shared equally between the areas in the district."""
    con.execute("""
        insert into area_districts
        with rules as (
            select * from area_rules where force_id = $force
        ),
        lsoa_areas as (
            select p.district_name, p.population, coalesce(by_lsoa.area_id, by_district.area_id) as area_id
            from lsoa_populations p
            left join rules by_lsoa on by_lsoa.level = 'lsoa' and by_lsoa.code = p.lsoa_code
            left join rules by_district on by_district.level = 'district' and by_district.code = p.district_name
        ),
        measured as (
            select area_id, district_name,
                   sum(population) / sum(sum(population)) over (partition by district_name) as share
            from lsoa_areas group by area_id, district_name
        ),
        -- an LSOA rule's district, from the LSOA's name in the records or the populations
        lsoa_districts as (
            select distinct r.area_id, l.district_name
            from rules r join lsoa_counts l on l.lsoa_code = r.code
            where r.level = 'lsoa' and l.force_id = $force
            union
            select distinct r.area_id, p.district_name
            from rules r join lsoa_populations p on p.lsoa_code = r.code
            where r.level = 'lsoa'
        ),
        pairs as (
            select area_id, code as district_name from rules where level = 'district'
            union
            select area_id, district_name from lsoa_districts
        ),
        shared as (
            select p.area_id, p.district_name,
                   coalesce(m.share, 1.0 / count(*) over (partition by p.district_name)) as share
            from pairs p left join measured m using (area_id, district_name)
        )
        select s.area_id, d.district_code, d.district_name, d.csp_code, d.csp_name, s.share
        from shared s join districts d on d.lsoa_prefix = s.district_name
        where s.share > 0
        order by all
    """, params)
