"""Every page walked in Chromium on a database of the real files of both forces (Leicestershire
at home, Lancashire beside it), with the real boundaries and Census populations loaded, as the
office's analyst would set it up. Real data is not the demo: months are missing (no Leicestershire
file from November 2022 to December 2023), some months have no year before, records have no
location. No page may show an exception, a "None" or "nan", or a chart with nothing drawn in it.
A full-page screenshot of every view is kept under tests/artifacts/real-walk/."""
from __future__ import annotations

import re

import pytest

from tests.browser_helpers import dashboard_pages, move_to_page, start_server, stop_server, wait_for_drawn_charts

pytestmark = [pytest.mark.browser, pytest.mark.real_data, pytest.mark.slow]

# The latest month; the first after the gap (no year before it); the last before the gap; and the
# first lockdown month, when many records had no location.
MONTHS = ("2024-04", "2024-01", "2022-10", "2020-03")
# A missing figure printed as Python or pandas writes it ("None of the ..." is a sentence).
MISSING_VALUE = re.compile(r"(?<![\w-])(None|nan|NaN|NaT|<NA>)(?![\w-])(?! of\b)")


@pytest.fixture(scope="module")
def real_server(real_both_db, artifacts):
    process, url = start_server(real_both_db, artifacts / "streamlit-server-real-walk.log")
    yield url
    stop_server(process)


def drawn_nothing(page) -> list[int]:
    """The positions of the charts on the page that have no point, bar, line or shape drawn."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap((chart, i) => {
        const has = trace => ['x', 'y', 'z', 'locations', 'lat', 'values', 'geojson'].some(
            key => trace[key] && (trace[key].length > 0 || (key === 'geojson' && Object.keys(trace[key]).length)));
        return (chart._fullData || []).some(has) ? [] : [i];
    })""")


@pytest.mark.parametrize("month", MONTHS)
def test_every_page_of_the_real_data_shows_figures_or_says_why_not(real_server, page, artifacts, month):
    shots = artifacts / "real-walk"
    shots.mkdir(exist_ok=True)
    problems = []
    for path in dashboard_pages():  # the first by its address, the others through the sidebar
        name = path or "overview"
        move_to_page(page, real_server, path, f"month={month}")
        assert f"month={month}" in page.url, page.url
        whole_page_screenshot(page, shots / f"{name}-{month}.png")
        problems += [f"{name} {month}: {problem}" for problem in what_is_wrong(page)]
    assert problems == []


def whole_page_screenshot(page, path) -> None:
    """The whole page, not only the first screen: Streamlit scrolls its main section, not the
    document, so the window is made as tall as that section for the picture (at most 8,000 px)."""
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": min(max(height, 900), 8000)})
    wait_for_drawn_charts(page)
    page.screenshot(path=path)
    page.set_viewport_size({"width": 1280, "height": 900})


def what_is_wrong(page) -> list[str]:
    problems = []
    if page.get_by_test_id("stException").count():
        problems.append("an exception")
    # A table's cells are drawn on a canvas; their text is in the grid's accessible cells.
    text = "\n".join([page.locator("[data-testid=stMain]").inner_text(),
                      *page.locator("[data-testid=stDataFrame] [role=gridcell]").all_text_contents()])
    if "Traceback" in text:
        problems.append("a traceback")
    for missing in MISSING_VALUE.finditer(text):
        problems.append(f"shows {missing.group(0)!r}: ...{text[max(0, missing.start() - 60):missing.end() + 30]!r}...")
        break
    if drawn_nothing(page):
        problems.append(f"charts {drawn_nothing(page)} have nothing drawn")
    if "Demonstration data." in text:  # the demo's notice over real data
        problems.append("the demo notice")
    return problems
