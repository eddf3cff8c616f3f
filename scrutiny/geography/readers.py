"""Open a boundary file, gzip-compressed or not, and give its features.

Formats, told apart by their content rather than their name:
- a GeoJSON FeatureCollection (or a single Feature);
- newline-delimited GeoJSON: one Feature per line (ONS's LSOA centroids);
- TopoJSON: the object for the level ('ltla' for districts); where one code has several
  geometries over vintages (`start`/`end` years) the latest is kept (no `end`, else the largest);
- a CSV of centroids: a longitude and a latitude column (X,Y or lon,lat ...) and a code column.
Problems are UserErrors of one line naming the file (and the line or feature where there is one).
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from scrutiny.core import bounds
from scrutiny.core.errors import UserError
from scrutiny.geography import topojson

# TopoJSON objects that hold each level, in order of preference (ONS Data-Vis team names first).
TOPOJSON_OBJECTS = {"district": ("ltla", "lad"), "lsoa": ("lsoa",), "force": ("pfa",), "area": ()}
_LON = re.compile(r"^(?:x|lon|long|lng|longitude|.*_lon|.*_long|.*_longitude)$", re.IGNORECASE)
_LAT = re.compile(r"^(?:y|lat|latitude|.*_lat|.*_latitude)$", re.IGNORECASE)


@dataclass
class Feature:
    where: str                 # 'feature 12' or 'line 12', for messages
    properties: dict
    geometry: dict | None


@dataclass
class FileFeatures:
    path: Path
    kind: str                  # 'GeoJSON', 'newline-delimited GeoJSON', 'TopoJSON', 'CSV of centroids'
    features: list[Feature]
    older_vintages: int = 0    # TopoJSON geometries left out for a later one of the same code
    notes: list[str] = field(default_factory=list)


def read_features(path: Path, level: str | None, limit: bounds.Limit = bounds.BOUNDARIES) -> FileFeatures:
    text = read_text(path, limit)
    start = text.lstrip()[:1]
    if start in ("{", "["):
        return _json_features(path, text, level)
    first_line = text.split("\n", 1)[0]
    if "," in first_line:
        return _csv_features(path, text)
    shown = first_line.strip()[:40]
    raise UserError(f"{path}: not GeoJSON, TopoJSON or a CSV of centroids (it begins {shown!r})"
                    if shown else f"{path}: empty")


def read_text(path: Path, limit: bounds.Limit) -> str:
    """The file as text, gunzipped if it is gzip-compressed; UserError if it is neither, if it is not
    a regular file, or if it is larger than the limit (compressed or not)."""
    data = bounds.read_capped(path, limit)
    if data[:2] == bounds.GZIP_MAGIC:
        data = bounds.gunzip_capped(path, data, limit)
    elif path.suffix == ".gz":
        raise UserError(f"{path}: not gzip-compressed, though its name ends .gz")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text (binary, or a file of another kind)") from None


def _json_features(path: Path, text: str, level: str | None) -> FileFeatures:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":
            return _ndjson_features(path, text)
        raise UserError(f"{path}: not JSON ({error.msg} at line {error.lineno} column {error.colno}; "
                        "truncated or damaged?)") from None
    if not isinstance(document, dict):
        raise UserError(f"{path}: JSON, but not a GeoJSON FeatureCollection or a TopoJSON Topology")
    kind = document.get("type")
    _refuse_projected_crs(path, document)
    if kind == "Topology":
        return _topology_features(path, document, level)
    if kind == "Feature":
        return FileFeatures(path, "GeoJSON", [_feature(path, "feature 1", document)])
    if kind != "FeatureCollection":
        raise UserError(f"{path}: JSON of type {kind!r}, not a GeoJSON FeatureCollection or a TopoJSON Topology")
    raw = document.get("features")
    if not isinstance(raw, list) or not raw:
        raise UserError(f"{path}: a FeatureCollection with no features")
    return FileFeatures(path, "GeoJSON", [_feature(path, f"feature {i}", f) for i, f in enumerate(raw, start=1)])


def _refuse_projected_crs(path: Path, document: dict) -> None:
    name = str(((document.get("crs") or {}).get("properties") or {}).get("name", ""))
    if "27700" in name:
        raise UserError(f"{path}: in British National Grid (EPSG:27700) metres, not longitude and latitude; "
                        "export it in WGS84 (EPSG:4326)")


def _feature(path: Path, where: str, raw) -> Feature:
    if not isinstance(raw, dict) or raw.get("type") not in ("Feature", None):
        raise UserError(f"{path}: {where} is not a GeoJSON Feature")
    properties = raw.get("properties") or {}
    if not isinstance(properties, dict):
        raise UserError(f"{path}: {where} has properties that are not an object")
    geometry = raw.get("geometry")
    if geometry is not None and not isinstance(geometry, dict):
        raise UserError(f"{path}: {where} has a geometry that is not an object")
    return Feature(where, properties, geometry)


def _ndjson_features(path: Path, text: str) -> FileFeatures:
    features = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as error:
            raise UserError(f"{path}: line {number}: not JSON ({error.msg}; truncated or damaged?)") from None
        features.append(_feature(path, f"line {number}", raw))
    if not features:
        raise UserError(f"{path}: no features")
    return FileFeatures(path, "newline-delimited GeoJSON", features)


def _topology_features(path: Path, document: dict, level: str | None) -> FileFeatures:
    objects = document.get("objects") or {}
    wanted = TOPOJSON_OBJECTS[level] if level else tuple(n for names in TOPOJSON_OBJECTS.values() for n in names)
    chosen = next((name for name in wanted if name in objects), None)
    if chosen is None and len(objects) == 1 and level != "area":
        chosen = next(iter(objects))
    if chosen is None:
        for_what = f"{level} boundaries" if level else "districts, LSOAs or force areas"
        raise UserError(f"{path}: no TopoJSON object for {for_what} (it has {', '.join(objects) or 'none'}; "
                        f"expected {' or '.join(wanted) or 'none for this level'})")
    geometries = (objects[chosen] or {}).get("geometries") or []
    if not geometries:
        raise UserError(f"{path}: TopoJSON object {chosen!r} has no geometries")
    try:
        arcs = topojson.decode_arcs(document)
        latest, older = _latest_vintages(geometries)
        features = [Feature(f"geometry {i} of {chosen!r}", dict(g.get("properties") or {}),
                            topojson.geometry(g, arcs, document.get("transform")))
                    for i, g in latest]
    except (topojson.TopologyError, KeyError, IndexError, TypeError) as error:
        raise UserError(f"{path}: damaged TopoJSON ({error})") from None
    return FileFeatures(path, "TopoJSON", features, older_vintages=older,
                        notes=[f"TopoJSON object {chosen!r}"])


def _latest_vintages(geometries: list[dict]) -> tuple[list[tuple[int, dict]], int]:
    """Each code's latest geometry: open-ended (no `end`) first, else the largest `end`. Geometries
    without a recognisable code are all kept, for the caller to report."""
    best: dict[str, tuple[float, int, dict]] = {}
    kept = []
    for number, geom in enumerate(geometries, start=1):
        props = geom.get("properties") or {}
        code = props.get("areacd") or props.get("code") or geom.get("id")
        if not code:
            kept.append((number, geom))
            continue
        end = props.get("end")
        rank = float("inf") if end in (None, "") else float(end)
        if code not in best or rank > best[code][0]:
            best[code] = (rank, number, geom)
    kept += [(number, geom) for _, number, geom in best.values()]
    kept.sort(key=lambda item: item[0])
    return kept, len(geometries) - len(kept)


def _csv_features(path: Path, text: str) -> FileFeatures:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    lon = next((h for h in header if _LON.match(h)), None)
    lat = next((h for h in header if _LAT.match(h)), None)
    if lon is None or lat is None:
        raise UserError(f"{path} line 1: a CSV without longitude and latitude columns (X,Y or lon,lat); "
                        f"its columns are {', '.join(header)}")
    features = []
    for row in reader:
        where = f"line {reader.line_num}"
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        try:
            point = [float(row[lon]), float(row[lat])]
        except ValueError:
            raise UserError(f"{path} {where}: longitude {row[lon]!r} or latitude {row[lat]!r} is not a number") from None
        properties = {k: v for k, v in row.items() if k not in (lon, lat)}
        features.append(Feature(where, properties, {"type": "Point", "coordinates": point}))
    if not features:
        raise UserError(f"{path}: a header but no rows")
    return FileFeatures(path, "CSV of centroids", features)
