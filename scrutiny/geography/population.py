"""`import population FILE`: Census populations of LSOAs, districts or force areas, and every
area's population recomputed from them.

A file is a CSV (gzip-compressed or not) with a column of ONS codes (LSOA21CD, LAD22CD,
PFA21CD, lsoa21_code ...) and a population column (total, usual_residents, population or all
ages). Wide files, with a total column (total, all ages or all persons), have one row per code,
whatever other columns they have ("Aged 15 years and under" ...); long files have a breakdown
column (age_group, sex ...) and are summed by code. The codes say the level, which must be one.
The year is --year, else the file's name or header (census21, census2021 or 2021 -> 2021);
without one the file is refused.
Rows replace those of the same level and code in `populations`.

Then each real force's areas get their population from what is loaded, where it covers them:
an NPA or CSP, the sum of its whole districts' figures and of its 2021 LSOAs (placed by the area
rules, as areas.py places records) in districts split between areas or without a figure;
the force area, the force's own figure, else the sum of its districts. A district's LSOA figures
count only when they are all of it (every LSOA of the shipped list, or within 1% of the
district's population); when they are not, the district's loaded or shipped figure is used
where it lies wholly in one area, and the command says which districts' LSOA figures were left
out. An area not covered keeps what it had, and the demo's synthetic peer forces keep
theirs. remapping.remap_force calls recompute_area_populations too, so a later re-mapping keeps
imported populations. The rollups and ratings are recomputed, as after every import.
"""
from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scrutiny.core import bounds
from scrutiny.core.errors import UserError
from scrutiny.geography import codes, placement
from scrutiny.geography.readers import read_text
from scrutiny.geography import areas as geography
from scrutiny.core.files import now, sha256_of
from scrutiny.store import queries, writes
from scrutiny.rate.ratings import finish

PROVENANCE_PREFIX = "Population: "
POPULATION_COLUMNS = ("total", "usual residents", "population", "all ages", "all persons")
TOTAL_COLUMNS = ("total", "all ages", "all persons")  # a wide file's: one row per code
_BREAKDOWN = re.compile(r"\b(age|sex|gender|group|band|category|categories)\b")  # of a long file (_normal)
_CENSUS_YEAR = re.compile(r"census[ _-]?(?:20)?(\d{2})(?!\d)", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_WHOLE = re.compile(r"^-?\d+(?:\.0+)?$")
# A district's loaded LSOA figures are all of it when they sum to within this of its population.
COMPLETE = 0.01
# The source of a district's shipped Census 2021 figure, used for a district whose LSOA figures are not.
SHIPPED = geography.DISTRICTS_FILE.name


@dataclass
class PopulationFile:
    level: str
    year: int
    populations: dict[str, int]          # code -> people
    names: dict[str, str]


@dataclass
class PopulationReport:
    level: str
    year: int
    codes: int
    people: int
    areas_changed: int                   # areas whose number of residents changed
    areas_relabelled: int                # areas with the same number from a new source or year
    lsoas_not_used: dict[str, str]       # district -> why its LSOA figures were not used

    @property
    def areas_updated(self) -> int:
        # An area whose figure, source and year are all as before is not updated: counting it
        # made the summary not add up, and a re-import of the same file claim changes.
        return self.areas_changed + self.areas_relabelled

    def not_used(self) -> str:
        return not_used_summary(self.lsoas_not_used)


@dataclass
class AreaPopulations:
    covered: int                         # areas the loaded figures cover, changed or not
    changed: int                         # areas whose number of residents changed
    relabelled: int                      # areas whose number is the same but source or year is not
    lsoas_not_used: dict[str, str]       # district -> why its LSOA figures were not used


def import_population(path: Path, database: Path, year: int | None = None,
                      limit: bounds.Limit = bounds.POPULATION) -> PopulationReport:
    found = read_population_file(path, year, limit)
    with writes.changed_database(database, create=False) as (con, _new):
        geography.load_lookups(con)
        codes_ = sorted(found.populations)
        queries.write(con, "geography/new_populations", level=found.level, codes=codes_,
                      names=[found.names.get(c) for c in codes_], people=[found.populations[c] for c in codes_],
                      year=found.year, source=path.name)
        con.execute("delete from populations p using new_populations n where p.level = n.level and p.code = n.code")
        con.execute("insert into populations select * from new_populations order by code")
        source = PROVENANCE_PREFIX + path.name
        con.execute("delete from provenance where source = ?", [source])
        con.execute("insert into provenance values (?, ?, ?, null, null, ?, ?)", [
            source, f"Populations of {len(codes_):,} {_plural(found.level)} ({found.year}) from {path.name}; "
                    "the areas' populations are summed from them.",
            len(codes_), sha256_of(path), now()])
        result = recompute_area_populations(con)
        finish(con)
    return PopulationReport(found.level, found.year, len(found.populations), sum(found.populations.values()),
                            result.changed, result.relabelled, result.lsoas_not_used)


def _plural(level: str) -> str:
    return {"lsoa": "LSOAs", "district": "districts", "force": "police force areas"}[level]


# --- reading ---------------------------------------------------------------------------------------

def read_population_file(path: Path, year: int | None, limit: bounds.Limit = bounds.POPULATION) -> PopulationFile:
    reader = csv.reader(io.StringIO(read_text(path, limit)))
    header = [h.strip() for h in next(reader, [])]
    rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)] if header else []
    code_col = _code_column(path, header, rows)
    pop_col = next((i for i, h in enumerate(header) if _normal(h) in POPULATION_COLUMNS), None)
    if pop_col is None:
        raise UserError(f"{path} line 1: no population column (total, usual_residents, population or all ages); "
                        f"its columns are {', '.join(header)}")
    name = codes.name_property(header[code_col], header)
    name_col = header.index(name) if name else None
    breakdown = None if _normal(header[pop_col]) in TOTAL_COLUMNS else next(
        (i for i, h in enumerate(header)
         if i not in (code_col, pop_col, name_col) and _BREAKDOWN.search(_normal(h)) and not codes.code_properties([h])),
        None)
    year = year or _year(path, header)
    populations: dict[str, int] = {}
    names: dict[str, str] = {}
    first_line: dict[tuple, int] = {}
    level, level_line = None, 0
    for line, row in rows:
        cell = lambda i: row[i].strip() if i is not None and i < len(row) else ""  # noqa: E731
        code, value = cell(code_col), cell(pop_col).replace(",", "")
        where = f"{path} line {line}"
        this = codes.level_of(code)
        if this is None or this == "area":
            raise UserError(f"{where}: {code!r} is not an ONS code of an LSOA, district or police force area")
        if level is None:
            level, level_line = this, line
        elif this != level:
            raise UserError(f"{where}: {code} is {codes.a(this)} code, but line {level_line} has "
                            f"{codes.a(level)} code; a file must be of one level")
        if not _WHOLE.match(value):
            raise UserError(f"{where}: population {cell(pop_col)!r} ({header[pop_col]}) is not a whole number")
        people = int(float(value))
        key = (code, cell(breakdown)) if breakdown is not None else (code,)
        if key in first_line:
            what = f"{code} {header[breakdown]} {key[1]!r}" if breakdown is not None else f"code {code}"
            raise UserError(f"{where}: {what} is also on line {first_line[key]}; each must be once")
        first_line[key] = line
        if people < 0 or (people == 0 and breakdown is None):
            raise UserError(f"{where}: population {people:,} for {code}; a population must be above zero")
        populations[code] = populations.get(code, 0) + people
        if cell(name_col):
            names.setdefault(code, cell(name_col))
    if not populations:
        raise UserError(f"{path}: no rows")
    empty = next((c for c, n in populations.items() if n <= 0), None)
    if empty:
        raise UserError(f"{path}: {empty} has a population of 0 in all its rows; a population must be above zero")
    return PopulationFile(level, year, populations, names)


def _normal(name: str) -> str:
    return re.sub(r"[\s_]+", " ", name.strip().lower())


def _code_column(path: Path, header: list[str], rows) -> int:
    if not header:
        raise UserError(f"{path}: empty")
    candidates = codes.code_properties(header)
    first = rows[0][1] if rows else []
    for name in candidates:
        i = header.index(name)
        if i < len(first) and codes.level_of(first[i].strip()) in ("lsoa", "district", "force"):
            return i
    if not rows:
        raise UserError(f"{path}: a header but no rows")
    raise UserError(f"{path} line 1: no column of ONS codes of LSOAs, districts or police force areas "
                    f"(like LSOA21CD, LAD22CD, PFA21CD or lsoa21_code); its columns are {', '.join(header)}")


def _year(path: Path, header: list[str]) -> int:
    for text in (path.name, " ".join(header)):
        census = {2000 + int(m) for m in _CENSUS_YEAR.findall(text)}
        years = census or {int(y) for y in _YEAR.findall(text)}
        if len(years) == 1:
            return years.pop()
    raise UserError(f"{path}: the year these populations count is not in the file's name or header; "
                    "give it with --year (2021 for the Census)")


# --- the areas' populations --------------------------------------------------------------------------

@dataclass
class _Figure:
    people: int
    year: int
    source: str


def recompute_area_populations(con: duckdb.DuckDBPyConnection, force_ids: list[str] | None = None) -> AreaPopulations:
    """Set population, population_source and population_year of every area of the real forces
    (or of these forces) that the loaded populations cover.

    For each district an area takes in: its loaded figure if it lies wholly in the area, else its
    loaded LSOAs' figures if they are all of it (_drop_incomplete), else, if they are not, its
    shipped figure if it lies wholly in the area; else the area is not covered. An area whose
    figures would all be shipped ones keeps what it has."""
    loaded = con.execute("select level, code, name, population, year, source from populations").fetchall()
    if not loaded:
        return AreaPopulations(0, 0, 0, {})
    prefix_of = {d["district_code"]: p for p, d in geography.districts().items()}
    by_ons = dict(con.execute("select ons_code, code from boundaries where level = 'force'").fetchall())
    lsoas, districts, forces = {}, {}, {}
    for level, code, name, people, year, source in loaded:
        figure = _Figure(people, year, source)
        if level == "lsoa":
            lsoas[code] = figure
        elif level == "district" and code in prefix_of:
            districts[prefix_of[code]] = figure
        elif level == "force":
            force_id = codes.force_id_for(name or "") or by_ons.get(code)
            if force_id:
                forces[force_id] = figure
    lsoa_district = placement.lsoa_districts(con)
    lsoas_in: dict[str, list[str]] = defaultdict(list)
    for code in lsoas:
        if code in lsoa_district:
            lsoas_in[lsoa_district[code]].append(code)
    mapped = placement.mapped_forces(con, force_ids)
    shipped = _shipped_figures(con, mapped, lsoas_in)
    not_used = _drop_incomplete(con, lsoas, lsoas_in, districts, shipped)

    updates = []
    for force_id in mapped:
        rules = placement.rules_for(con, force_id, lsoa_district)
        of_areas = rules.districts_of_areas(lsoa_district)
        split = rules.split_districts(lsoa_district)
        for (area_id,) in con.execute("select area_id from areas where force_id = ? and parent_id is not null",
                                      [force_id]).fetchall():
            figures, kinds = [], set()
            for district in of_areas.get(area_id, ()):
                whole = district not in split and rules.by_district.get(district) == area_id
                if whole and district in districts:
                    figures.append(districts[district])
                    kinds.add("districts")
                elif lsoas_in[district]:
                    figures += [lsoas[c] for c in lsoas_in[district] if rules.lsoa_area.get(c) == area_id]
                    kinds.add("LSOAs")
                elif whole and district in not_used and district in shipped:
                    figures.append(shipped[district])
                    kinds.add("districts")
                else:
                    figures = []
                    break
            if any(f.source != SHIPPED for f in figures):
                updates.append((area_id, figures, kinds))
        force_area = con.execute("select area_id from areas where force_id = ? and area_level = 'force'",
                                 [force_id]).fetchone()
        if force_area:
            figures = _force_figures(force_id, forces, districts, lsoas, lsoas_in, not_used, shipped)
            if figures:
                updates.append((force_area[0], *figures))

    if not updates:
        return AreaPopulations(0, 0, 0, not_used)
    years = [max(f.year for f in figures) for _, figures, _ in updates]
    new = dict(area_ids=[area_id for area_id, _, _ in updates],
               populations=[sum(f.people for f in figures) for _, figures, _ in updates],
               sources=[_source(year, {f.source for f in figures}, kinds) for year, (_, figures, kinds) in zip(years, updates)],
               years=years)
    changed, relabelled = queries.write(con, "geography/population_changes", **new).fetchone()
    queries.write(con, "geography/area_populations", **new)
    return AreaPopulations(len(updates), changed, relabelled, not_used)


def _shipped_figures(con, force_ids: list[str], lsoas_in) -> dict[str, _Figure]:
    """district -> its shipped Census 2021 population (the districts table, from
    data/areas/districts.csv), for the districts of these forces and those with LSOAs loaded."""
    rows = con.execute("select lsoa_prefix, force_id, population from districts").fetchall()
    return {prefix: _Figure(int(people), 2021, SHIPPED) for prefix, force_id, people in rows
            if people and (force_id in force_ids or prefix in lsoas_in)}


def _drop_incomplete(con, lsoas, lsoas_in, districts, shipped) -> dict[str, str]:
    """Drop from lsoas_in each district whose loaded LSOA figures are not all of it, and say
    why: district -> reason. They are all of it when every 2021 LSOA of a known list (the
    shipped lsoa_populations, LLR) is loaded, or when they sum to within COMPLETE of the
    district's population as known (its loaded figure, else the shipped one); a district with
    neither is taken as complete."""
    known: dict[str, set[str]] = defaultdict(set)
    for code, district in con.execute("select lsoa_code, district_name from lsoa_populations").fetchall():
        known[district].add(code)
    not_used = {}
    for district, codes_ in list(lsoas_in.items()):
        if not codes_:
            continue
        loaded = set(codes_)
        people = sum(lsoas[c].people for c in codes_)
        figure = districts.get(district) or shipped.get(district)
        if known[district] and known[district] <= loaded:
            continue
        if figure and abs(people - figure.people) <= COMPLETE * figure.people:
            continue
        if not known[district] and not figure:
            continue
        if figure:
            lsoas_ = "1 LSOA" if len(loaded) == 1 else f"{len(loaded):,} LSOAs"
            not_used[district] = f"{lsoas_}, {people:,} of its {figure.people:,} people"
        else:
            not_used[district] = f"{len(loaded & known[district]):,} of its {len(known[district]):,} LSOAs"
        del lsoas_in[district]
    return not_used


def _force_figures(force_id, forces, districts, lsoas, lsoas_in, not_used, shipped):
    """The force area's own figure if loaded, else all its districts' (each its own figure, the
    sum of its LSOAs, or the shipped figure of a district whose LSOAs are not all loaded), else
    None."""
    if force_id in forces:
        return [forces[force_id]], set()
    figures, kinds = [], set()
    for prefix, d in geography.districts().items():
        if d["force_id"] != force_id:
            continue
        if prefix in districts:
            figures.append(districts[prefix])
            kinds.add("districts")
        elif lsoas_in[prefix]:
            figures += [lsoas[c] for c in lsoas_in[prefix]]
            kinds.add("LSOAs")
        elif prefix in not_used and prefix in shipped:
            figures.append(shipped[prefix])
            kinds.add("districts")
        else:
            return None
    return (figures, kinds) if any(f.source != SHIPPED for f in figures) else None


def not_used_summary(not_used: dict[str, str]) -> str:
    """'LSOA figures not used, being incomplete: Preston (10 LSOAs, 15,129 of its 147,829
    people)', naming three districts at most."""
    if not not_used:
        return ""
    named = [f"{d} ({why})" for d, why in sorted(not_used.items())]
    more = f" and {len(named) - 3} more" if len(named) > 3 else ""
    return "LSOA figures not used, being incomplete: " + "; ".join(named[:3]) + more


def _source(year: int, files: set[str], kinds: set[str]) -> str:
    what = "Census 2021 usual residents (ONS)" if year == 2021 else f"Population {year}"
    text = f"{what}, from {', '.join(sorted(files))}"
    summed = [k for k in ("LSOAs", "districts") if k in kinds]
    return text + (f", summed from {' and '.join(summed)}" if summed else "")


@dataclass(frozen=True)
class SourceParts:
    what: str                  # 'Census 2021 usual residents (ONS)', 'Population 2023'
    files: tuple[str, ...]     # the files named, if any
    summed_from: str           # 'LSOAs', 'districts', 'LSOAs or districts', or ''


def source_parts(source: str) -> SourceParts:
    """An area's population_source taken apart (the inverse of _source, and read the same way
    for the shipped and demo sources, which name no file), so that a note on many areas can name
    each source and each file once."""
    rest, _, summed = source.partition(", summed from ")
    what, _, files = rest.partition(", from ")
    return SourceParts(what, tuple(f for f in files.split(", ") if f), summed)
