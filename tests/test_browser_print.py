"""What a member gets from Ctrl+P, and charts whose labels can be read (issue 15), in Chromium:
every page printed to A4 without the sidebar, its charts and tables within the printable width;
month ticks that do not overlap each other or the legend at 1280 x 800. The PDFs and screenshots
are kept in tests/artifacts/ (not committed)."""
import io

import pypdf
import pytest

import ui
from tests.browser_helpers import dashboard_pages, open_page, wait_for_drawn_charts

pytestmark = pytest.mark.browser

MM = 96 / 25.4  # CSS pixels in a millimetre
PRINTABLE_PX = ui.PRINT_WIDTH_MM * MM  # A4's 210 mm less the two 15 mm margins of @page
A4_POINTS = (595.3, 841.9)  # 210 x 297 mm; Chromium rounds to hundredths of an inch

# Under print media: every chart and table, and what each draws, against the page's content box.
WIDTHS_UNDER_PRINT = """() => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]').getBoundingClientRect();
    const boxes = [];
    for (const e of document.querySelectorAll(
            '[data-testid="stPlotlyChart"], .js-plotly-plot svg.main-svg, [data-testid="stDataFrame"], ' +
            '[data-testid="stDataFrame"] canvas, [data-testid="stTable"], [data-testid="stMain"] img')) {
        const r = e.getBoundingClientRect();
        if (r.width) boxes.push({what: e.dataset.testid || e.tagName, left: r.left - main.left, right: r.right - main.left});
    }
    // a table's columns past its right edge are hidden in its scroller, and would not print
    const clipped = Array.from(document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller'))
        .filter(s => s.scrollWidth > s.clientWidth + 1).length;
    return {content: main.width, boxes, clipped};
}"""


def print_view(page):
    """The page under print media, once Streamlit has drawn its charts again at the paper's width."""
    page.emulate_media(media="print")
    page.wait_for_function(f"""() => Array.from(document.querySelectorAll('.js-plotly-plot svg.main-svg'))
        .every(svg => svg.getBoundingClientRect().width <= {PRINTABLE_PX} + 1)
        && Array.from(document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller'))
        .every(s => s.scrollWidth <= s.clientWidth + 1)""", timeout=15_000)
    wait_for_drawn_charts(page)


@pytest.mark.parametrize("path", dashboard_pages())
def test_every_page_prints_on_a4_without_the_sidebar_and_within_the_paper(page, server, artifacts, path):
    page.set_viewport_size({"width": 1280, "height": 800})
    name = path or "overview"
    open_page(page, f"{server}/{path}?month=2024-01")
    heading = page.locator("h1").first.inner_text()
    print_view(page)
    sizes = page.evaluate(WIDTHS_UNDER_PRINT)
    assert abs(sizes["content"] - PRINTABLE_PX) <= 1, f"{name}: the content is as wide as the paper allows"
    for box in sizes["boxes"]:
        assert box["left"] >= -1 and box["right"] <= PRINTABLE_PX + 1, f"{name}: {box} is wider than the paper"
    assert sizes["clipped"] == 0, f"{name}: a table's columns run past its edge"
    page.screenshot(path=artifacts / f"print-{name}.png", full_page=True)

    pdf = page.pdf(format="A4")
    (artifacts / f"print-{name}.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert heading in text  # the page itself printed
    assert "Glossary" not in text and "Not used on this page" not in text  # the sidebar did not
    for sheet in reader.pages:
        assert sheet.mediabox.width == pytest.approx(A4_POINTS[0], abs=1.5)
        assert sheet.mediabox.height == pytest.approx(A4_POINTS[1], abs=1.5)


# Every chart's month ticks (and other x-axis labels), its legend and its notes (a step change, "No
# data"), as drawn, with the box Plotly draws in.
LABEL_BOXES = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(chart => {
    const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; };
    const legend = chart.querySelector('.legend');
    return {title: (chart.querySelector('.gtitle') || {}).textContent, drawn: box(chart.querySelector('svg.main-svg')),
            ticks: Array.from(chart.querySelectorAll('.xtick text')).filter(t => t.textContent.trim()).map(box),
            legend: legend ? box(legend.querySelector('.bg') || legend) : null,
            notes: Array.from(chart.querySelectorAll('.annotation')).map(n => [n.textContent, box(n)])};
})"""


def overlap(a, b, touching: float = 1) -> bool:
    """Whether two boxes overlap by more than `touching` px both ways (a box touching another by a
    fraction of a pixel, a text's descent on the legend's padding, covers nothing)."""
    (left1, right1, top1, bottom1), (left2, right2, top2, bottom2) = a, b
    return min(right1, right2) - max(left1, left2) > touching and min(bottom1, bottom2) - max(top1, top2) > touching


def assert_labels_apart(charts, where: str):
    """No two month labels overlap; the legend covers neither a label nor a note; no note runs out
    of its chart."""
    assert any(len(c["ticks"]) >= 3 for c in charts), f"{where}: the charts have their month ticks"
    for chart in charts:
        ticks = sorted(chart["ticks"])
        for before, after in zip(ticks, ticks[1:]):
            assert before[1] <= after[0], f"{where}, {chart['title']}: tick labels overlap"
        if chart["legend"]:
            assert not any(overlap(tick, chart["legend"]) for tick in ticks), f"{where}, {chart['title']}: legend on the ticks"
            assert not [text for text, note in chart["notes"] if overlap(note, chart["legend"])], \
                f"{where}, {chart['title']}: a note on the legend"
        left, right = chart["drawn"][:2]
        cut = [text for text, (note_left, note_right, _, _) in chart["notes"] if note_left < left - 1 or note_right > right + 1]
        assert not cut, f"{where}, {chart['title']}: notes cut off at the chart's edge"


# The Plan's detail for a measure with a step change (its note at the foot of the line).
PLAN_DETAIL = "plan?month=2024-01&area=leicestershire&measure=burglary&detail_area=charnwood"


@pytest.mark.parametrize("width, height", [(1280, 800), (768, 1024)], ids=["1280x800", "768x1024"])
@pytest.mark.parametrize("path", ["trends?month=2024-01&area=leicestershire", PLAN_DETAIL], ids=["trends", "plan"])
def test_month_labels_overlap_neither_each_other_nor_the_legend(page, server, artifacts, path, width, height):
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, f"{server}/{path}")
    assert_labels_apart(page.evaluate(LABEL_BOXES), f"{width}x{height}")
    page.screenshot(path=artifacts / f"labels-{width}x{height}-{path.split('?')[0]}.png", full_page=True)


# Printed from a laptop, and from a window as wide as the paper (794 px), where the chart was drawn narrow.
@pytest.mark.parametrize("width, height", [(1280, 800), (794, 1123)], ids=["1280x800", "794x1123"])
def test_the_plans_chart_printed_keeps_its_labels_and_legend_apart(page, server, artifacts, width, height):
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, f"{server}/{PLAN_DETAIL}")
    print_view(page)
    assert_labels_apart(page.evaluate(LABEL_BOXES), f"printed from {width}x{height}")
    page.screenshot(path=artifacts / f"print-plan-detail-{width}x{height}.png", full_page=True)
