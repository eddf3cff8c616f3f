"""The dashboard's maps: the home force's areas (rate or change), the LSOAs of one area (where
crime is), and the forces or partnership areas compared. Each takes query results and returns a
Plotly figure from scrutiny.show.maps; pages only choose which to show."""
from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from scrutiny.core import formatting
from scrutiny.rate import yoy
from scrutiny.show import maps
from scrutiny.show.charts import area_comparison_title, figure_text
from scrutiny.core.months import Month, gaps_sentence, missing_ranges, months_of
from scrutiny.core.paths import DEMO_DIR
from scrutiny.geography.population import SourceParts, source_parts

MEASURES = {"rate": "Rate per 1,000 residents", "change": "Change on a year before"}


def population_words(year) -> str:
    """How a rate's population is named beside it: 'Census 2021 population'."""
    if formatting.is_missing(year):
        return "population of an unrecorded year"
    return f"{int(year)} population" if int(year) != 2021 else "Census 2021 population"


def _rate_text(rate) -> str:
    return "no rate (no population loaded)" if formatting.is_missing(rate) else f"{formatting.rate(rate)} per 1,000 residents"


def shapes_or_tiles(query, query_name: str, tile_level: str, codes) -> tuple[pd.DataFrame, bool]:
    """(shapes, are_tiles): the loaded boundaries of a map (queries/maps/`query_name`); else, if
    it covers every place shown (`codes`), the demo's hand-made tile layout
    (data/demo/area_tiles.csv), so that the map is never empty on a fresh clone; else no shapes
    (real data with no boundaries loaded yet). `query(name, **params)` runs a query."""
    shapes = query(query_name)
    if not shapes.empty:
        return shapes, False
    tiles = maps.tile_shapes(maps.read_tile_layout(DEMO_DIR / "area_tiles.csv", tile_level))
    if set(codes) <= set(tiles.code):
        return tiles, True
    return tiles.iloc[0:0], False


def area_map(table: pd.DataFrame, shapes: pd.DataFrame, measure: str, crime_type: str, month,
             tiles: bool = False, label_size: int | None = None, height: int | None = None) -> go.Figure:
    """The home force's areas coloured by `measure` ('rate' or 'change') for the month.
    `table` is scrutiny.present.meeting.areas (the comparison with the year-on-year test);
    `shapes` has code (area_id), geometry, label_lon, label_lat (the boundaries, or the demo's tiles). `label_size` and `height` for a big screen."""
    month = Month.of(month)
    data = table.merge(shapes, left_on="area_id", right_on="code", how="left")
    if measure == "change":
        classes = [cls for _, _, cls in maps.CHANGE_CLASSES]
        class_of = [maps.change_class(v) for v in data.change_pct]
        no_figure = maps.no_figure_class("no count a year before")
        title, subtitle = map(figure_text, area_comparison_title(table, crime_type, month))
        values = [formatting.percent(v) if not formatting.is_missing(v) else "" for v in data.change_pct]
    else:
        bands = maps.rate_classes(data.rate_per_1000)
        classes = [cls for _, _, cls in bands]
        class_of = [maps.rate_class(v, bands) for v in data.rate_per_1000]
        no_figure = maps.no_figure_class("no population loaded")
        title, subtitle = rate_title(data, crime_type, month)
        values = [formatting.rate(v) if not formatting.is_missing(v) else "" for v in data.rate_per_1000]
    places = []
    for row, cls, value in zip(data.itertuples(), class_of, values):
        label = maps.wrap_name(row.area_name, 12 if tiles else 14) + (f"<br><b>{value}</b>" if value else "")
        hover = (f"<b>{html.escape(row.area_name)}</b><br>"
                 f"{month.label}: {formatting.count(row.crime_count)} crimes<br>"
                 f"{month.year_before.label}: {formatting.count(row.count_previous_year)}<br>"
                 f"Change: {formatting.percent(row.change_pct)}{yoy.notable_note(row.notable, say_not=True)}<br>"
                 f"Rate: {_rate_text(row.rate_per_1000)}<br>"
                 f"Residents: {formatting.count(row.population)} ({population_words(row.population_year)})")
        places.append(maps.MapPlace(row.area_id, row.geometry if isinstance(row.geometry, str) else None,
                                    row.label_lon, row.label_lat, cls, label, hover))
    # tiles are as tall as the map allows: a taller map gives the longest names room in their square
    return maps.outline_map(places, classes, title, subtitle, tiles=tiles, no_figure=no_figure,
                            label_size=label_size or (16 if tiles else 14), height=height or (720 if tiles else 620))


def rate_title(data: pd.DataFrame, crime_type: str, month) -> tuple[str, str]:
    """('All crime per 1,000 residents was highest in City Centre', 'January 2024 ...')."""
    known = data.dropna(subset=["rate_per_1000"])
    years = sorted({population_words(y) for y in known.population_year}) if "population_year" in known else []
    subtitle = f"{Month.of(month).label}; rates use the {' and '.join(years) or 'loaded population'}"
    if known.empty:
        return f"{crime_type} per 1,000 residents", subtitle
    top = known.loc[known.rate_per_1000.idxmax()]
    low = known.loc[known.rate_per_1000.idxmin()]
    return (f"{crime_type} per 1,000 residents was highest in {html.escape(top.area_name)}",
            f"{subtitle};<br>{formatting.rate(top.rate_per_1000)} per 1,000 there, against {formatting.rate(low.rate_per_1000)} in "
            f"{html.escape(low.area_name)}")


HOTSPOT_MONTHS = 12


def hotspot_period(month, months_with_data) -> tuple[str, str | None]:
    """The period of the hot-spot map: the 12 calendar months to `month` (queries/maps/lsoa_hotspots
    sums them by date, so a gap is never filled from further back), and, when some of them have no
    data, how many do and which are missing. ('12 months to April 2024 (4 with data)', 'Only 4 of
    the 12 months to April 2024 have data. May 2023 to December 2023 are missing from the data.')"""
    month = Month.of(month)
    first = month.plus(1 - HOTSPOT_MONTHS)
    have = [m for m in months_of(months_with_data) if first <= m <= month]
    period = f"{HOTSPOT_MONTHS} months to {month.label}"
    if len(have) == HOTSPOT_MONTHS:
        return period, None
    gaps = gaps_sentence(missing_ranges(have, first, month))
    return (f"{period} ({len(have)} with data)",
            f"Only {len(have)} of the {period} have data, so the counts are of those months only. {gaps}")


def lsoa_map(lsoas: pd.DataFrame, area_outline: str | None, area_name: str, crime_type: str,
             period: str) -> go.Figure:
    """Where crime was in one area: its LSOAs coloured by their count of crime_type over the
    period ('12 months to January 2024'). `lsoas` is queries/maps/lsoa_hotspots; LSOAs loaded as
    centroids are drawn as points."""
    shown = lsoas.dropna(subset=["geometry"])
    in_use = shown.in_use.astype(bool) if "in_use" in shown else pd.Series(True, index=shown.index)
    bands = maps.count_classes(shown.crime_count[in_use])
    classes = [cls for _, _, cls in bands]
    not_used = maps.no_figure_class("LSOA code not used in these months")
    class_of = [maps.rate_class(v, bands) if used else None for v, used in zip(shown.crime_count, in_use)]
    # the busiest of all the area's LSOAs, drawn or not (a 2021 code may have no 2011 shape)
    busiest = lsoas.iloc[lsoas.crime_count.to_numpy().argmax()] if len(lsoas) else None
    title = (f"{crime_type} in {html.escape(area_name)}: most in {html.escape(busiest.lsoa_name)}"
             if busiest is not None and busiest.crime_count > 0 else f"{crime_type} in {html.escape(area_name)}")
    undrawn = lsoas[lsoas.geometry.isna()].crime_count.sum()
    subtitle = (f"Crimes in each neighbourhood (LSOA), {period}"
                + (f";<br>{formatting.count(busiest.crime_count)} in {html.escape(busiest.lsoa_name)}"
                   + ("" if isinstance(busiest.geometry, str) else ", which has no shape loaded")
                   if busiest is not None and busiest.crime_count > 0 else "")
                + (f";<br>{formatting.count(undrawn)} crimes in LSOAs with no shape loaded are not drawn"
                   if undrawn else ""))
    hovers = [f"<b>{html.escape(r.lsoa_name)}</b> ({html.escape(r.lsoa_code)})<br>"
              + (f"{formatting.count(r.crime_count)} crimes, {period}" if used
                 else "no records under this code in these months (an LSOA code of the other vintage)")
              for r, used in zip(shown.itertuples(), in_use)]
    background = [area_outline] if area_outline else []
    polygons = shown[shown.geometry_type != "Point"]
    if len(polygons) >= len(shown) / 2:
        places = [maps.MapPlace(r.lsoa_code, r.geometry, r.label_lon, r.label_lat, cls, "", hover)
                  for r, hover, cls in zip(shown.itertuples(), hovers, class_of) if r.geometry_type != "Point"]
        fig = maps.outline_map(places, classes, title, subtitle, background=background, border=0.5,
                               no_figure=not_used)
        # LSOAs with a centroid only (2021 codes new since the 2011 boundaries, say): points on top
        points = shown[shown.geometry_type == "Point"]
        if len(points):
            point_hovers = [h for h, t in zip(hovers, shown.geometry_type) if t == "Point"]
            fig.add_scatter(x=points.label_lon.tolist(), y=points.label_lat.tolist(), mode="markers",
                            marker=dict(size=11, symbol="circle",
                                        color=[(cls or not_used).colour for cls, t in zip(class_of, shown.geometry_type)
                                               if t == "Point"],
                                        line=dict(color=maps.DARK_GREY, width=1)),
                            text=point_hovers, hoverinfo="text", showlegend=False)
        return fig
    points = pd.DataFrame({"lon": shown.label_lon.to_numpy(), "lat": shown.label_lat.to_numpy()})
    return maps.point_map(points, classes, class_of, hovers, title, subtitle, background=background,
                          no_figure=not_used)


def unit_map(units: pd.DataFrame, shapes: pd.DataFrame, crime_type: str, period: str, unit_word: str,
             verdict_words: dict[str, str], tiles: bool = False) -> go.Figure:
    """The forces (or partnership areas) compared, coloured by their rate per 1,000 residents.
    `units` is the funnel table (unit_id, unit_name, crime_count, population, rate_per_1000,
    verdict); `shapes` has unit_id (null for a shape of no unit compared, drawn grey for context)
    and the shape columns, one or more shapes per unit."""
    data = shapes.merge(units, on="unit_id", how="left")
    bands = maps.rate_classes(units.rate_per_1000)
    classes = [cls for _, _, cls in bands]
    places = []
    labelled: set[str] = set()
    for row in data.itertuples():
        if formatting.is_missing(row.unit_name):
            places.append(maps.MapPlace(str(row.code), row.geometry, row.label_lon, row.label_lat, None, "",
                                        f"{html.escape(str(row.name))}: not compared"))
            continue
        hover = (f"<b>{html.escape(row.unit_name)}</b><br>{formatting.count(row.crime_count)} crimes, "
                 f"{formatting.count(row.population)} residents<br>{_rate_text(row.rate_per_1000)}<br>"
                 f"{html.escape(verdict_words.get(row.verdict, str(row.verdict)))}")
        # one label per unit, on its first shape (a unit of several areas would repeat it)
        label = ""
        if row.unit_id not in labelled and (tiles or len(units) <= 12):
            label = maps.wrap_name(row.unit_name, 12) + f"<br><b>{formatting.rate(row.rate_per_1000)}</b>"
            labelled.add(row.unit_id)
        places.append(maps.MapPlace(f"{row.unit_id}:{row.code}", row.geometry, row.label_lon, row.label_lat,
                                    maps.rate_class(row.rate_per_1000, bands), label, hover))
    known = units.dropna(subset=["rate_per_1000"])
    top = known.loc[known.rate_per_1000.idxmax()] if len(known) else None
    title = (f"{crime_type} per 1,000 residents: highest in {html.escape(top.unit_name)}"
             if top is not None else f"{crime_type} per 1,000 residents")
    subtitle = f"{period}; the {unit_word} compared, darker for higher rates"
    return maps.outline_map(places, classes, title, subtitle, tiles=tiles, no_figure=maps.no_figure_class("not compared"),
                            label_size=16 if tiles else 13)


def population_note(years: pd.DataFrame) -> str:
    """'Rates per 1,000 residents use the Census 2021 population: usual residents (ONS), from the
    files A, B and C.' from queries/maps/population_years: one sentence naming each source and
    each file once, however many areas use them (a source per area read as a list of three
    nearly identical sources)."""
    if years.empty:
        return "No populations are loaded, so no rates per 1,000 residents are shown."
    groups: dict[tuple, list[SourceParts]] = {}
    for r in years.itertuples():
        parts = source_parts(r.population_source or "")
        year = None if formatting.is_missing(r.population_year) else int(r.population_year)
        groups.setdefault((year, parts.what), []).append(parts)
    return "Rates per 1,000 residents use " + "; ".join(
        _population_sources(year, what, parts) for (year, what), parts in groups.items()) + "."


def _population_sources(year: int | None, what: str, parts: list[SourceParts]) -> str:
    """'the Census 2021 population: usual residents (ONS), from the files A and B'."""
    lead = f"the {population_words(year)}"
    # 'Census 2021 usual residents (ONS)' after 'the Census 2021 population' says the year twice.
    detail = what
    for said in (f"Census {year} ", f"Population {year}"):
        detail = detail.removeprefix(said)
    files = sorted({f for p in parts for f in p.files})
    summed = {p.summed_from for p in parts}
    tail = []
    if files:
        tail.append(f"from {'the files ' if len(files) > 1 else ''}{_and_list(files)}")
    if len(summed) == 1 and (only := summed.pop()):  # summed differently by area: the files say how
        tail.append(f"summed from {only}")
    text = lead + (f": {detail}" if detail else "")
    return ", ".join([text, *tail])


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

