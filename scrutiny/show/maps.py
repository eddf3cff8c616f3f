"""Maps as Plotly figures that need no internet: outlines drawn on plain axes, never a tile server
or Plotly's own world map (both are fetched from the web, and council chambers and tests have
none). The same drawing serves real boundaries (from the `boundaries` table) and the demo's tile
map (one square per area, laid out by hand in data/demo/area_tiles.csv).

Colours are classes with a legend in words ("Fell by 5% to 20%"), not a continuous scale: a
councillor reads a word faster than a shade. Changes use fixed classes centred on zero, the same
every month, so two months' maps can be compared; rates use round breaks fitted to the figures.
"""
from __future__ import annotations

import functools
import html
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from scrutiny.core import formatting
from scrutiny.show.charts import DARK_GREY, _layout

NO_FIGURE_COLOUR = "#D9D9D9"
BORDER = "#6F777B"  # between places: visible between two pale ones, quiet between dark ones


@dataclass(frozen=True)
class MapClass:
    words: str         # the legend: what a place of this colour is
    colour: str
    text_colour: str   # labels drawn on this colour: white on the dark ones


# Blue for falls, orange for rises, pale grey for little change: the Analysis Function's
# blue and orange, which people with the common colour-blindnesses tell apart.
CHANGE_CLASSES = (
    (-math.inf, -20, MapClass("Fell by 20% or more", "#12436D", "white")),
    (-20, -5, MapClass("Fell by 5% to 20%", "#7FA7CC", "#0B0C0C")),
    (-5, 5, MapClass("Within 5% of a year before", "#F3F2F1", "#0B0C0C")),
    (5, 20, MapClass("Rose by 5% to 20%", "#F9B48C", "#0B0C0C")),
    (20, math.inf, MapClass("Rose by 20% or more", "#B3461A", "white")),
)
RATE_COLOURS = (("#DCE6F0", "#0B0C0C"), ("#A7C1DB", "#0B0C0C"), ("#6E98C2", "#0B0C0C"),
                ("#2F6497", "white"), ("#12436D", "white"))


def change_class(change_pct) -> MapClass | None:
    """The class of a % change. A change of exactly 5% or 20% goes with the larger changes."""
    if formatting.is_missing(change_pct):
        return None
    fell_20, fell_5, within, rose_5, rose_20 = (cls for _, _, cls in CHANGE_CLASSES)
    if change_pct <= -20:
        return fell_20
    if change_pct <= -5:
        return fell_5
    if change_pct < 5:
        return within
    return rose_5 if change_pct < 20 else rose_20


_ROUND = (1, 2, 2.5, 5)


def _round_steps(raw: float):
    """Round widths (1, 2, 2.5 or 5 times a power of ten) from the first at least `raw` upwards."""
    power = 10 ** math.floor(math.log10(raw))
    while True:
        for m in _ROUND:
            if m * power >= raw:
                yield m * power
        power *= 10


def rate_classes(rates: pd.Series, unit: str = "per 1,000") -> list[tuple[float, float, MapClass]]:
    """Up to five classes with round breaks covering the rates: 'Under 6 per 1,000', '6 to 8 per
    1,000', ..., '12 or more per 1,000'. Each class is [low, high)."""
    known = rates.dropna().astype(float)
    if known.empty:
        return []
    low, high = float(known.min()), float(known.max())
    if high - low < 1e-9:
        return [(-math.inf, math.inf, MapClass(f"{_number(low)} {unit}", *RATE_COLOURS[2]))]
    for step in _round_steps((high - low) / 5):
        first = math.floor(low / step + 1e-9) * step + step   # the first break above the lowest rate
        breaks = [round(first + i * step, 10) for i in range(5) if first + i * step <= high]
        if len(breaks) <= 4:
            break
    return _classes([-math.inf, *breaks, math.inf], unit)


def count_classes(counts: pd.Series, unit: str = "crimes") -> list[tuple[float, float, MapClass]]:
    """Up to five classes of about equal numbers of places (breaks at percentiles, rounded up to
    a whole number of two significant figures): for counts of many small places, where a few hot
    spots would put every other place in the lowest of equal-width classes. Places with none are a
    class of their own ("No crimes"), so that a place with a few never looks like one with none."""
    known = counts.dropna().astype(float)
    if known.empty:
        return []
    positive = known[known > 0]
    if positive.empty:
        return [(-math.inf, math.inf, MapClass(f"No {unit}", *RATE_COLOURS[0]))]
    has_zero = bool((known == 0).any())
    breaks = [1.0] if has_zero else []
    for q in ((0.25, 0.5, 0.75) if has_zero else (0.2, 0.4, 0.6, 0.8)):
        value = float(positive.quantile(q))
        value = math.ceil(round(value, 1 - int(math.floor(math.log10(value)))))
        if value > positive.min() and (not breaks or value > breaks[-1]):
            breaks.append(value)
    if len(breaks) < 3:
        # few distinct counts (most places with 1, a few with 3 or 5): a break at each, so the few stand out
        distinct = sorted(set(positive[positive > positive.min()]))
        breaks = sorted(set(breaks) | set(distinct[:4 - len(breaks)]))
    if not breaks:
        return [(-math.inf, math.inf, MapClass(f"{_number(float(positive.min()))} {unit}", *RATE_COLOURS[2]))]
    classes = _classes([-math.inf, *breaks, math.inf], unit)
    if has_zero:
        low, high, first = classes[0]
        classes[0] = (low, high, MapClass(f"No {unit}", first.colour, first.text_colour))
    return classes


def _classes(edges: list[float], unit: str) -> list[tuple[float, float, MapClass]]:
    """[low, high) classes between the edges, in words, shaded light to dark."""
    count = len(edges) - 1
    # spread the shades: two classes get the lightest and the darkest, and so on
    shades = [RATE_COLOURS[round(i * (len(RATE_COLOURS) - 1) / max(count - 1, 1))] for i in range(count)]
    result = []
    for (a, b), shade in zip(zip(edges, edges[1:]), shades):
        if a == -math.inf:
            words = f"Under {_number(b)} {_unit(b, unit)}"
        elif b == math.inf:
            words = f"{_number(a)} or more {unit}"
        else:
            words = f"{_number(a)} to under {_number(b)} {unit}"
        result.append((a, b, MapClass(words, *shade)))
    return result


def _unit(value: float, unit: str) -> str:
    return "crime" if unit == "crimes" and value == 1 else unit


def _number(value: float) -> str:
    """10 -> '10', 2.5 -> '2.5', 0.0025 -> '0.0025': as many decimals as the break has."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.6f}".rstrip("0").rstrip(".")


def rate_class(rate, classes: list[tuple[float, float, MapClass]]) -> MapClass | None:
    if formatting.is_missing(rate):
        return None
    return next(cls for low, high, cls in classes if low <= rate < high)


# --- shapes ---------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def exteriors(geometry: str) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon. Holes are left out on purpose: a place
    inside another's hole is drawn on top of it (smaller shapes are drawn last), and leaving them
    out avoids Plotly's fill rule drawing slivers of a dissolved outline as white gaps."""
    shape = json.loads(geometry)
    polygons = [shape["coordinates"]] if shape["type"] == "Polygon" else shape["coordinates"]
    # parsed once per shape: a map asks for a shape's rings, size and extent several times
    return tuple(tuple(tuple(p) for p in polygon[0]) for polygon in polygons)


def _outline_xy(geometry: str) -> tuple[list, list]:
    """x and y of every outer ring, a None between rings, as Plotly draws several shapes in one trace."""
    xs, ys = [], []
    for ring in exteriors(geometry):
        xs.extend([p[0] for p in ring] + [None])
        ys.extend([p[1] for p in ring] + [None])
    return xs, ys


def _ring_area(ring) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))) / 2


def _size(geometry: str) -> float:
    return sum(_ring_area(r) for r in exteriors(geometry))


def _span(geometry: str) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of a shape."""
    points = [p for ring in exteriors(geometry) for p in ring]
    return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))


def tile_shapes(layout: pd.DataFrame, gap: float = 0.06) -> pd.DataFrame:
    """Square tiles from a hand-made layout (code, column, row; row 0 at the top), as shapes in the
    same form as the boundaries table: code, geometry (GeoJSON), label_lon, label_lat."""
    rows = []
    for tile in layout.itertuples():
        x0, y0 = float(tile.column) + gap, -float(tile.row) - 1 + gap
        x1, y1 = float(tile.column) + 1 - gap, -float(tile.row) - gap
        square = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        rows.append({"code": tile.code, "geometry": json.dumps({"type": "Polygon", "coordinates": [square]}),
                     "label_lon": (x0 + x1) / 2, "label_lat": (y0 + y1) / 2})
    return pd.DataFrame(rows, columns=["code", "geometry", "label_lon", "label_lat"])


def read_tile_layout(path: Path, level: str) -> pd.DataFrame:
    """The demo's tile layout for one level ('area' or 'force'): code, column, row."""
    layout = pd.read_csv(path, dtype={"level": str, "code": str})
    return layout[layout.level == level][["code", "column", "row"]].reset_index(drop=True)


# --- the figure -----------------------------------------------------------------------------

@dataclass(frozen=True)
class MapPlace:
    """One place on a map: its shape, its class, the label drawn on it and the hover text."""
    code: str
    geometry: str | None        # GeoJSON Polygon or MultiPolygon; None: not drawn
    label_lon: float
    label_lat: float
    cls: MapClass | None        # None: no figure
    label: str                  # drawn on the place ('' for none); may hold <br>
    hover: str                  # HTML, already escaped


def no_figure_class(reason: str) -> MapClass:
    return MapClass(f"No figure ({reason})", NO_FIGURE_COLOUR, "#0B0C0C")


def outline_map(places: list[MapPlace], classes: list[MapClass], title: str, subtitle: str = "",
                tiles: bool = False, no_figure: MapClass | None = None, height: int = 620,
                label_size: int = 15, background: list[str] | None = None, border: float = 1.2) -> go.Figure:
    """A classed map: each place filled with its class's colour, the legend listing the classes in
    words (in the order given), labels on the places, hover with the figures.
    `tiles`: the shapes are the demo's squares, drawn without the latitude correction.
    `background`: outlines drawn in grey behind (the area around LSOAs, say); `border`: the width
    of the grey lines between places (thinner for many small ones)."""
    fig = go.Figure()
    for geometry in background or []:
        xs, ys = _outline_xy(geometry)
        fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=DARK_GREY, width=2.5), fill="toself",
                        fillcolor="white", hoverinfo="skip", showlegend=False)
    no_figure = no_figure or no_figure_class("not available")
    shown_classes = list(classes) + ([no_figure] if any(p.cls is None for p in places) else [])
    drawn = [p for p in places if p.geometry]
    # Larger shapes first, so a place inside another's hole is drawn on top of it.
    drawn.sort(key=lambda p: -_size(p.geometry))
    for place in drawn:
        cls = place.cls or no_figure
        xs, ys = _outline_xy(place.geometry)
        fig.add_scatter(
            x=xs, y=ys, mode="lines", fill="toself", fillcolor=cls.colour, line=dict(color=BORDER, width=border),
            name=cls.words, showlegend=False, hoveron="fills", text=place.hover, hoverinfo="text",
        )
    _add_legend(fig, shown_classes)
    labelled = [p for p in drawn if p.label]
    small = [] if tiles else _too_small_for_labels(labelled, drawn, label_size)
    inside = [p for p in labelled if p not in small]
    if inside:
        fig.add_scatter(
            x=[p.label_lon for p in inside], y=[p.label_lat for p in inside], mode="text",
            text=[p.label for p in inside], hovertext=[p.hover for p in inside], hoverinfo="text",
            textfont=dict(size=label_size, color=[(p.cls or no_figure).text_colour for p in inside]),
            showlegend=False,
        )
    _add_outside_labels(fig, small, label_size)
    _map_layout(fig, title, subtitle, height)
    fig.update_layout(
        legend=dict(orientation="h", y=-0.02, yanchor="top", x=0, traceorder="normal", font=dict(size=16),
                    itemclick=False, itemdoubleclick=False),
        margin=dict(l=10, r=10, b=10), plot_bgcolor="white", hoverlabel=dict(align="left"),
    )
    fig.update_xaxes(visible=False, fixedrange=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 if tiles else _lat_ratio(drawn))
    return fig


PLOT_PX = (900, 460)  # a map's drawing area on a laptop (width, height), to judge whether a label fits


def _too_small_for_labels(labelled: list[MapPlace], drawn: list[MapPlace], size: int) -> list[MapPlace]:
    """Places whose label would not fit: narrower than their label (a city's areas on a county
    map, a force on a map of England and Wales), or whose label would cover a larger place's
    label. Their labels go in a key instead."""
    if len(drawn) < 2:
        return []
    spans = [_span(p.geometry) for p in drawn]
    width = max(s[2] for s in spans) - min(s[0] for s in spans)
    ratio = _lat_ratio(drawn)
    height = (max(s[3] for s in spans) - min(s[1] for s in spans)) * ratio
    px_per_degree = min(PLOT_PX[0] / width, PLOT_PX[1] / height)  # the map fits the area both ways

    def label_box(place: MapPlace) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) of the label in pixels from the map's corner."""
        lines = re.sub(r"<[^>]+>", "", place.label.replace("<br>", "\n")).split("\n")
        half_w = 0.55 * size * max(len(line) for line in lines) / 2
        half_h = 1.25 * size * len(lines) / 2
        x, y = place.label_lon * px_per_degree, place.label_lat * ratio * px_per_degree
        return x - half_w, y - half_h, x + half_w, y + half_h

    small, placed = [], []
    for place in sorted(labelled, key=lambda p: -_size(p.geometry)):  # larger places keep their labels
        box = label_box(place)
        fits = (_span(place.geometry)[2] - _span(place.geometry)[0]) * px_per_degree >= box[2] - box[0]
        clear = all(box[2] <= o[0] or o[2] <= box[0] or box[3] <= o[1] or o[3] <= box[1] for o in placed)
        if fits and clear:
            placed.append(box)
        else:
            small.append(place)
    return small


def _add_outside_labels(fig: go.Figure, places: list[MapPlace], size: int) -> None:
    """Small places get a number on the map and their label in a key at the top right, as atlases
    do: a city's areas on a county map are too small for their names, and labels beside them
    would cover their neighbours'. Numbered from west to east."""
    if not places:
        return
    ordered = sorted(places, key=lambda p: p.label_lon)
    fig.add_scatter(
        x=[p.label_lon for p in ordered], y=[p.label_lat for p in ordered], mode="markers+text",
        text=[str(i) for i in range(1, len(ordered) + 1)], textposition="middle center",
        textfont=dict(size=size, color="#0B0C0C"), hovertext=[p.hover for p in ordered], hoverinfo="text",
        marker=dict(size=size + 8, color="white", line=dict(color="#0B0C0C", width=1.5)), showlegend=False,
    )
    key = "<br>".join(f"<b>{i}</b>  {p.label.replace('<br>', ' ')}" for i, p in enumerate(ordered, start=1))
    fig.add_annotation(xref="paper", yref="paper", x=1, y=1, xanchor="right", yanchor="top", text=key,
                       showarrow=False, align="left", font=dict(size=size, color="#0B0C0C"), bgcolor="white",
                       bordercolor="#0B0C0C", borderwidth=1, borderpad=6)


def wrap_text(text: str, width: int) -> str:
    """Break each line of already-escaped text at spaces so that none is longer than `width`:
    map titles stay whole on a tablet with the sidebar open, where Plotly would cut them off."""
    lines = []
    for given in text.split("<br>"):
        line = ""
        for word in given.split(" "):
            if line and len(re.sub(r"<[^>]+>", "", line)) + 1 + len(re.sub(r"<[^>]+>", "", word)) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return "<br>".join(lines)


def _map_layout(fig: go.Figure, title: str, subtitle: str, height: int) -> None:
    """The house layout with the title and subtitle wrapped for a narrow screen."""
    title, subtitle = wrap_text(title, 44), wrap_text(subtitle, 56)
    _layout(fig, title, height, subtitle)
    title_lines = title.count("<br>")
    fig.update_layout(margin=dict(t=90 + 36 * subtitle.count("<br>") + 36 * title_lines),
                      title=dict(subtitle=dict(text=subtitle)))


def _add_legend(fig: go.Figure, classes: list[MapClass]) -> None:
    """One square swatch per class, in order, every class listed even if no place is in it, so the
    legend reads the same from month to month."""
    for rank, cls in enumerate(classes, start=1):
        fig.add_scatter(x=[None], y=[None], mode="markers", name=cls.words, legendrank=rank, hoverinfo="skip",
                        marker=dict(size=18, color=cls.colour, symbol="square", line=dict(color=DARK_GREY, width=1)))


def _lat_ratio(places: list[MapPlace]) -> float:
    """1 / cos(latitude): a degree of latitude is that much longer on the ground than a degree of
    longitude, so shapes keep their proportions (an equirectangular view, fine for a county)."""
    lats = [p.label_lat for p in places]
    if not lats:
        return 1.0
    middle = (min(lats) + max(lats)) / 2
    return 1 / math.cos(math.radians(middle))


def point_map(points: pd.DataFrame, classes: list[MapClass], class_of: list[MapClass | None], hover: list[str],
              title: str, subtitle: str = "", background: list[str] | None = None,
              no_figure: MapClass | None = None, height: int = 620) -> go.Figure:
    """Points (LSOA centroids, say) coloured by class over grey outlines: for places loaded as
    centroids only. `points` has lon and lat."""
    no_figure = no_figure or no_figure_class("not available")
    fig = go.Figure()
    for geometry in background or []:
        xs, ys = _outline_xy(geometry)
        fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=DARK_GREY, width=2.5), hoverinfo="skip",
                        showlegend=False)
    order = list(classes) + [no_figure]
    for rank, cls in enumerate(order, start=1):
        chosen = [i for i, c in enumerate(class_of) if (c or no_figure) == cls]
        if not chosen and cls is no_figure:
            continue
        # an empty class keeps a point at None, so that it still shows in the legend
        fig.add_scatter(
            x=points.lon.iloc[chosen].tolist() or [None], y=points.lat.iloc[chosen].tolist() or [None],
            mode="markers", name=cls.words, legendrank=rank,
            marker=dict(size=13, color=cls.colour, line=dict(color=DARK_GREY, width=1)),
            text=[hover[i] for i in chosen], hoverinfo="text",
        )
    _map_layout(fig, title, subtitle, height)
    fig.update_layout(legend=dict(orientation="h", y=-0.02, yanchor="top", x=0, font=dict(size=16)),
                      margin=dict(l=10, r=10, b=10), plot_bgcolor="white", hoverlabel=dict(align="left"))
    fig.update_xaxes(visible=False)
    lat = float(points.lat.mean()) if len(points) else 52.6
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(lat)))
    return fig


def wrap_name(name: str, width: int = 14) -> str:
    """'Harborough and Wigston' -> 'Harborough<br>and Wigston': a name from the data, escaped, in
    lines that fit inside its shape."""
    return wrap_text(html.escape(name), width)
