"""`import boundaries FILE [FILE ...]`: district, LSOA, force or area shapes into `boundaries`.

Every file is read and checked in full before the database is touched: the code property of
every feature, codes of the level asked for (or one level, inferred from the codes), no code
twice, geometries of the right types in longitude and latitude. Then, in a copy of the database
renamed into place (store/writes.py), each (level, code) imported replaces its earlier shape and every
other shape stays, so files of parts of a level (the nine LSOA files of LLR) can be loaded one
after another. What the dashboard joins on (`code`) is the ONS code of a district or LSOA,
data.police.uk's force id for a force (its ONS code in `ons_code`), and the area_id of an area.
Kept: districts of data/areas/districts.csv (England and Wales), LSOAs of England and Wales,
the 43 police force areas. Area outlines are then dissolved again (outlines.py).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from scrutiny.core import bounds
from scrutiny.core.errors import UserError
from scrutiny.geography import codes, outlines, shapes
from scrutiny.geography.readers import FileFeatures, read_features
from scrutiny.geography import areas as geography
from scrutiny.core.files import now, sha256_of
from scrutiny.store import queries, writes

PROVENANCE_PREFIX = "Boundaries: "
OUTSIDE = "outside England and Wales"
OTHER_VINTAGE = "older or newer districts not in data/areas/districts.csv"
NO_AREA = "not an area of the database"
POLYGON_KEPT = "centroids of places whose boundary is already loaded"


@dataclass
class Shape:
    code: str
    name: str | None
    ons_code: str | None
    geometry: object          # shapely, repaired, before simplification
    where: str


@dataclass
class FileReport:
    path: Path
    kind: str
    level: str
    shapes: list[Shape]
    skipped: Counter = field(default_factory=Counter)   # reason -> features
    older_vintages: int = 0
    vertices: int = 0
    geometry_bytes: int = 0


@dataclass
class BoundariesReport:
    files: list[FileReport]
    outlines: outlines.OutlineReport


def import_boundaries(paths: list[Path], database: Path, level: str | None = None,
                      code_property: str | None = None, limit: bounds.Limit = bounds.BOUNDARIES) -> BoundariesReport:
    checked = read_boundaries(paths, level, code_property, limit)
    with writes.changed_database(database, create=False) as (con, _new):
        return write_boundaries(con, checked)


@dataclass
class CheckedBoundaries:
    reports: list[FileReport]
    rows: dict[int, list[tuple]]


def read_boundaries(paths: list[Path], level: str | None = None, code_property: str | None = None,
                    limit: bounds.Limit = bounds.BOUNDARIES) -> CheckedBoundaries:
    """Every file read, checked and simplified, before any database is touched."""
    reports = [_checked(read_features(path, level, limit), level, code_property) for path in paths]
    _refuse_repeats_across_files(reports)
    return CheckedBoundaries(reports, _simplified_rows(reports))


def write_boundaries(con: duckdb.DuckDBPyConnection, checked: CheckedBoundaries) -> BoundariesReport:
    """Into the copy of the database that `con` writes (import boundaries, and setup)."""
    reports, rows = checked.reports, checked.rows
    geography.load_lookups(con)
    for report in reports:
        if report.level == "area":
            _match_areas(con, report, rows)
    _write(con, reports, rows)
    return BoundariesReport(reports, outlines.rebuild(con))


# --- reading and checking ------------------------------------------------------------------------

def _checked(found: FileFeatures, level: str | None, code_property: str | None) -> FileReport:
    path, features = found.path, found.features
    names = list(dict.fromkeys(k for f in features for k in f.properties))
    prop = _code_property(path, features, names, level, code_property)
    name_prop = codes.name_property(prop, names)
    code_of = []
    for feature in features:
        code = str(feature.properties.get(prop) or "").strip()
        if not code:
            raise UserError(f"{path}: {feature.where} has no {prop} property (the code of each shape)")
        code_of.append(code)
    level = level or _inferred_level(path, features, code_of)
    seen: dict[str, str] = {}
    for feature, code in zip(features, code_of):
        if code in seen:
            raise UserError(f"{path}: code {code} is in {seen[code]} and again in {feature.where}; "
                            "a file must have each code once")
        seen[code] = feature.where
        if level != "area" and codes.level_of(code) != level:
            what = codes.level_of(code)
            raise UserError(f"{path}: {feature.where}: {code} is "
                            + (f"{codes.a(what)} code, not {codes.a(level)} code" if what
                               else f"not an ONS {codes.WHAT[level]} code")
                            + f" (--level {level}; use the level the file is of)")
    report = FileReport(path, found.kind, level, [], older_vintages=found.older_vintages)
    district_codes = {d["district_code"] for d in geography.districts().values()}
    for feature, code in zip(features, code_of):
        name = str(feature.properties.get(name_prop) or "").strip() or None if name_prop else None
        skip = None
        if level != "area" and not codes.in_england_wales(code):
            skip = OUTSIDE
        elif level == "district" and code not in district_codes:
            skip = OTHER_VINTAGE
        if skip:
            report.skipped[skip] += 1
            continue
        try:
            geometry = shapes.read_geometry(feature.geometry)
        except shapes.ShapeError as error:
            raise UserError(f"{path}: {feature.where} ({code}) {error}") from None
        shape = Shape(code, name, None, geometry, feature.where)
        if level == "force":
            force_id = codes.force_id_for(name or "")
            if force_id is None:
                raise UserError(f"{path}: {feature.where}: police force area {name!r} ({code}) is not a force of "
                                "data/areas/districts.csv")
            shape.code, shape.ons_code = force_id, code
        report.shapes.append(shape)
    if not report.shapes:
        raise UserError(f"{path}: none of its {len(features):,} features is {codes.a(level)} of England and Wales")
    return report


def _code_property(path: Path, features, names: list[str], level: str | None, wanted: str | None) -> str:
    if wanted:
        if wanted not in names:
            raise UserError(f"{path}: no property {wanted!r} (--code-property); its properties are {', '.join(names)}")
        return wanted
    if level == "area":
        for candidate in ("area_id", "area_name", "name", "areanm", "code", "areacd"):
            if candidate in names:
                return candidate
    candidates = codes.code_properties(names)
    if not candidates:
        raise UserError(f"{path}: no property holds a code (like LAD22CD, LSOA11CD, PFA20CD, areacd or code); "
                        f"its properties are {', '.join(names) or 'none'}; name it with --code-property")
    if level and level != "area":
        # A file can have several (LSOA11CD and LAD19CD): take the one whose codes are of the level.
        for candidate in candidates:
            value = str(features[0].properties.get(candidate) or "")
            if codes.level_of(value) == level:
                return candidate
    return candidates[0]


def _inferred_level(path: Path, features, code_of: list[str]) -> str:
    levels = Counter(codes.level_of(c) for c in code_of)
    if None in levels:
        feature, code = next((f, c) for f, c in zip(features, code_of) if codes.level_of(c) is None)
        raise UserError(f"{path}: {feature.where}: {code!r} is not an ONS code of an LSOA, district or police "
                        "force area; give --level (area for area outlines)")
    if len(levels) > 1:
        shown = ", ".join(f"{n:,} {codes.WHAT[lv]}" for lv, n in levels.most_common())
        raise UserError(f"{path}: codes of more than one level ({shown}); a file must be of one level")
    return next(iter(levels))


def _refuse_repeats_across_files(reports: list[FileReport]) -> None:
    owner: dict[tuple[str, str], Path] = {}
    for report in reports:
        for shape in report.shapes:
            key = (report.level, shape.code)
            if key in owner and owner[key] != report.path:
                raise UserError(f"{report.path}: {report.level} {shape.code} is also in {owner[key]}; "
                                "import one of them")
            owner[key] = report.path


def _simplified_rows(reports: list[FileReport]) -> dict[int, list[tuple]]:
    """Each file's rows (code, name, ons_code, geometry text, type, label lon, lat, vertices),
    simplified by the rule in shapes.py: one tolerance for all the shapes of a level imported
    together, doubled while they have more than MAX_LEVEL_VERTICES in all."""
    rows: dict[int, list[tuple]] = {}
    for level in dict.fromkeys(r.level for r in reports):
        of_level = [r for r in reports if r.level == level]
        tolerance = shapes.BASE_TOLERANCE
        while True:
            simplified = {id(r): [shapes.simplified(s.geometry, tolerance) for s in r.shapes] for r in of_level}
            total = sum(shapes.vertices(g) for gs in simplified.values() for g in gs if g.geom_type != "Point")
            if total <= shapes.MAX_LEVEL_VERTICES:
                break
            tolerance *= 2
        for report in of_level:
            rows[id(report)] = []
            for shape, geom in zip(report.shapes, simplified[id(report)]):
                text = shapes.geojson_text(geom)
                lon, lat = shapes.label_point(geom)
                rows[id(report)].append((shape.code, shape.name, shape.ons_code, text, geom.geom_type, lon, lat,
                                         shapes.vertices(geom)))
                report.vertices += shapes.vertices(geom)
                report.geometry_bytes += len(text)
    return rows


# --- writing ---------------------------------------------------------------------------------------

def _match_areas(con: duckdb.DuckDBPyConnection, report: FileReport, rows: dict[int, list[tuple]]) -> None:
    """Area outlines are named by area_id or area_name: give each its area_id."""
    areas = con.execute("select area_id, area_name from areas").fetchall()
    by_text = {a.lower(): a for a, _ in areas} | {n.lower(): a for a, n in areas}
    matched = []
    for row in rows[id(report)]:
        area_id = by_text.get(row[0].lower())
        if area_id is None:
            report.skipped[NO_AREA] += 1
            continue
        name = dict(areas)[area_id]
        matched.append((area_id, name) + row[2:])
    if not matched:
        examples = ", ".join(a for a, _ in areas[:5])
        raise UserError(f"{report.path}: no feature names an area of the database by its area_id or area_name "
                        f"(areas are, for example, {examples})")
    ids = [m[0] for m in matched]
    repeated = next((a for a in ids if ids.count(a) > 1), None)
    if repeated:
        raise UserError(f"{report.path}: area {repeated} has more than one feature")
    rows[id(report)] = matched
    kept = {m[0] for m in matched}
    report.shapes = [s for s in report.shapes if by_text.get(s.code.lower()) in kept]


def _keep_loaded_polygons(con: duckdb.DuckDBPyConnection, report: FileReport, rows: dict[int, list[tuple]]) -> None:
    """A centroid never replaces a boundary already loaded for the same code: loading the 2021
    LSOA centroids after the 2011 LSOA boundaries adds points for the new codes only, and the map
    keeps the shapes of the others."""
    polygons = {c for (c,) in con.execute(
        "select code from boundaries where level = ? and geometry_type <> 'Point'", [report.level]).fetchall()}
    kept = [row for row in rows[id(report)] if not (row[4] == "Point" and row[0] in polygons)]
    dropped = len(rows[id(report)]) - len(kept)
    if dropped:
        report.skipped[POLYGON_KEPT] += dropped
        codes_kept = {row[0] for row in kept}
        report.shapes = [s for s in report.shapes if s.code in codes_kept]
        rows[id(report)] = kept


def _write(con: duckdb.DuckDBPyConnection, reports: list[FileReport], rows: dict[int, list[tuple]]) -> None:
    loaded_at = now()
    for report in reports:
        _keep_loaded_polygons(con, report, rows)
        new = rows[id(report)]
        if not new:
            continue
        columns = list(zip(*new))
        queries.write(con, "geography/new_boundaries", level=report.level, codes=list(columns[0]),
                      names=list(columns[1]), ons=list(columns[2]), geometries=list(columns[3]),
                      types=list(columns[4]), lons=list(columns[5]), lats=list(columns[6]),
                      vertices=list(columns[7]), source=report.path.name)
        con.execute("delete from boundaries b using new_boundaries n where b.level = n.level and b.code = n.code")
        con.execute("insert into boundaries select * from new_boundaries order by code")
        source = PROVENANCE_PREFIX + report.path.name
        con.execute("delete from provenance where source = ?", [source])
        con.execute("insert into provenance values (?, ?, ?, null, null, ?, ?)", [
            source, f"{len(new):,} {codes.WHAT[report.level]} boundaries ({report.kind}) from {report.path.name}, "
                    "simplified for display.",
            len(new), sha256_of(report.path), loaded_at])
