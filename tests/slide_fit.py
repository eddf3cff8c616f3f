"""What every slide must keep on a screen (the page not scrolling, charts and their labels on screen
and apart, large legends), measured in Chromium one slide at a time; shared by the slide-fit test
files (tests/test_slides_fit*.py: a file each, so that pytest-xdist's two workers share them)."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser_helpers import open_page, shown_slide_title, wait_for_charts

MIN_LEGEND_TEXT_PX = 22

SLIDE_SCREENS = [(1024, 768), (1280, 800), (1920, 1080)]  # a chamber's projector, a laptop, a big screen


# What a slide shows that a projector could lose: the page or any box in it scrolling (a chart drawn
# taller than the box Streamlit keeps for it scrolled inside it, hiding its axis), a chart's month
# labels off the screen or over each other, and its legend's text.
SLIDE_MEASURES = """() => {
    const doc = document.scrollingElement, main = document.querySelector('[data-testid=stMain]');
    const boxes = selector => Array.from(document.querySelectorAll(selector)).map(e => e.getBoundingClientRect());
    const overlaps = found => found.flatMap((a, i) => found.slice(i + 1).filter(
        b => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom).map(b => [a.left, b.left]));
    const ticks = boxes('.js-plotly-plot .xtick text'), overlapping = overlaps(ticks);
    const labelsOverlapping = overlaps(boxes('.js-plotly-plot .textpoint text'));
    return {doc: [doc.scrollWidth, doc.scrollHeight], main: [main.scrollWidth, main.scrollHeight],
            charts: boxes('.js-plotly-plot').map(r => [r.bottom, r.right]),
            scrolling: Array.from(document.querySelectorAll('body *')).filter(e => {
                const style = getComputedStyle(e);
                return ['auto', 'scroll'].includes(style.overflowY) && e.scrollHeight > e.clientHeight + 1;
            }).map(e => e.getAttribute('data-testid') || e.className.toString()),
            ticks: ticks.map(r => [r.bottom, r.right]), overlapping, labelsOverlapping,
            legend: Array.from(document.querySelectorAll('.js-plotly-plot .legend text'))
                .map(t => parseFloat(t.style.fontSize || getComputedStyle(t).fontSize)),
            text: document.body.innerText};
}"""


def assert_every_slide_fits(page, url: str, month: str, titles: list[str], width: int, height: int, shot: str):
    """Every slide, measured as the office shows it: the first opened by its link, then each next
    one with the Next button (a rerun in the same session: opening each by its link loaded the
    whole app again, and took about twice as long; a link to a slide is tested in test_viewports.py)."""
    too_big, measure_charts = {}, 0
    open_page(page, f"{url}/present?month={month}&slide=1")
    for number, title in enumerate(titles, start=1):
        if number > 1:
            page.get_by_role("button", name="Next").click()
        expect(page).to_have_url(re.compile(rf"[?&]slide={number}(&|$)"), timeout=30_000)
        shown_slide_title(page, title)
        wait_for_charts(page)  # drawn and laid out, as open_page waits for them
        page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
        sizes = page.evaluate(SLIDE_MEASURES)
        if max(sizes["doc"][0], sizes["main"][0]) > width or max(sizes["doc"][1], sizes["main"][1]) > height:
            too_big[number] = (sizes["doc"], sizes["main"])
        assert sizes["scrolling"] == [], f"slide {number} has a box that scrolls on its own at {width}x{height}"
        assert all(bottom <= height and right <= width for bottom, right in sizes["charts"]), title
        assert all(bottom <= height and right <= width for bottom, right in sizes["ticks"]), \
            f"slide {number}'s x-axis labels are off the screen at {width}x{height}"
        assert sizes["overlapping"] == [], f"slide {number}'s x-axis labels overlap at {width}x{height}"
        assert all(size >= MIN_LEGEND_TEXT_PX for size in sizes["legend"]), title
        if width >= 1280:  # at 1024 px "Leicestershire" at 22 px is still wider than its tile on the map
            assert sizes["labelsOverlapping"] == [], f"slide {number}'s labels overlap at {width}x{height}"
        measure_charts += bool(sizes["ticks"])
        assert "<br>" not in sizes["text"], f"slide {number} shows a literal <br>"
        page.screenshot(path=shot.format(number=number))
    assert measure_charts, "the x-axis labels were measured on some slide"
    assert too_big == {}, f"slides that scroll at {width}x{height}: (width, height) of the document and main section"
