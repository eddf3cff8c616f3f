""""Is it just us?" in Chromium on the demo (its five synthetic peer forces, rated by the set-wise
engine): the sentence and the peers' table beside the force's red burglary on the Plan page, its link
to Compare forces, landing on the grid of burglary's ratings across the peer group there, at
1024x768, 1280x800 and 1920x1080 (a projector); and Compare forces on a copy of the demo where no
peer is rated. Screenshots are kept in tests/artifacts/ (not committed)."""
import shutil

import duckdb
import pytest
from playwright.sync_api import expect

from scrutiny.core import words

from tests.browser_helpers import open_page, start_server, stop_server, wait_for_the_run

pytestmark = pytest.mark.browser

DETAIL = "/plan?measure=burglary&detail_area=leicestershire&month=2024-01"


def no_sideways_scroll(page):
    sizes = page.evaluate("""() => {
        const doc = document.scrollingElement, main = document.querySelector('[data-testid=stMain]');
        return {doc: [doc.scrollWidth, doc.clientWidth], main: [main.scrollWidth, main.clientWidth]};
    }""")
    assert sizes["doc"][0] <= sizes["doc"][1] and sizes["main"][0] <= sizes["main"][1], sizes


# The grid's text, as peer_view.GRID_FONT sets it: clamp(1rem, 0.35rem + 0.9vw, 1.75rem), worked by
# hand: 5.6 + 9.216 = 14.8 px at 1024, below the 16 px floor; 5.6 + 11.52 = 17.12 at 1280; 5.6 + 17.28
# = 22.88 at 1920.
GRID_TEXT_PX = {1024: 16.0, 1280: 17.12, 1920: 22.88}


def peer_block(page, url: str, width: int, height: int):
    """The first peers' block of a rating's detail, opened in `page` at that size, scrolled into view."""
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, url)
    block = page.locator(".peer-pattern").first
    block.scroll_into_view_if_needed()
    return block


@pytest.mark.parametrize("width, height", [(1024, 768), (1280, 800), (1920, 1080)])
def test_the_peer_sentence_beside_a_red_rating_and_its_link_to_the_grid(page, server, artifacts, width, height):
    block = peer_block(page, server + DETAIL, width, height)
    # on the demo, with the home force's step changes, 1 of the 5 peer forces shares the rise
    expect(block).to_contain_text("1 of the 5 peer forces also shows a rise in burglary this month")
    rows = block.locator("table.peer-ratings tbody tr")
    expect(rows).to_have_count(1 + 5)  # this force, then its five peers
    expect(rows.first).to_contain_text("Leicester, Leicestershire and Rutland (this force)")
    assert rows.first.evaluate("row => getComputedStyle(row.cells[0]).fontWeight") == "700"  # bold
    peer = rows.nth(1)
    expect(peer).to_contain_text("(synthetic)")  # the table keeps full names; the sentence drops the suffix
    expect(peer).to_contain_text("Red: Concern")  # the badge says it in words, not colour alone
    expect(peer).to_contain_text("7 months or more above its usual level")  # its pattern in words
    page.screenshot(path=artifacts / f"peers-detail-{width}x{height}.png")
    no_sideways_scroll(page)

    block.locator("summary").click()  # the peers' table and the link are folded under the sentence
    block.get_by_role("link", name=words.PEER_LINK).click()
    expect(page.locator("h1").first).to_have_text("Compare forces", timeout=30_000)
    wait_for_the_run(page)
    # the link lands on the grid: its heading and the grid's first rows are on the first screen
    heading = page.get_by_role("heading", name="Ratings across the peer group")
    expect(heading).to_be_visible()
    top = heading.bounding_box()
    assert top["y"] + top["height"] <= height, top
    first_row = page.locator("table.ratings-grid tbody tr").first.bounding_box()
    assert first_row["y"] + first_row["height"] <= height, first_row  # a rating seen without scrolling
    page.screenshot(path=artifacts / f"peers-landing-{width}x{height}.png")
    grid = page.locator("table.ratings-grid")
    grid.scroll_into_view_if_needed()
    expect(grid.locator("tbody tr")).to_have_count(6)       # the home force and five peers
    expect(grid.locator("thead tr").last.locator("th")).to_have_count(12)  # 12 months under their years
    expect(grid.locator('td[aria-label^="Leicestershire Police, January 2024: "]')).to_have_count(1)
    # the whole grid fits: its box does not scroll sideways (the last month is not hidden)
    widths = grid.evaluate("table => [table.parentElement.scrollWidth, table.parentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    cell = grid.locator("tbody td").first.bounding_box()
    assert cell["height"] >= 20 and cell["width"] >= 20, cell  # big enough to read from the back of a room
    # the text grows with the screen, and the cells with it
    text_px = float(grid.evaluate("table => getComputedStyle(table).fontSize").removesuffix("px"))
    assert text_px == pytest.approx(GRID_TEXT_PX[width], abs=0.05)
    if width == 1920:
        assert cell["height"] >= 30 and cell["width"] >= 60, cell
    page.screenshot(path=artifacts / f"peers-grid-{width}x{height}.png")
    no_sideways_scroll(page)


AREA_DETAIL = "/plan?measure=burglary&detail_area=city-centre&month=2023-11"


@pytest.mark.parametrize("width, height", [(1280, 800), (1024, 768)])
def test_an_areas_peers_are_said_to_be_partnerships_and_its_own_comes_first(page, server, artifacts, width, height):
    block = peer_block(page, server + AREA_DETAIL, width, height)
    expect(block).to_contain_text("of the 26 peer partnerships also show a rise in burglary this month")
    expect(block).to_contain_text("City Centre is a neighbourhood policing area; its peers are the partnerships "
                                  "of the peer forces, most of them larger.")
    rows = block.locator("table.peer-ratings tbody tr")
    expect(rows).to_have_count(28)  # City Centre, Leicester, then the 26 partnerships of the five peer forces
    expect(rows.first).to_contain_text("City Centre (this area)")
    expect(rows.nth(1)).to_contain_text("Leicester (this force\u2019s partnership, which City Centre is part of)")
    block.evaluate("block => block.scrollIntoView({block: 'start'})")  # the sentence, the note, the first rows
    page.screenshot(path=artifacts / f"peers-area-detail-{width}x{height}.png")
    no_sideways_scroll(page)


@pytest.fixture(scope="module")
def no_peer_rated(demo_db, artifacts, tmp_path_factory):
    """A server on a copy of the demo whose only place ratings are the home force's."""
    db = tmp_path_factory.mktemp("no-peer-rated") / "scrutiny.duckdb"
    shutil.copyfile(demo_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("delete from place_ratings where force_id <> 'leicestershire'")
    process, url = start_server(db, artifacts / "streamlit-server-no-peer-rated.log")
    yield url
    stop_server(process)


def test_compare_forces_lists_peers_with_no_ratings_as_empty_cells(page, no_peer_rated, artifacts):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, no_peer_rated + "/compare?level=forces&month=2024-01&ratings_of=burglary")
    assert "Sorry, something went wrong" not in page.locator("body").inner_text()
    grid = page.locator("table.ratings-grid")
    expect(grid.locator("tbody tr")).to_have_count(6)
    # the five peers' twelve months each say that there are no figures; the home force's none do
    expect(grid.locator('td[aria-label$=": no figures"]')).to_have_count(60)
    expect(grid.locator('td[aria-label^="Leicestershire Police, "][aria-label$=": no figures"]')).to_have_count(0)
    page.screenshot(path=artifacts / "peers-grid-none-rated.png", full_page=True)
