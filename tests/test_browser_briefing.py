"""The member's briefing (Overview) in Chromium at 1280x800, a common laptop: the headline and
the red measures are on the first screen, the page does not scroll sideways, and a red measure's
link opens its detail on the Plan page. The screenshot is kept in tests/artifacts/ (not committed)."""
import pytest
from playwright.sync_api import expect

from tests.browser_helpers import open_page, wait_for_the_run

pytestmark = pytest.mark.browser


def test_the_briefing_fits_a_laptop_screen_and_its_red_measures_link_to_their_detail(page, server, artifacts):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, f"{server}/?month=2024-01")
    page.screenshot(path=artifacts / "briefing-1280x800.png")
    page.screenshot(path=artifacts / "briefing-1280x800-whole.png", full_page=True)
    headline = page.get_by_text("The member\u2019s briefing for January 2024.")
    expect(headline).to_be_visible()
    headings = page.locator("[data-testid=stMain] h2").all_inner_texts()
    assert headings[:5] == ["Ratings for the force as a whole", "Changed since the last meeting",
                            "Questions the panel may wish to ask", "The month\u2019s key figures", "The meeting pack"]
    red_link = page.locator('a[href*="measure=burglary&detail_area=leicestershire"]').first
    sizes = page.evaluate("""() => {
        const doc = document.scrollingElement, main = document.querySelector('[data-testid=stMain]');
        return {doc: [doc.scrollWidth, doc.clientWidth], main: [main.scrollWidth, main.clientWidth]};
    }""")
    assert sizes["doc"][0] <= sizes["doc"][1] and sizes["main"][0] <= sizes["main"][1], sizes
    # the headline and the first red measure are on the first screen, without scrolling
    for found in (headline, red_link):
        box = found.bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 800, box
    red_link.click()
    expect(page.locator("h1").first).to_have_text("Police and Crime Plan", timeout=30_000)
    wait_for_the_run(page)
    assert "measure=burglary" in page.url
