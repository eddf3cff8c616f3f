"""One shape for display: checked, repaired, simplified, rounded, as GeoJSON text.

The simplification rule: every shape is simplified (Douglas-Peucker, topology preserved) with a
tolerance of BASE_TOLERANCE degrees, about 7 m east-west and 11 m north-south in England: finer
than ONS's "generalised" (BGC, 20 m) boundaries, so the shape looks the same at any zoom a
dashboard map uses, while the points along straight lines go. A shape that still has more than
MAX_SHAPE_VERTICES has its tolerance doubled until it fits, so no single shape makes a map slow.
A whole level imported at once is held below MAX_LEVEL_VERTICES the same way (boundaries.py),
so that a map of every shape of a level stays small enough to send to a browser.
Coordinates are rounded to 5 decimal places (about 1 m), after which the shape is checked again.
"""
from __future__ import annotations

import json
import math

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape

BASE_TOLERANCE = 0.0001
MAX_SHAPE_VERTICES = 1_500
MAX_LEVEL_VERTICES = 150_000
DECIMALS = 5
TYPES = ("Polygon", "MultiPolygon", "Point")


class ShapeError(ValueError):
    """A geometry that cannot be used; the message says why, for the file's error line."""


def read_geometry(geometry: dict | None):
    """A shapely geometry from a GeoJSON one, after checking its type and that it is in
    longitude and latitude; polygons that are not valid are repaired."""
    if geometry is None:
        raise ShapeError("has no geometry")
    kind = geometry.get("type")
    if kind not in TYPES:
        raise ShapeError(f"has a {kind} geometry; only Polygon, MultiPolygon and Point can be imported")
    _check_lon_lat(geometry.get("coordinates"))
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, IndexError, shapely.errors.GEOSException) as error:
        raise ShapeError(f"has a geometry that cannot be read ({error})") from None
    if geom.is_empty:
        raise ShapeError("has an empty geometry")
    return geom if kind == "Point" else polygonal(geom)


def _check_lon_lat(coordinates) -> None:
    first = None
    stack = [coordinates]
    while stack:
        item = stack.pop()
        if not isinstance(item, (list, tuple)) or not item:
            raise ShapeError("has coordinates that are not lists of numbers")
        if isinstance(item[0], (int, float)):
            if len(item) < 2 or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in item[:2]):
                raise ShapeError(f"has a position that is not two numbers: {item!r}")
            x, y = item[0], item[1]
            if not (-180 <= x <= 180 and -90 <= y <= 90):
                first = (x, y)
                break
        else:
            stack.extend(item)
    if first is None:
        return
    x, y = first
    if 0 <= x <= 700_000 and 0 <= y <= 1_300_000:
        raise ShapeError(f"has coordinates in metres, not longitude and latitude ({x:g}, {y:g} looks like "
                         "British National Grid, EPSG:27700); export the file in WGS84 (EPSG:4326)")
    raise ShapeError(f"has coordinates that are not longitude and latitude ({x:g}, {y:g})")


def polygonal(geom):
    """The Polygon or MultiPolygon of a shape, repaired if it is not valid (make_valid can also
    give stray lines and points where rings touched, which are dropped)."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    polygons = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, (Polygon, MultiPolygon))]
    parts = [p for g in polygons for p in getattr(g, "geoms", [g]) if not p.is_empty]
    if not parts:
        raise ShapeError("has a polygon with no area")
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def vertices(geom) -> int:
    return int(shapely.get_num_coordinates(geom))


def simplified(geom, tolerance: float = BASE_TOLERANCE):
    """The shape simplified with at least `tolerance`, doubled until it has at most
    MAX_SHAPE_VERTICES, rounded and valid. Points are only rounded."""
    if isinstance(geom, Point):
        return shapely.set_precision(geom, 10 ** -DECIMALS)
    while True:
        result = _rounded(geom.simplify(tolerance, preserve_topology=True))
        if vertices(result) <= MAX_SHAPE_VERTICES:
            return result
        tolerance *= 2


def _rounded(geom):
    # set_precision snaps to the 5-decimal grid and keeps the result valid (it repairs what
    # snapping breaks); polygonal() drops anything that collapsed to a line.
    snapped = shapely.set_precision(geom, 10 ** -DECIMALS)
    if snapped.is_empty:  # a sliver smaller than the grid: keep it unrounded rather than lose it
        return geom
    return polygonal(snapped)


def label_point(geom) -> tuple[float, float]:
    point = geom if isinstance(geom, Point) else geom.representative_point()
    return round(point.x, DECIMALS), round(point.y, DECIMALS)


def geojson_text(geom) -> str:
    """Compact GeoJSON of the shape with coordinates of at most 5 decimal places."""
    return json.dumps(_round(mapping(geom)), separators=(",", ":"))


def _round(value):
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, (list, tuple)):
        return [_round(v) for v in value]
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value
