"""The maps as a person sees them, in Chromium: the demo's tile map on a fresh database, then the
real outlines once boundaries are imported into the same file while the server runs. Nothing
may be fetched from the internet (council chambers and CI have none). Screenshots of both are
kept as test artefacts under tests/artifacts/."""
import shutil
import time

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import assert_healthy, start_server, stop_server, wait_for_drawn_charts, wait_for_the_run
from tests.helpers import DISTRICT_BOUNDARIES, LSOA_BOUNDARIES, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.real_data]



@pytest.fixture(scope="module")
def map_server(demo_db, artifacts, tmp_path_factory):
    db = tmp_path_factory.mktemp("maps") / "scrutiny.duckdb"
    shutil.copyfile(demo_db, db)
    process, url = start_server(db, artifacts / "streamlit-server-maps.log")
    yield url, db
    stop_server(process)


def open_map(page, url: str, measure: str):
    page.goto(f"{url}/areas?month=2024-01&map={measure}")
    assert_healthy(page, "Areas")
    heading = page.get_by_role("heading", name="On a map")
    heading.scroll_into_view_if_needed()
    chart = page.locator(".js-plotly-plot").nth(1)
    expect(chart).to_be_visible(timeout=30_000)
    wait_for_the_run(page)
    wait_for_drawn_charts(page)  # before counting its shapes
    return chart


def test_the_demo_shows_a_tile_map_and_then_the_real_map_once_boundaries_are_imported(
        map_server, page, artifacts, real_data):
    url, db = map_server
    chart = open_map(page, url, "change")
    # one filled square per area, every class named in the legend, the tile map said to be one
    expect(chart.locator("path.js-fill")).to_have_count(8)
    legend = chart.locator(".legend").text_content()
    for words in ("Fell by 20% or more", "Fell by 5% to 20%", "Within 5% of a year before", "Rose by 5% to 20%",
                  "Rose by 20% or more"):
        assert words in legend
    expect(page.get_by_text("A tile map: one square per area")).to_be_visible()
    chart.screenshot(path=artifacts / "map-areas-tiles.png")

    code, _, err = run_cli("import", "boundaries", real_data / DISTRICT_BOUNDARIES, real_data / LSOA_BOUNDARIES, "--db", db)
    assert code == 0, err

    # The server reads the new file once it has worked out, for it, what its visitors were reading
    # (scrutiny.store.handover): seconds, so the page is opened again until it shows the new file.
    deadline = time.monotonic() + 60
    while True:
        chart = open_map(page, url, "rate")
        if page.get_by_text("A tile map: one square per area").count() == 0 or time.monotonic() > deadline:
            break
    expect(page.get_by_text("A tile map: one square per area")).to_have_count(0)
    expect(page.get_by_text("Outlines: dissolved from")).to_be_visible()
    # The eight areas drawn from their real outlines: each is one or more filled shapes, and the
    # city's three, too small for their names on a county map, are numbered in a key.
    expect(chart.locator("path.js-fill").nth(7)).to_be_attached()  # at least 8
    text = chart.text_content()
    assert "Census 2021 population" in text
    for name in ("West Leicester", "City Centre", "East Leicester"):
        assert name in text
    assert "per 1,000" in chart.locator(".legend").text_content()
    chart.screenshot(path=artifacts / "map-areas-boundaries.png")

    # hot spots need LSOA counts, which the demo does not have: a clear note instead of an empty map
    expect(page.get_by_text("Crime by neighbourhood (LSOA) comes from data.police.uk street files")).to_be_visible()
    page.screenshot(path=artifacts / "page-areas-with-maps.png", full_page=True)
    assert page.outside_requests == [], "the map must not fetch anything from the internet"
