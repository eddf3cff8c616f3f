""""Is it just us?" in Chromium on the demo (its five synthetic peer forces, rated by the set-wise
engine): the sentence and the peers' table beside the force's red burglary on the Plan page, its link
to Compare forces, and the grid of burglary's ratings across the peer group there, at 1280x800 and at
1024x768 (a projector). Screenshots are kept in tests/artifacts/ (not committed)."""
import pytest
from playwright.sync_api import expect

from scrutiny.core import words

from tests.browser_helpers import open_page, wait_for_the_run

pytestmark = pytest.mark.browser

DETAIL = "/plan?measure=burglary&detail_area=leicestershire&month=2024-01"


def no_sideways_scroll(page):
    sizes = page.evaluate("""() => {
        const doc = document.scrollingElement, main = document.querySelector('[data-testid=stMain]');
        return {doc: [doc.scrollWidth, doc.clientWidth], main: [main.scrollWidth, main.clientWidth]};
    }""")
    assert sizes["doc"][0] <= sizes["doc"][1] and sizes["main"][0] <= sizes["main"][1], sizes


@pytest.mark.parametrize("width, height", [(1280, 800), (1024, 768)])
def test_the_peer_sentence_beside_a_red_rating_and_its_link_to_the_grid(browser, server, artifacts, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    open_page(page, server + DETAIL)
    block = page.locator(".peer-pattern").first
    block.scroll_into_view_if_needed()
    # on the demo, with the home force's step changes, 1 of the 5 peer forces shares the rise
    expect(block).to_contain_text("1 of the 5 peer forces also shows a rise in burglary this month")
    rows = block.locator("table.peer-ratings tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("(synthetic)")
    expect(rows.first).to_contain_text("Red: Concern")  # the badge says it in words, not colour alone
    expect(rows.first).to_contain_text("7 months or more above its usual level")  # its pattern in words
    page.screenshot(path=artifacts / f"peers-detail-{width}x{height}.png")
    no_sideways_scroll(page)

    block.get_by_role("link", name=words.PEER_LINK).click()
    expect(page.locator("h1").first).to_have_text("Compare forces", timeout=30_000)
    wait_for_the_run(page)
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
    page.screenshot(path=artifacts / f"peers-grid-{width}x{height}.png")
    no_sideways_scroll(page)
    context.close()


AREA_DETAIL = "/plan?measure=burglary&detail_area=city-centre&month=2023-11"


@pytest.mark.parametrize("width, height", [(1280, 800), (1024, 768)])
def test_an_areas_peers_are_said_to_be_partnerships_and_its_own_comes_first(browser, server, artifacts, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    open_page(page, server + AREA_DETAIL)
    block = page.locator(".peer-pattern").first
    block.scroll_into_view_if_needed()
    expect(block).to_contain_text("of the 26 peer partnerships also show a rise in burglary this month")
    expect(block).to_contain_text("City Centre is a neighbourhood policing area; its peers are the partnerships "
                                  "of the peer forces, most of them larger.")
    rows = block.locator("table.peer-ratings tbody tr")
    expect(rows).to_have_count(27)  # Leicester, then the 26 partnerships of the five peer forces
    expect(rows.first).to_contain_text("Leicester (this force\u2019s partnership, which City Centre is part of)")
    block.evaluate("block => block.scrollIntoView({block: 'start'})")  # the sentence, the note, the first rows
    page.screenshot(path=artifacts / f"peers-area-detail-{width}x{height}.png")
    no_sideways_scroll(page)
    context.close()
