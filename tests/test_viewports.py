"""What a person sees at three screen sizes, and the presentation driven as the office drives it:
every page without horizontal scrolling and with its charts on screen, the slides stepped with
the buttons and the keys, a link to a slide, the meeting pack from its button (every slide's fit at
three screens is in tests/test_slides_fit*.py). Screenshots are kept in tests/artifacts/ (not committed)."""
import datetime as dt
import io
import re

import duckdb
import pypdf
import pytest
from playwright.sync_api import expect

from tests.browser_helpers import dashboard_pages, move_to_page, open_page, shown_slide_title, wait_for_charts

pytestmark = pytest.mark.browser

VIEWPORTS = [(1920, 1080), (1280, 800), (768, 1024)]
MIN_BODY_TEXT_PX, MIN_CHART_TEXT_PX = 24, 18


@pytest.mark.parametrize("width, height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_every_page_fits_the_screen_and_shows_its_charts(page, server, artifacts, width, height):
    page.set_viewport_size({"width": width, "height": height})
    # The first page and the slides by their address; the others through the sidebar where it is
    # shown (move_to_page opens a page by its address where it is not: on a tablet, after the slides).
    for path in dashboard_pages():
        name = path or "overview"
        if path == "present":
            open_page(page, f"{server}/present?month=2024-01&slide=4")  # a slide with a chart
        else:
            move_to_page(page, server, path, "month=2024-01")
        assert "month=2024-01" in page.url, page.url  # the month measured is the one asked for
        sizes = page.evaluate("""() => {
            const doc = document.scrollingElement, main = document.querySelector('[data-testid=stMain]');
            return {doc: [doc.scrollWidth, doc.clientWidth], main: [main.scrollWidth, main.clientWidth],
                    charts: Array.from(document.querySelectorAll('.js-plotly-plot')).map(c => {
                        const r = c.getBoundingClientRect(); return [r.left, r.right, r.width, r.height]; })};
        }""")
        assert sizes["doc"][0] <= sizes["doc"][1], f"{name} scrolls sideways at {width}x{height}"
        assert sizes["main"][0] <= sizes["main"][1], f"{name}'s main section scrolls sideways at {width}x{height}"
        for left, right, chart_width, chart_height in sizes["charts"]:
            assert left >= 0 and right <= width + 1 and chart_width > 200 and chart_height > 200, name
        if path in ("areas", "trends", "plan", "present"):
            assert sizes["charts"], f"{name} shows its chart"
        page.screenshot(path=artifacts / f"viewport-{width}x{height}-{name}.png", full_page=True)


def test_the_presentation_fills_a_big_screen_with_large_type_and_no_sidebar(page, server, artifacts, slide_titles):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_page(page, f"{server}/present?month=2024-01&slide=4")
    shown_slide_title(page, slide_titles[3])
    assert not page.get_by_test_id("stSidebar").is_visible()
    assert not page.get_by_test_id("stSidebarCollapsedControl").is_visible()
    text_sizes = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.slide-title, .slide-subtitle, .st-key-slide-body p')).map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert text_sizes and min(text_sizes) >= MIN_BODY_TEXT_PX
    badge = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.slide-title > span > span')).fontSize)")
    assert badge >= MIN_BODY_TEXT_PX  # the rating's badge beside the title
    chart_text = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot svg text'))
            .filter(t => t.textContent.trim()).map(t => parseFloat(t.style.fontSize || getComputedStyle(t).fontSize))""")
    assert chart_text and min(chart_text) >= MIN_CHART_TEXT_PX
    # One message per screen: the slide's heading, words and chart all fit without scrolling.
    chart = page.locator(".js-plotly-plot").first.bounding_box()
    assert chart["y"] + chart["height"] <= 1080
    page.screenshot(path=artifacts / "present-1920x1080-slide-4.png")
    # On the changes slide the reason read aloud is as large as the change beside it.
    number = next(n for n, title in enumerate(slide_titles, start=1) if "changed since" in title)
    open_page(page, f"{server}/present?month=2024-01&slide={number}")
    shown_slide_title(page, slide_titles[number - 1])
    sizes = page.evaluate("""() => ['change-what', 'change-reason'].map(name => Array.from(document.querySelectorAll(
            '.' + name)).map(e => parseFloat(getComputedStyle(e).fontSize)))""")
    what, reason = sizes
    assert what and reason and min(reason) >= max(what) >= MIN_BODY_TEXT_PX


def test_a_slide_opens_with_its_table_closed_and_a_chart_without_a_toolbar(page, server, slide_titles):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, f"{server}/present?month=2024-01&slide=3")
    shown_slide_title(page, slide_titles[2])
    page.get_by_text("The figures on this slide as a table").click()
    expect(page.get_by_text("Download this table (CSV)")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    shown_slide_title(page, slide_titles[3])
    wait_for_charts(page)
    expect(page.get_by_text("Download this table (CSV)")).to_be_hidden()
    assert page.evaluate("document.scrollingElement.scrollHeight") <= 800
    page.locator(".js-plotly-plot").first.hover()  # Plotly shows its toolbar on hover, over the legend
    assert page.locator(".modebar").count() == 0


def test_on_an_upright_tablet_the_slides_foot_gives_each_part_the_whole_width(page, server, slide_titles):
    page.set_viewport_size({"width": 768, "height": 1024})
    open_page(page, f"{server}/present?month=2024-01&slide=2")
    shown_slide_title(page, slide_titles[1])
    link = page.get_by_text("Leave the presentation (to the Plan page)")
    cut = link.evaluate("e => e.scrollWidth > e.clientWidth + 1")
    box, expander = link.bounding_box(), page.locator(".st-key-slide-foot [data-testid=stExpander]").bounding_box()
    assert not cut and box["y"] >= expander["y"] + expander["height"] - 1  # under the table's expander


def test_the_slides_step_forward_and_back_and_the_link_follows(page, server, artifacts, slide_titles):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_page(page, f"{server}/present?month=2024-01")
    shown_slide_title(page, slide_titles[0])
    expect(page.get_by_role("button", name="Previous")).to_be_disabled()
    for number, title in enumerate(slide_titles, start=1):  # forward with the Next button
        shown_slide_title(page, title)
        expect(page).to_have_url(re.compile(rf"[?&]slide={number}(&|$)"))
        wait_for_charts(page)  # drawn, before the screenshot
        page.screenshot(path=artifacts / f"present-slide-{number:02d}.png")
        if number < len(slide_titles):
            page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("button", name="Next")).to_be_disabled()
    page.get_by_role("button", name="Previous").click()
    shown_slide_title(page, slide_titles[-2])
    page.keyboard.press("ArrowLeft")
    shown_slide_title(page, slide_titles[-3])
    page.keyboard.press("ArrowRight")
    shown_slide_title(page, slide_titles[-2])
    page.keyboard.press("PageUp")  # a presentation clicker
    shown_slide_title(page, slide_titles[-3])
    page.keyboard.press("PageDown")
    shown_slide_title(page, slide_titles[-2])
    expect(page).to_have_url(re.compile(rf"[?&]slide={len(slide_titles) - 1}(&|$)"))


def test_quick_clicker_presses_each_move_a_slide(page, server, slide_titles):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, f"{server}/present?month=2024-01&slide=1")
    shown_slide_title(page, slide_titles[0])
    for _ in range(3):  # with no gap: Streamlit merged the clicks of a run into one
        page.keyboard.press("PageDown")
    expect(page).to_have_url(re.compile(r"[?&]slide=4(&|$)"), timeout=30_000)
    shown_slide_title(page, slide_titles[3])
    page.keyboard.press("PageUp")
    page.keyboard.press("PageUp")
    expect(page).to_have_url(re.compile(r"[?&]slide=2(&|$)"), timeout=30_000)
    shown_slide_title(page, slide_titles[1])


def test_a_link_opens_that_slide_and_a_bad_slide_number_opens_the_first(page, server, slide_titles):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, f"{server}/present?month=2024-01&slide=3")
    shown_slide_title(page, slide_titles[2])
    expect(page.get_by_text(f"slide 3 of {len(slide_titles)}")).to_be_visible()
    open_page(page, f"{server}/present?month=2024-01&slide=99")
    shown_slide_title(page, slide_titles[0])
    expect(page.get_by_text("The link asked for the slide \u201c99\u201d")).to_be_visible()


def test_the_plan_page_makes_the_meeting_pack_and_downloads_it(page, server):
    open_page(page, f"{server}/plan?month=2024-01")
    page.get_by_role("button", name="Make the meeting pack for January 2024 (PDF)").click()
    download_button = page.get_by_role("button", name="Download the meeting pack for January 2024 (PDF)")
    expect(download_button).to_be_visible(timeout=120_000)
    expect(page.get_by_role("button", name="Make the meeting pack for January 2024 (PDF)")).to_have_count(0)
    with page.expect_download() as download:
        download_button.click()
    assert download.value.suggested_filename == "meeting-pack-2024-01.pdf"
    reader = pypdf.PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    assert len(reader.pages) > 10 and "January 2024" in reader.pages[0].extract_text()


def assert_no_column_of_the_plan_matrix_is_cut_off(page, url: str, database, month: str, shot):
    """Every rating of the month on screen as a link, every area named once, nothing past the
    matrix's edges and nothing scrolling sideways, at the page's viewport."""
    width = page.viewport_size["width"]
    with duckdb.connect(str(database), read_only=True) as con:
        areas, cells = con.execute("""select count(distinct area_id), count(*) from ratings
                                      where month = $month""", {"month": dt.date.fromisoformat(f"{month}-01")}).fetchone()
    open_page(page, f"{url}/plan?month={month}")
    shown = page.evaluate("""() => {
        const matrix = document.querySelector('.plan-matrix'), box = matrix.getBoundingClientRect();
        const main = document.querySelector('[data-testid=stMain]');
        const seen = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
        const parts = Array.from(matrix.querySelectorAll('th, td, a, .where')).filter(seen)
            .map(e => { const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.right]; });
        const names = Array.from(matrix.querySelectorAll('thead th, .where')).filter(seen).map(e => e.textContent);
        return {box: [box.left, box.right], scroll: [matrix.scrollWidth, matrix.clientWidth],
                main: [main.scrollWidth, main.clientWidth], parts,
                links: Array.from(matrix.querySelectorAll('a[data-measure]')).filter(seen).length,
                head: matrix.querySelector('thead').getBoundingClientRect().height > 0,
                where: Array.from(matrix.querySelectorAll('.where')).filter(seen).length,
                areas: new Set(names.filter(t => t !== 'Measure')).size};
    }""")
    assert shown["scroll"][0] <= shown["scroll"][1], f"the matrix scrolls sideways at {width} px"
    assert shown["main"][0] <= shown["main"][1], f"the page scrolls sideways at {width} px"
    left, right = shown["box"]
    assert left >= 0 and right <= width
    cut_off = [text for text, part_left, part_right in shown["parts"] if part_left < left - 0.5 or part_right > right + 0.5]
    assert not cut_off, f"cut off at {width} px: {cut_off}"
    assert shown["links"] == cells  # every rating is on screen, each a link to its detail
    assert shown["areas"] == areas  # every area named: in the table's head, or beside each badge as lines
    # a table names its areas in its head, once: no cell repeats its area's name under its badge
    assert shown["where"] == (0 if shown["head"] else cells)
    page.locator(".plan-matrix").screenshot(path=shot)


@pytest.mark.parametrize("width, height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_no_column_of_the_plan_matrix_is_cut_off(page, server, demo_db, artifacts, width, height):
    page.set_viewport_size({"width": width, "height": height})
    assert_no_column_of_the_plan_matrix_is_cut_off(page, server, demo_db, "2024-01",
                                                   artifacts / f"plan-matrix-{width}x{height}.png")


@pytest.fixture(scope="module")
def lancashire_server(lancashire_imported, artifacts):
    """Streamlit on a set-up Lancashire: 15 areas (the force and its 14 partnerships) across."""
    from tests.browser_helpers import start_server, stop_server

    process, url = start_server(lancashire_imported, artifacts / "streamlit-server-lancashire.log")
    yield url
    stop_server(process)


@pytest.mark.slow
def test_no_column_of_a_fifteen_area_plan_matrix_is_cut_off(page, lancashire_server, lancashire_imported, artifacts):
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        assert_no_column_of_the_plan_matrix_is_cut_off(page, lancashire_server, lancashire_imported, "2024-04",
                                                       artifacts / f"plan-matrix-lancashire-{width}x{height}.png")
