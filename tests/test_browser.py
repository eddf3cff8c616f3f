"""What a person sees: `streamlit run` on a free local port, opened in Chromium by Playwright.

Screenshots of every page are kept under tests/artifacts/ (not committed)."""
import pytest
from playwright.sync_api import expect

from tests.browser_helpers import assert_healthy, start_server, stop_server, wait_for_drawn_charts

pytestmark = pytest.mark.browser

PAGES = [("", "Overview"), ("areas", "Areas"), ("trends", "Trends"), ("plan", "Police and Crime Plan"),
         ("methodology", "Methodology"), ("compare", "Compare forces")]


def test_a_deep_link_is_the_first_request_after_the_server_starts(browser, demo_db, artifacts):
    # Streamlit's legacy router for a folder named pages/ is live until st.navigation first runs:
    # this proves the first visitor's deep link still goes through dashboard.py (filters shown).
    process, url = start_server(demo_db, artifacts / "streamlit-server-deep-link.log")
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/areas?crime_type=Robbery&month=2023-06")
        assert_healthy(page, "Areas")
        expect(page.get_by_text("Robbery in each neighbourhood policing area, June 2023")).to_be_visible()
        expect(page.get_by_test_id("stSidebar").get_by_text("Crime type")).to_be_visible()
        page.close()
    finally:
        stop_server(process)


@pytest.mark.parametrize("path, heading", PAGES)
def test_every_page_opens_in_chromium_without_an_error(server, page, artifacts, path, heading):
    page.goto(f"{server}/{path}")
    assert_healthy(page, heading)
    if heading in ("Areas", "Trends", "Police and Crime Plan", "Compare forces"):
        expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    wait_for_drawn_charts(page)  # before the screenshot
    page.screenshot(path=artifacts / f"page-{heading.lower()}.png", full_page=True)


def test_the_sidebar_links_switch_pages_and_keep_the_filters(server, page):
    page.goto(f"{server}/?crime_type=Burglary&month=2023-11")
    assert_healthy(page, "Overview")
    page.get_by_test_id("stSidebarNav").get_by_text("Areas").click()
    assert_healthy(page, "Areas")
    expect(page.get_by_text("Burglary in each neighbourhood policing area, November 2023")).to_be_visible()
    page.get_by_test_id("stSidebarNav").get_by_text("Trends").click()
    assert_healthy(page, "Trends")
    assert "crime_type=Burglary" in page.url and "month=2023-11" in page.url


def test_a_link_reproduces_the_view(server, page, artifacts):
    page.goto(f"{server}/trends?area=city-centre&crime_type=Shoplifting&month=2023-06")
    assert_healthy(page, "Trends")
    expect(page.locator(".js-plotly-plot").first).to_contain_text("Shoplifting in City Centre")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("combobox", name="Area")).to_have_value("City Centre")
    expect(sidebar.get_by_role("combobox", name="Crime type")).to_have_value("Shoplifting")
    expect(sidebar.get_by_role("combobox", name="Month")).to_have_value("June 2023")
    page.screenshot(path=artifacts / "deep-link-trends.png", full_page=True)


def test_a_cell_of_the_plan_matrix_opens_that_measure_with_its_chart(server, page, artifacts):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server}/plan?month=2024-01")
    assert_healthy(page, "Police and Crime Plan")
    expect(page.get_by_text("Every measure in every area")).to_be_visible()
    page.locator('a[href*="measure=burglary&area=city-centre"]').first.click()
    assert_healthy(page, "Police and Crime Plan")
    expect(page.get_by_role("combobox", name="Measure")).to_have_value("Burglary", timeout=30_000)
    expect(page.get_by_text("Burglary in City Centre was").first).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    page.screenshot(path=artifacts / "plan-drill-through.png", full_page=True)


def test_the_compare_page_redraws_the_funnel_for_partnership_areas(server, page, artifacts):
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(f"{server}/compare?crime_type=Burglary&month=2024-01")
    assert_healthy(page, "Compare forces")
    chart = page.locator(".js-plotly-plot").first
    expect(chart).to_contain_text("Leicestershire Police's burglary rate is", timeout=30_000)
    expect(page.get_by_text("Synthetic peer forces.")).to_be_visible()
    page.get_by_text("Community Safety Partnerships").click()
    expect(chart).to_contain_text("Leicestershire Police: ", timeout=30_000)
    expect(chart).to_contain_text("Hinckley and Blaby")
    assert "level=csps" in page.url
    wait_for_drawn_charts(page)
    page.screenshot(path=artifacts / "compare-partnership-areas.png", full_page=True)
