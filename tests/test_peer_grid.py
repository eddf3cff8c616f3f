"""Compare forces' grid of one measure's ratings across the peer group, and the Plan page's peers,
as the office and a councillor found them (AppTest, on the demo and on copies of it): a peer with no
ratings at all, the grid first when a rating's link opens the page, which measure the grid and the
figures show, an area's partnership marked, the Plan's peers' table folded, and the line on runs."""
import re
import shutil

import duckdb
import pytest

from scrutiny.core import words

JAN = "2024-01"
PEERS = [f"Peer force {x} (synthetic)" for x in "ABCDE"]
GRID_HEADING = "Ratings across the peer group"


@pytest.fixture(scope="module")
def only_home_rated(demo_db, tmp_path_factory):
    """The demo with every place rating but the home force's taken out: the peer forces, and every
    partnership outside Leicestershire, have no ratings at all."""
    db = tmp_path_factory.mktemp("only-home-rated") / "scrutiny.duckdb"
    shutil.copyfile(demo_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("delete from place_ratings where force_id <> 'leicestershire'")
    return db


def compare(app, db=None, **params):
    at = app(**({"db": db} if db else {}), **params)
    at.run()
    at = at.switch_page("pages/compare.py").run()
    assert not at.exception
    return at


def grid_html(at) -> str:
    (grid,) = [h.proto.body for h in at.get("html") if 'class="ratings-grid"' in h.proto.body]
    return grid


def shown_text(at) -> list[str]:
    """The page's markdown as read (names from the data are escaped for markdown)."""
    return [m.value.replace("\\", "") for m in at.markdown]


def headers(at) -> list[str]:
    return [h.value for h in at.header]


def test_a_peer_with_no_ratings_is_listed_with_empty_cells_not_a_crash(app, only_home_rated):
    at = compare(app, only_home_rated, level="forces", month=JAN, ratings_of="burglary")
    grid = grid_html(at)
    # the home force and the five peers; each peer's 12 months say "no figures", the home force's do not
    assert grid.count("<tr><th scope=\"row\"") == 6
    for peer in PEERS:
        assert grid.count(f'aria-label="{peer}, ') == 12
        assert f'aria-label="{peer}, January 2024: no figures"' in grid
    assert len(re.findall(r'aria-label="[^"]*: no figures"', grid)) == 5 * 12


def test_opened_by_a_ratings_link_the_grid_comes_before_the_funnel_and_stays_there(app):
    at = compare(app, level="forces", month=JAN, ratings_of="burglary", crime_type="Burglary")
    assert headers(at)[:2] == [GRID_HEADING, "Rates across the peer group"]
    at.radio(key="compare_limits").set_value("overdispersed").run()  # a later run: the grid stays first
    assert not at.exception
    assert headers(at)[:2] == [GRID_HEADING, "Rates across the peer group"]


def test_opened_without_a_ratings_link_the_grid_follows_the_funnel(app):
    at = compare(app, level="forces", month=JAN, crime_type="Burglary")
    assert GRID_HEADING in headers(at) and "Rates across the peer group" not in headers(at)
    assert headers(at)[0] == GRID_HEADING  # the first header: the funnel above it has none
    assert len(at.get("plotly_chart")) >= 1


def test_the_rating_column_and_the_grid_say_which_measure_each_shows(app):
    # from neighbourhood crime's link, with the sidebar's Crime type left at all crime
    at = compare(app, level="forces", month=JAN, ratings_of="neighbourhood_crime")
    assert "All crime rating, January 2024" in at.dataframe[0].value.columns
    said = words.RATINGS_GRID_OTHER_MEASURE.format(grid_measure="neighbourhood crime", page_measure="all crime")
    assert said in [m.value for m in at.markdown]
    assert "Neighbourhood crime: each place" in grid_html(at)


def test_the_grid_and_the_crime_type_agreeing_need_no_note(app):
    at = compare(app, level="forces", month=JAN, ratings_of="burglary", crime_type="Burglary")
    assert "Burglary rating, January 2024" in at.dataframe[0].value.columns
    assert not [m.value for m in at.markdown if m.value.startswith("This grid shows")]


def test_the_line_on_runs_is_under_the_grid(app):
    at = compare(app, level="forces", month=JAN, ratings_of="burglary", crime_type="Burglary")
    assert words.RATINGS_GRID_RUN in [c.value for c in at.caption]


def test_an_areas_link_marks_its_partnership_in_the_grid(app):
    at = compare(app, level="csps", month=JAN, ratings_of="neighbourhood_crime", rated_area="city-centre")
    assert "City Centre is part of the Leicester partnership area: its row is marked \u25B6 below." in shown_text(at)
    grid = grid_html(at)
    assert grid.count('class="marked"') == 1
    marked = grid[grid.index('class="marked"'):]
    marked = marked[:marked.index("</th>")]
    assert "Leicester<br>" in marked and "this force\u2019s, with City Centre" in marked


def test_an_area_compared_as_itself_is_said_so(app):
    at = compare(app, level="csps", month=JAN, ratings_of="burglary", rated_area="charnwood")
    assert "Charnwood is compared as a partnership area itself: its row is marked \u25B6 below." in shown_text(at)
    assert grid_html(at).count('class="marked"') == 1


def test_the_forces_grid_marks_no_area(app):
    at = compare(app, level="forces", month=JAN, ratings_of="burglary", rated_area="city-centre")
    assert 'class="marked"' not in grid_html(at)


def test_the_plan_pages_area_detail_folds_the_peers_table_and_links_with_the_area(app):
    at = app(measure="neighbourhood_crime", detail_area="city-centre", month=JAN)
    at.run()
    at = at.switch_page("pages/plan.py").run()
    assert not at.exception
    (block,) = [h.proto.body for h in at.get("html") if 'class="peer-pattern"' in h.proto.body]
    sentence_end, folded = block.index("</p>"), block.index("<details")
    # the sentence first, in view; the table of the 26 other partnerships and the link behind the fold
    assert sentence_end < folded < block.index('class="peer-ratings"')
    assert block.count("<tr><td") == 26
    assert ('href="compare?level=csps&amp;month=2024-01&amp;ratings_of=neighbourhood_crime&amp;'
            'rated_area=city-centre#ratings"') in block
