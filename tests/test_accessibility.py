"""An automated accessibility scan of every page with axe-core, in Chromium through Playwright:
no serious or critical violation. axe-core comes from the PyPI package axe-playwright-python,
which bundles axe.min.js (pinned in requirements-dev.txt); it is injected into each page as it is.
Also: a rating is never carried by colour alone."""
import pytest
from axe_playwright_python.base import AXE_FILE_PATH
from playwright.sync_api import expect

from scrutiny.rate.rag import STYLES
from tests.browser_helpers import dashboard_pages, open_page, wait_for_the_run

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = ("serious", "critical")
# Every page, and the states of the pages that change most: each kind of slide, a measure's detail.
EXTRA_VIEWS = ["present?slide=2", "present?slide=3", "present?slide=10", "plan?measure=burglary&area=city-centre"]


def views() -> list[str]:
    return [path for path in dashboard_pages()] + EXTRA_VIEWS


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_FILE_PATH))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return results["violations"]


def describe(violations) -> str:
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
                     for v in violations)


@pytest.mark.parametrize("path", views(), ids=lambda path: path or "overview")
def test_no_serious_or_critical_accessibility_violations(server, page, path):
    separator = "&" if "?" in path else "?"
    open_page(page, f"{server}/{path}{separator}month=2024-01")
    # Open every "as a table" section too, so the tables are scanned as well as the charts.
    for expander in page.get_by_test_id("stExpander").all():
        if not expander.is_visible():  # the glossary, in the sidebar the Present page hides
            continue
        expander.locator("summary").click()
        details = expander.get_by_test_id("stExpanderDetails")  # inert while it is closed
        expect(details).not_to_have_attribute("inert", "")
        expect(details).to_be_visible()
    wait_for_the_run(page)
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], describe(blocking)


def test_the_scan_finds_a_violation_when_there_is_one(server, page):
    open_page(page, f"{server}/methodology")
    page.evaluate("""() => { const p = document.createElement('p'); p.textContent = 'Pale words';
        p.style.color = '#CCCCCC'; document.querySelector('[data-testid=stMain] h1').after(p); }""")
    found = {v["id"]: v["impact"] for v in axe_violations(page)}
    assert found.get("color-contrast") == "serious"


@pytest.mark.parametrize("path", ["plan", "present?slide=10", "present?slide=1"])
def test_every_rating_badge_has_an_icon_and_a_word_not_only_a_colour(server, page, path):
    open_page(page, f"{server}/{path}&month=2024-01" if "?" in path else f"{server}/{path}?month=2024-01")
    # the badges are HTML blocks that may land just after the heading on a cold server: wait for one
    expect(page.locator('span[style*="background"]').first).to_be_attached(timeout=30_000)
    badges = page.evaluate("""(colours) => Array.from(document.querySelectorAll('span[style*="background"]'))
        .filter(s => colours.some(c => s.getAttribute('style').toLowerCase().includes(c.toLowerCase())))
        .map(s => s.textContent)""", [style.colour for style in STYLES.values()])
    assert badges, "the page shows ratings"
    names = {f"{style.icon} {rating.capitalize()}" for rating, style in STYLES.items()}
    for text in badges:
        assert any(text.startswith(name) for name in names), text
    expect(page.locator("h1").first).to_be_visible()
