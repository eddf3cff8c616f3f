"""The maps (scrutiny/show/maps.py, scrutiny/show/map_views.py): classes in words, colours that follow the
figures, every area drawn, and nothing that needs the internet."""
import datetime as dt
import json
import math

import pandas as pd
import pytest

from scrutiny.present import meeting
from scrutiny.show import maps, map_views
from scrutiny.core.paths import DEMO_DIR

JANUARY_2024 = dt.date(2024, 1, 1)
# Plotly traces that fetch a base map or tiles from the web (Plotly's world topojson, map tiles).
ONLINE_TRACES = {"choropleth", "scattergeo", "choroplethmap", "choroplethmapbox", "scattermap", "scattermapbox",
                 "densitymap", "densitymapbox"}


@pytest.mark.parametrize("change, words", [
    (-35.0, "Fell by 20% or more"), (-20.0, "Fell by 20% or more"), (-19.9, "Fell by 5% to 20%"),
    (-5.0, "Fell by 5% to 20%"), (-4.9, "Within 5% of a year before"), (0.0, "Within 5% of a year before"),
    (4.9, "Within 5% of a year before"), (5.0, "Rose by 5% to 20%"), (20.0, "Rose by 20% or more"),
])
def test_a_change_falls_in_the_class_its_words_say(change, words):
    assert maps.change_class(change).words == words


def test_change_classes_are_centred_on_zero_and_mirror_each_other():
    words = [cls.words for _, _, cls in maps.CHANGE_CLASSES]
    assert words[2] == "Within 5% of a year before"
    for (low, high, _), (mirror_low, mirror_high, _) in zip(maps.CHANGE_CLASSES, reversed(maps.CHANGE_CLASSES)):
        assert (low, high) == (-mirror_high, -mirror_low)


@pytest.mark.parametrize("rates", [[3.1, 5.2, 7.7, 12.4, 6.0], [10.21, 10.93], [0.4, 0.9, 2.1], [58, 320, 91, 150],
                                   [4.52, 4.54, 5.13, 6.24, 6.25, 6.27, 11.06, 20.49]])
def test_rate_classes_are_at_most_five_round_bands_that_hold_every_rate_once(rates):
    bands = maps.rate_classes(pd.Series(rates))
    assert 2 <= len(bands) <= 5
    assert bands[0][0] == -math.inf and bands[-1][1] == math.inf
    for (_, high, _), (low, _, _) in zip(bands, bands[1:]):
        assert high == low
    for rate in rates:
        assert sum(low <= rate < high for low, high, _ in bands) == 1
    assert bands[0][2].words.startswith("Under ") and bands[-1][2].words.endswith(" or more per 1,000")
    # the shades darken with the rate
    shades = [cls.colour for _, _, cls in bands]
    assert shades == sorted(set(shades), key=[c for c, _ in maps.RATE_COLOURS].index)


@pytest.fixture
def area_table(demo_con):
    return meeting.areas(meeting.runner(demo_con), JANUARY_2024, "All crime")


@pytest.fixture
def tiles():
    return maps.tile_shapes(maps.read_tile_layout(DEMO_DIR / "area_tiles.csv", "area"))


def test_the_demo_tile_layout_has_one_tile_per_area_and_no_two_on_one_square(demo_con, tiles):
    layout = maps.read_tile_layout(DEMO_DIR / "area_tiles.csv", "area")
    npas = {a for (a,) in demo_con.execute("select area_id from home_areas where area_level = 'npa'").fetchall()}
    assert set(layout.code) == npas
    assert not layout.duplicated(["column", "row"]).any()
    forces = maps.read_tile_layout(DEMO_DIR / "area_tiles.csv", "force")
    assert set(forces.code) == {f for (f,) in demo_con.execute("select force_id from forces").fetchall()}


def _filled(fig):
    return [t for t in fig.data if t.fill == "toself"]


@pytest.mark.parametrize("measure", ["change", "rate"])
def test_every_area_is_filled_with_the_colour_of_its_class_and_labelled_with_its_figure(area_table, tiles, measure):
    fig = map_views.area_map(area_table, tiles, measure, "All crime", JANUARY_2024, tiles=True)
    assert not {t.type for t in fig.data} & ONLINE_TRACES
    filled = _filled(fig)
    assert len(filled) == len(area_table) == 8
    if measure == "change":
        expected = {r.area_name: maps.change_class(r.change_pct).colour for r in area_table.itertuples()}
    else:
        bands = maps.rate_classes(area_table.rate_per_1000)
        expected = {r.area_name: maps.rate_class(r.rate_per_1000, bands).colour for r in area_table.itertuples()}
    colours = {}
    for trace in filled:
        name = next(n for n in expected if f"<b>{n}</b>" in trace.text)
        colours[name] = trace.fillcolor
    assert colours == expected
    labels = " ".join(next(t for t in fig.data if t.mode == "text").text).replace("<br>", " ")
    for row in area_table.itertuples():
        figure = f"{row.change_pct:.1f}".replace("-", "\u2212") if measure == "change" else f"{row.rate_per_1000:,.2f}"  # as stored, 2 places
        assert figure in labels
        assert row.area_name.split()[0] in labels


def test_the_legend_lists_every_change_class_in_words_in_order_even_when_empty(area_table, tiles):
    fig = map_views.area_map(area_table, tiles, "change", "All crime", JANUARY_2024, tiles=True)
    legend = sorted((t for t in fig.data if t.showlegend is not False and t.name), key=lambda t: t.legendrank)
    assert [t.name for t in legend] == [cls.words for _, _, cls in maps.CHANGE_CLASSES]


def test_hover_gives_the_counts_and_the_population_year(area_table, tiles):
    fig = map_views.area_map(area_table, tiles, "rate", "All crime", JANUARY_2024, tiles=True)
    city = next(t for t in _filled(fig) if "<b>City Centre</b>" in t.text)
    row = area_table.set_index("area_name").loc["City Centre"]
    assert f"January 2024: {row.crime_count:,} crimes" in city.text
    assert f"January 2023: {int(row.count_previous_year):,}" in city.text
    assert f"{row.rate_per_1000:,.2f} per 1,000 residents" in city.text
    assert "Census 2021 population" in city.text
    assert "Census 2021 population" in fig.layout.title.subtitle.text


def test_an_area_with_no_figure_is_grey_and_the_legend_says_why(area_table, tiles):
    table = area_table.copy()
    table.loc[table.area_id == "charnwood", "rate_per_1000"] = None
    fig = map_views.area_map(table, tiles, "rate", "All crime", JANUARY_2024, tiles=True)
    charnwood = next(t for t in _filled(fig) if "<b>Charnwood</b>" in t.text)
    assert charnwood.fillcolor == maps.NO_FIGURE_COLOUR
    assert "No figure (no population loaded)" in [t.name for t in fig.data]


def test_outlines_keep_their_proportions_and_small_places_are_numbered_in_a_key(area_table):
    # Three squares of real size near Leicester: one 20 km across, two of 1 km (a city's areas).
    def square(lon, lat, size):
        ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        return json.dumps({"type": "Polygon", "coordinates": [ring]})
    shapes = pd.DataFrame({"code": ["charnwood", "city-centre", "west-leicester"],
                           "geometry": [square(-1.4, 52.5, 0.3), square(-1.14, 52.63, 0.01), square(-1.16, 52.63, 0.01)],
                           "label_lon": [-1.25, -1.135, -1.155], "label_lat": [52.65, 52.635, 52.635]})
    table = area_table[area_table.area_id.isin(shapes.code)]
    fig = map_views.area_map(table, shapes, "change", "All crime", JANUARY_2024)
    assert fig.layout.yaxis.scaleratio == pytest.approx(1 / math.cos(math.radians(52.64)), rel=0.01)
    numbered = next(t for t in fig.data if t.mode == "markers+text")
    assert list(numbered.text) == ["1", "2"]  # west to east: West Leicester, then City Centre
    key = fig.layout.annotations[0].text
    assert key.index("West") < key.index("City") and "Charnwood" not in key


def test_lsoa_map_colours_each_lsoa_by_its_count_and_draws_points_when_only_centroids_are_loaded():
    def square(lon, lat):
        ring = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]
        return json.dumps({"type": "Polygon", "coordinates": [ring]})
    lsoas = pd.DataFrame({"lsoa_code": ["E01000001", "E01000002", "E01000003"],
                          "lsoa_name": ["Blaby 001A", "Blaby 001B", "Blaby 002A"], "crime_count": [120, 15, 0],
                          "geometry": [square(-1.2, 52.6), square(-1.19, 52.6), None],
                          "geometry_type": ["Polygon", "Polygon", None],
                          "label_lon": [-1.195, -1.185, None], "label_lat": [52.605, 52.605, None]})
    fig = map_views.lsoa_map(lsoas, None, "Blaby", "Burglary", "12 months to January 2024")
    filled = _filled(fig)
    assert len(filled) == 2
    busy = next(t for t in filled if "Blaby 001A" in t.text)
    quiet = next(t for t in filled if "Blaby 001B" in t.text)
    assert busy.fillcolor != quiet.fillcolor
    assert "most in Blaby 001A" in fig.layout.title.text
    points = lsoas.assign(geometry=['{"type": "Point", "coordinates": [-1.195, 52.605]}',
                                    '{"type": "Point", "coordinates": [-1.185, 52.605]}', None],
                          geometry_type=["Point", "Point", None])
    fig = map_views.lsoa_map(points, None, "Blaby", "Burglary", "12 months to January 2024")
    assert not _filled(fig)
    drawn = [x for t in fig.data if t.mode == "markers" for x in t.x if x is not None]
    assert sorted(drawn) == [-1.195, -1.185]


def test_count_classes_split_many_places_into_groups_of_about_equal_size():
    counts = pd.Series(list(range(1, 96)) + [400, 900, 1243, 2000, 5000])
    bands = maps.count_classes(counts)
    assert len(bands) == 5
    sizes = [sum(low <= c < high for c in counts) for low, high, _ in bands]
    assert max(sizes) <= 2 * min(sizes)  # equal widths would put 95 of the 100 in the lowest class
    assert all(float(high).is_integer() for _, high, _ in bands[:-1])
    assert bands[0][2].words == f"Under {int(bands[0][1])} crimes"


def test_places_with_no_crimes_are_a_class_of_their_own_even_when_most_have_none():
    # a rare crime type in a rural area: 79 LSOAs with none, a few with some
    counts = pd.Series([0] * 79 + [1] * 12 + [3, 5])
    bands = maps.count_classes(counts)
    assert bands[0][2].words == "No crimes" and bands[0][1] == 1
    assert len(bands) >= 2
    with_some = [maps.rate_class(c, bands).words for c in (1, 3, 5)]
    assert "No crimes" not in with_some
    assert len(set(with_some)) == 3  # the LSOA with 5 stands out from those with 1


def test_small_rates_have_legend_words_with_their_decimals():
    words = [cls.words for _, _, cls in maps.rate_classes(pd.Series([0.0, 0.01, 0.012, 0.02]))]
    assert all("0. " not in w and "0 to under 0 " not in w for w in words), words
    assert len(set(words)) == len(words)


def test_the_population_note_names_each_source_and_each_file_once():
    # As on a database of the real files with districts, force areas and LSOAs loaded: five
    # county areas from districts, the city's three from LSOAs, the force from its own figure.
    census = "Census 2021 usual residents (ONS), from "
    years = pd.DataFrame({
        "population_year": [2021, 2021, 2021],
        "population_source": [census + "lad22.csv, summed from districts", census + "lsoa21.csv, summed from LSOAs",
                               census + "pfa.csv"],
        "areas": [5, 3, 1]})
    assert map_views.population_note(years) == (
        "Rates per 1,000 residents use the Census 2021 population: usual residents (ONS), "
        "from the files lad22.csv, lsoa21.csv and pfa.csv.")


def test_the_population_note_of_one_source_says_how_it_was_summed_and_each_year_apart():
    years = pd.DataFrame({
        "population_year": [2021, 2023],
        "population_source": ["Census 2021 usual residents (ONS), summed from LSOAs",
                              "Population 2023, from estimates.csv, summed from LSOAs"],
        "areas": [8, 1]})
    assert map_views.population_note(years) == (
        "Rates per 1,000 residents use the Census 2021 population: usual residents (ONS), summed from LSOAs; "
        "the 2023 population, from estimates.csv, summed from LSOAs.")
