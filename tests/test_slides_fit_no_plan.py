"""Every slide of a real database imported without a plan fits the screen too, and says in a line
that the plan is not loaded (the measures are in tests/slide_fit.py)."""
import duckdb
import pytest
from playwright.sync_api import expect

from scrutiny.core import words
from scrutiny.present import meeting, slides
from tests.browser_helpers import start_server, stop_server
from tests.slide_fit import SLIDE_SCREENS, assert_every_slide_fits

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def no_plan(llr_db, artifacts):
    """A server on the real Leicestershire street files imported without a plan: (its address, its
    latest month's key, the titles of that month's slides)."""
    with duckdb.connect(str(llr_db), read_only=True) as con:
        query = meeting.runner(con)
        month = max(meeting.months(query))
        titles = [s.title for s in slides.build_slides(query, month)]
    process, url = start_server(llr_db, artifacts / "streamlit-server-no-plan.log")
    yield url, month.strftime("%Y-%m"), titles
    stop_server(process)


@pytest.mark.parametrize("width, height", SLIDE_SCREENS, ids=[f"{w}x{h}" for w, h in SLIDE_SCREENS])
def test_every_slide_of_a_database_without_a_plan_fits_and_says_so_in_a_line(page, no_plan, artifacts, width, height):
    url, month, titles = no_plan
    page.set_viewport_size({"width": width, "height": height})
    assert_every_slide_fits(page, url, month, titles, width, height,
                            str(artifacts / f"present-no-plan-{width}x{height}-slide-{{number:02d}}.png"))
    # the last slide is one of questions, a slide of ratings: the note is a line at its foot, not a box
    foot = page.locator(".st-key-slide-foot")
    expect(foot.get_by_text(words.PLAN_NOT_LOADED_SLIDE)).to_be_visible()
    assert page.get_by_test_id("stAlert").count() == 0
