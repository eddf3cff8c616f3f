"""A small TopoJSON decoder: arcs, quantization `transform`, and the geometries that maps need.

TopoJSON stores each shared border once, as an arc; a polygon's ring lists arc indexes, and
~i (that is -i-1) means arc i walked backwards. In a quantized topology (one with a
`transform`) arc positions are integers, each a difference from the previous position, and
x * scale + translate gives longitude and latitude. Points are quantized but not delta-encoded.
"""
from __future__ import annotations


class TopologyError(ValueError):
    """The topology is not one this decoder can read; the message says why."""


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    arcs = topology.get("arcs")
    if not isinstance(arcs, list):
        raise TopologyError("a TopoJSON Topology without 'arcs'")
    if transform is None:
        return [[(float(p[0]), float(p[1])) for p in arc] for arc in arcs]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    decoded = []
    for arc in arcs:
        x = y = 0
        points = []
        for position in arc:
            x += position[0]
            y += position[1]
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def geometry(geom: dict, arcs: list[list[tuple[float, float]]], transform: dict | None) -> dict | None:
    """The GeoJSON geometry of one TopoJSON geometry object (None for a null geometry)."""
    kind = geom.get("type")
    if kind is None:
        return None
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(r, arcs) for r in geom["arcs"]]}
    if kind == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [[_ring(r, arcs) for r in p] for p in geom["arcs"]]}
    if kind == "Point":
        return {"type": "Point", "coordinates": list(_point(geom["coordinates"], transform))}
    # Anything else (lines, collections) is refused by the caller, which names the type.
    return {"type": kind, "coordinates": []}


def _ring(indexes: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their meeting point: keep it once.
        points.extend(arc if not points else arc[1:])
    return points


def _point(position, transform) -> tuple[float, float]:
    if transform is None:
        return float(position[0]), float(position[1])
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    return position[0] * sx + tx, position[1] * sy + ty
