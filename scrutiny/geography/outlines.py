"""Area (NPA or CSP) outlines dissolved from the district and LSOA shapes of `boundaries`.

For every real force with areas, by its area rules (placement.py), district by district:
- if LSOA shapes of the district are loaded and cover it, each LSOA goes to its area (its LSOA
  rule, else its district's rule). They cover it when their union's area is within COVER of the
  district shape's, if that is loaded; else when every LSOA of a known list of the district's
  2021 LSOAs (the shipped lsoa_populations, else the LSOA populations imported) that existed in
  2011 too is among them, so 2011 and 2021 shapes both pass; with no list they are taken to;
- else, if the district's shape is loaded and the district is wholly in one area, all of it
  goes there (the report names the districts drawn so because their LSOAs did not cover them);
- else the areas that take in the district cannot be drawn from what is loaded (Leicester, split
  between three city NPAs by LSOA, needs all its LSOA shapes).
An area is drawn only when every district it takes in can be: half an outline would mislead.
Each area's pieces are merged (unary_union) and simplified like any shape (shapes.py). The pieces
were simplified one by one, so neighbours can leave hairline gaps between them; a closing (grow
by CLOSE_GAPS degrees, then shrink back, with mitred corners that keep the outline's shape)
seals them before the merge.
Outlines are rebuilt after every boundary import and every re-mapping of a force; an outline
imported with --level area (a source not beginning 'dissolved from') is never replaced.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

import duckdb
import shapely
from shapely.geometry import shape

from scrutiny.geography import placement, shapes
from scrutiny.geography import areas as geography
from scrutiny.store import queries

DISSOLVED = "dissolved from "
CLOSE_GAPS = 3 * shapes.BASE_TOLERANCE
# LSOA shapes cover their district when their union's area is within this of the district shape's
# (they are generalised differently: the full LLR LSOA file is within 1.6% of every LLR district,
# in the ONS district GeoJSON and in the TopoJSON).
COVER = 0.02
# The last LSOA codes of 2011; higher ones are new in 2021.
LAST_2011_LSOA = {"E": "E01033768", "W": "W01001958"}


@dataclass
class OutlineReport:
    drawn: int = 0
    areas: int = 0                                   # areas that could have an outline
    not_drawn: list[str] = field(default_factory=list)  # one line per reason, naming the areas
    kept_imported: int = 0                           # areas whose outline was imported, left alone
    lsoas_incomplete: list[str] = field(default_factory=list)  # districts drawn from their district shape

    def summary(self) -> str:
        if not self.areas:
            return "no areas to outline"
        text = f"area outlines: {self.drawn} of {self.areas} drawn"
        if not self.drawn and len(self.not_drawn) == 1 and not self.kept_imported:
            return f"area outlines: none drawn ({self.not_drawn[0]})"
        if self.kept_imported:
            text += f", {self.kept_imported} imported kept"
        if self.lsoas_incomplete:
            text += (f", {_listed(self.lsoas_incomplete)} from the district boundary, its LSOA boundaries being "
                     if len(self.lsoas_incomplete) == 1 else
                     f", {_listed(self.lsoas_incomplete)} from the district boundaries, their LSOA boundaries being ")
            text += "incomplete"
        return text + (f" (not drawn: {'; '.join(self.not_drawn)})" if self.not_drawn else "")


def rebuild(con: duckdb.DuckDBPyConnection, force_ids: list[str] | None = None) -> OutlineReport:
    """Dissolve the outlines of every real force's areas (or of these forces') again."""
    queries.write(con, "geography/stale_outlines", dissolved=DISSOLVED,
                  forces=placement.mapped_forces(con, force_ids) if force_ids is not None
                  else [f for (f,) in con.execute("select force_id from forces").fetchall()])
    report = OutlineReport()
    if not queries.write(con, "geography/polygon_count").fetchone()[0]:
        report.areas = queries.write(con, "geography/mapped_area_count",
                                     forces=placement.mapped_forces(con, force_ids)).fetchone()[0]
        if report.areas:
            report.not_drawn = ["no district or LSOA polygons are loaded"]
        return report
    pieces = _Pieces(con)
    imported = {c for (c,) in con.execute("select code from boundaries where level = 'area'").fetchall()}
    reasons: dict[str, list[str]] = defaultdict(list)
    rows = []
    for force_id in placement.mapped_forces(con, force_ids):
        rules = placement.rules_for(con, force_id, pieces.lsoa_district)
        areas = queries.write(con, "geography/force_areas", force=force_id).fetchall()
        of_areas = rules.districts_of_areas(pieces.lsoa_district)
        split = rules.split_districts(pieces.lsoa_district)
        for area_id, area_name in areas:
            report.areas += 1
            if area_id in imported:
                report.kept_imported += 1
                continue
            parts, used, missing, fallback = [], set(), [], []
            for district in sorted(of_areas.get(area_id, ())):
                if district in pieces.lsoas and pieces.covered(district):
                    parts += [g for code, g in pieces.lsoas[district] if rules.lsoa_area.get(code) == area_id]
                    used.add("LSOA")
                elif district in pieces.districts and district not in split:
                    parts.append(pieces.districts[district])
                    used.add("district")
                    if district in pieces.lsoas:
                        fallback.append(district)
                else:
                    missing.append(district)
            if missing or not parts:
                reasons[_reason(missing, split, pieces)].append(area_name)
                continue
            report.lsoas_incomplete += [d for d in fallback if d not in report.lsoas_incomplete]
            outline = shapes.simplified(_merged(parts))
            lon, lat = shapes.label_point(outline)
            source = DISSOLVED + " and ".join(u for u in ("district", "LSOA") if u in used) + " boundaries"
            rows.append((area_id, area_name, shapes.geojson_text(outline), outline.geom_type, lon, lat,
                         shapes.vertices(outline), source))
            report.drawn += 1
    for row in rows:
        con.execute("insert into boundaries values ('area', ?, ?, null, ?, ?, ?, ?, ?, ?)", list(row))
    report.not_drawn = [f"{', '.join(names)}: {reason}" for reason, names in reasons.items()]
    return report


def _reason(missing: list[str], split: set[str], pieces: "_Pieces") -> str:
    if not missing:
        return "no district or LSOA of theirs is loaded"
    partial = [d for d in missing if d in pieces.lsoas]
    split_ones = [d for d in missing if d in split and d not in partial]
    if split_ones:
        verb = "is" if len(split_ones) == 1 else "are"
        return f"{_listed(split_ones)} {verb} split between areas; import LSOA boundaries to draw them"
    if partial:
        return f"only some of the LSOA boundaries of {_listed(partial)} are loaded"
    return f"no boundary loaded for {_listed(missing)}"


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _merged(parts):
    grown = [shapely.buffer(p, CLOSE_GAPS, join_style="mitre") for p in parts]
    merged = shapely.buffer(shapely.unary_union(grown), -CLOSE_GAPS, join_style="mitre")
    return shapes.polygonal(merged)


class _Pieces:
    """The loaded district shapes (by district name, as LSOA names begin) and LSOA shapes (by
    their district), as shapely geometries, and the 2021 LSOAs known of each district."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.known: dict[str, set[str]] = {}
        for source in ("select lsoa_code, district_name from lsoa_populations",
                       "select code, nullif(lsoa_district(name), name) from populations where level = 'lsoa'"):
            listed: dict[str, set[str]] = defaultdict(set)
            for code, district in con.execute(source).fetchall():
                if district:
                    listed[district].add(code)
            for district, codes_ in listed.items():
                self.known.setdefault(district, codes_)  # the shipped list first
        self._covered: dict[str, bool] = {}
        by_code = {d["district_code"]: prefix for prefix, d in geography.districts().items()}
        self.lsoa_district = placement.lsoa_districts(con)
        self.districts = {}
        self.lsoas: dict[str, list] = defaultdict(list)
        for level, code, text in queries.write(con, "geography/polygons").fetchall():
            if level == "district" and code in by_code:
                self.districts[by_code[code]] = shape(json.loads(text))
            elif level == "lsoa" and code in self.lsoa_district:
                self.lsoas[self.lsoa_district[code]].append((code, shape(json.loads(text))))

    def covered(self, district: str) -> bool:
        """Do the loaded LSOA shapes of the district cover it? (See the module's docstring.)"""
        if district not in self._covered:
            lsoas = self.lsoas[district]
            if district in self.districts:
                whole = self.districts[district].area
                union = shapely.unary_union([shapely.make_valid(g) for _, g in lsoas]).area
                self._covered[district] = abs(union - whole) <= COVER * whole
            else:
                loaded = {code for code, _ in lsoas}
                self._covered[district] = all(code in loaded for code in self.known.get(district, ())
                                              if code <= LAST_2011_LSOA.get(code[:1], ""))
        return self._covered[district]
