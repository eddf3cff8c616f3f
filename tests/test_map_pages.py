"""The maps on the pages, in Streamlit's AppTest, with the real boundary files of ../shared: the
demo's tile map with no boundaries, the real outlines once they are imported, the forces on the
Compare page, and LSOA hot spots from real data.police.uk records (whose counts must add up to
the area's)."""
import datetime as dt
import json
import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from scrutiny.store import queries
from tests.ingest_helpers import street_files
from tests.helpers import DISTRICT_BOUNDARIES, LSOA_BOUNDARIES, run_cli

LSOA_CENTROIDS = "ons-lsoa11-pwc_iainfletcher/DERIVED_lsoa11_pwc_llr.csv"


@pytest.fixture
def open_page(app):
    """`open_page(db, page, **params)`: PAGE of the dashboard on DB, opened by a link with PARAMS."""
    def open_on(db, page: str, **params) -> AppTest:
        at = app(db=db, **params)
        at.run()
        at.switch_page(page).run()
        assert not at.exception
        return at

    return open_on


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def filled(figure: dict) -> list[dict]:
    return [t for t in figure["data"] if t.get("fill") == "toself"]


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption).replace("\\", "")  # markdown escapes


def test_without_boundaries_the_areas_page_shows_the_tile_map(demo_db, open_page):
    at = open_page(demo_db, "pages/areas.py", month="2024-01")
    area_map = figures(at)[1]
    assert len(filled(area_map)) == 8
    assert area_map["layout"]["yaxis"]["scaleratio"] == 1  # squares, not a projection
    assert "A tile map: one square per area" in captions(at)
    assert "Rates per 1,000 residents use the Census 2021 population" in captions(at)


@pytest.mark.slow  # boundaries imported and a page run, about 3 s
def test_with_boundaries_the_areas_page_shows_the_real_outlines(demo_with_boundaries, open_page):
    at = open_page(demo_with_boundaries, "pages/areas.py", month="2024-01", map="rate")
    area_map = figures(at)[1]
    shapes = filled(area_map)
    assert len(shapes) == 8
    assert area_map["layout"]["yaxis"]["scaleratio"] == pytest.approx(1.65, abs=0.02)  # 1 / cos(52.6 degrees)
    # the fills lie in Leicestershire, in longitude and latitude
    xs = [x for t in shapes for x in t["x"] if x is not None]
    ys = [y for t in shapes for y in t["y"] if y is not None]
    assert -1.7 < min(xs) < max(xs) < -0.4 and 52.3 < min(ys) < max(ys) < 53.0
    assert "A tile map" not in captions(at)
    assert "Outlines: dissolved from LSOA boundaries" in captions(at)


def test_the_compare_page_maps_the_forces_once_force_boundaries_are_loaded(demo_with_boundaries, demo_db, open_page):
    at = open_page(demo_db, "pages/compare.py", month="2024-01", level="forces", period="12")
    tile_map = figures(at)[1]
    assert len(filled(tile_map)) == 6  # the home force and five synthetic peers, as tiles
    at = open_page(demo_with_boundaries, "pages/compare.py", month="2024-01", level="forces", period="12")
    force_map = figures(at)[1]
    shapes = filled(force_map)
    assert len(shapes) == 43
    leicestershire = [t for t in shapes if "Leicestershire Police" in t["text"]]
    assert len(leicestershire) == 1 and leicestershire[0]["fillcolor"] != "#D9D9D9"
    assert sum(t["fillcolor"] == "#D9D9D9" for t in shapes) == 42  # every other force: not compared
    assert "Peer force A (synthetic)" in captions(at)  # named as not on the map


@pytest.fixture(scope="module")
def llr_lsoa_db(real_data, tmp_path_factory):
    """A year of real Leicestershire records (November 2021 to October 2022, 2011 LSOAs) with LSOA
    and district boundaries. Its tests are marked slow: the imports take several seconds."""
    db = tmp_path_factory.mktemp("hotspots") / "scrutiny.duckdb"
    files = [f for f in street_files(real_data) if "2021-11" <= f.name[:7] <= "2022-10"]
    assert len(files) == 12
    code, _, err = run_cli("import", "police-uk", *files, "--db", db)
    assert code == 0, err
    code, _, err = run_cli("import", "boundaries", real_data / DISTRICT_BOUNDARIES, real_data / LSOA_BOUNDARIES, "--db", db)
    assert code == 0, err
    return db


@pytest.mark.parametrize("crime_type", ["All crime", "Burglary"])
@pytest.mark.slow
def test_the_lsoa_counts_of_every_area_add_up_to_the_area_count(llr_lsoa_db, crime_type):
    con = duckdb.connect(str(llr_lsoa_db), read_only=True)
    try:
        areas = con.execute("select area_id from areas where area_level = 'npa'").fetchall()
        assert len(areas) == 8
        for (area_id,) in areas:
            lsoas = queries.run(con, "maps/lsoa_hotspots", area_id=area_id, crime_type=crime_type,
                                first_month=dt.date(2021, 11, 1), last_month=dt.date(2022, 10, 1))
            (total,) = con.execute("""
                select sum(crime_count) from area_month_totals
                where area_id = ? and crime_type = ? and month between '2021-11-01' and '2022-10-01'
            """, [area_id, crime_type]).fetchone()
            assert lsoas.crime_count.sum() == total, area_id
            assert not lsoas.lsoa_code.duplicated().any()
            assert lsoas.geometry.notna().mean() > 0.98  # 2011 LSOAs: almost all have a shape
    finally:
        con.close()


@pytest.mark.slow
def test_the_areas_page_maps_the_lsoas_of_the_chosen_area(llr_lsoa_db, open_page):
    at = open_page(llr_lsoa_db, "pages/areas.py", month="2022-10", hotspots="city-centre", crime_type="Burglary")
    charts = figures(at)
    # the area map and the LSOA map; no bar chart of changes: a year of files has no year before October 2022
    assert len(charts) == 2
    lsoa_map = charts[1]
    shapes = filled(lsoa_map)
    con = duckdb.connect(str(llr_lsoa_db), read_only=True)
    try:
        lsoas = queries.run(con, "maps/lsoa_hotspots", area_id="city-centre", crime_type="Burglary",
                            first_month=dt.date(2021, 11, 1), last_month=dt.date(2022, 10, 1))
    finally:
        con.close()
    # one shape per LSOA with a shape, plus the area's outline behind them
    assert len(shapes) == lsoas.geometry.notna().sum() + 1
    busiest = lsoas.iloc[0]
    assert f"most in {busiest.lsoa_name}" in lsoa_map["layout"]["title"]["text"].replace("<br>", " ")
    table = at.dataframe[-1].value
    assert list(table.iloc[:, 0][:3]) == list(lsoas.lsoa_name[:3])


@pytest.mark.slow
def test_lsoas_loaded_as_centroids_only_are_drawn_as_points(llr_lsoa_db, real_data, tmp_path, open_page):
    db = tmp_path / "scrutiny.duckdb"
    shutil.copyfile(llr_lsoa_db, db)
    con = duckdb.connect(str(db))
    con.execute("delete from boundaries where level = 'lsoa'")
    con.close()
    code, _, err = run_cli("import", "boundaries", real_data / LSOA_CENTROIDS, "--level", "lsoa", "--db", db)
    assert code == 0, err
    at = open_page(db, "pages/areas.py", month="2022-10", hotspots="charnwood")
    lsoa_map = figures(at)[1]  # after the area map (no bar chart of changes: no year before)
    points = [x for t in lsoa_map["data"] if t.get("mode") == "markers" for x in t["x"] if x is not None]
    assert len(points) == 99  # Charnwood's 2011 LSOAs


@pytest.mark.slow
def test_after_a_population_import_the_areas_page_uses_it_and_says_its_year(demo_db, real_data, tmp_path, open_page):
    db = tmp_path / "scrutiny.duckdb"
    shutil.copyfile(demo_db, db)
    wide = real_data / "census2021-pop_cwthom/DERIVED_census21_usual_residents_lsoa21_llr_wide.csv"
    lines = wide.read_text().splitlines()
    header = lines[0].split(",")
    total = header.index("total")
    changed = [lines[0]]
    for line in lines[1:]:  # everyone counted 10% more, as a later estimate might
        cells = line.split(",")
        cells[total] = str(round(int(cells[total]) * 1.1))
        changed.append(",".join(cells))
    path = tmp_path / "llr_lsoa_estimates.csv"
    path.write_text("\n".join(changed) + "\n")
    code, _, err = run_cli("import", "population", path, "--year", "2023", "--db", db)
    assert code == 0, err

    at = open_page(db, "pages/areas.py", month="2024-01", map="rate")
    assert "Rates per 1,000 residents use the 2023 population, from llr_lsoa_estimates.csv, summed from LSOAs." \
        in captions(at)
    table = at.dataframe[0].value.set_index("Area")
    by_hand = {}
    for line in changed[1:]:
        cells = dict(zip(header, line.split(",")))
        by_hand[cells["LSOA21NM"].rsplit(" ", 1)[0]] = by_hand.get(cells["LSOA21NM"].rsplit(" ", 1)[0], 0) + int(cells["total"])
    charnwood = table.loc["Charnwood"]
    assert charnwood["Residents"] == by_hand["Charnwood"]
    assert charnwood["Rate per 1,000 residents"] == pytest.approx(
        round(1000 * charnwood["January 2024"] / by_hand["Charnwood"], 2))
    area_map = figures(at)[1]
    assert "2023 population" in area_map["layout"]["title"]["subtitle"]["text"]


@pytest.mark.slow
def test_centroids_loaded_after_boundaries_add_points_only_where_no_shape_is_loaded(llr_lsoa_db, real_data, tmp_path):
    db = tmp_path / "scrutiny.duckdb"
    shutil.copyfile(llr_lsoa_db, db)
    code, out, err = run_cli("import", "boundaries", real_data / "ons-lsoa21-pwc_onsvisual/lsoa21_pwc.ndjson.gz",
                         "--level", "lsoa", "--db", db)
    assert code == 0, err
    con = duckdb.connect(str(db), read_only=True)
    try:
        kinds = dict(con.execute("""
            select geometry_type = 'Point', count(*) from boundaries
            where level = 'lsoa' and code in (select code from boundaries where level = 'lsoa' and name like 'Charnwood%')
            group by 1
        """).fetchall())
        assert kinds == {False: 99}  # Charnwood's 2011 shapes all kept
        (new_points,) = con.execute("""
            select count(*) from boundaries where level = 'lsoa' and geometry_type = 'Point'
        """).fetchone()
        # every 2021 LSOA of England and Wales as a point, but the 587 LLR codes unchanged since 2011
        # (SOURCES.md, 5f), whose 2011 shapes are kept
        assert new_points == 35_672 - 587
    finally:
        con.close()
    assert "centroids of places whose boundary is already loaded skipped" in out


@pytest.mark.slow  # a real import and a page run, about 3 s
def test_real_data_with_no_boundaries_says_how_to_load_them_instead_of_showing_the_demo_tiles(real_data, tmp_path, open_page):
    db = tmp_path / "scrutiny.duckdb"
    files = sorted(real_data.glob("police-uk_leonard-theodorus/*/*-street.csv.gz"))
    forces = {f.name.split("-", 2)[2].rsplit("-street", 1)[0] for f in files}
    assert {"leicestershire", "lancashire"} <= forces
    code, _, err = run_cli("import", "police-uk", *files, "--home", "lancashire", "--db", db)
    assert code == 0, err
    at = open_page(db, "pages/areas.py")
    assert len(figures(at)) == 0  # no map, and no bar chart of changes (no year before April 2024)...
    assert any("There are no figures for April 2023" in i.value for i in at.info)  # ...which it says
    assert any("No boundaries are loaded" in i.value for i in at.info)
    assert "A tile map" not in captions(at)
    at = open_page(db, "pages/compare.py", level="forces", period="1")
    assert any("No boundaries are loaded" in i.value for i in at.info)
    assert "tile map" not in captions(at)
    from scrutiny.present import meeting, slides

    con = duckdb.connect(str(db), read_only=True)
    try:
        assert "map" not in [p.kind for p in slides.outline(meeting.runner(con), dt.date(2024, 4, 1))]
    finally:
        con.close()


def test_the_presentation_has_a_map_slide_of_the_outlines_once_boundaries_are_loaded(demo_with_boundaries):
    from scrutiny.present import meeting, slides

    con = duckdb.connect(str(demo_with_boundaries), read_only=True)
    try:
        query = meeting.runner(con)
        assert [p.kind for p in slides.outline(query, dt.date(2024, 1, 1))][:3] == ["headline", "areas", "map"]
        slide = slides.map_slide(query, dt.date(2024, 1, 1))
    finally:
        con.close()
    assert "the areas' outlines" in slide.subtitle
    assert slide.figure.layout.yaxis.scaleratio == pytest.approx(1.65, abs=0.02)
    assert len([t for t in slide.figure.data if t.fill == "toself"]) == 8
