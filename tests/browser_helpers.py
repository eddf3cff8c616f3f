"""Plain helpers for the real-browser tests: a Streamlit server on a free port, and waiting for a
page (and its charts) to be ready. The `browser` and `server` fixtures are in conftest.py."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from scrutiny.core.paths import REPO_ROOT
from tests.helpers import PAGES, script

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_START_SECONDS = 60
RUN_TIMEOUT_MS = 60_000  # generous: the machine running the tests may be busy


def chromium_path() -> str:
    path = os.environ.get("SCRUTINY_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is not installed: run the README's test command, which installs it")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_path, log_path):
    port = free_port()
    env = dict(os.environ, SCRUTINY_DB=str(db_path))
    log = open(log_path, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:  # poll the health check until it answers, at most a minute
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    pytest.fail(f"streamlit did not start within {SERVER_START_SECONDS} s; see {log_path}")


def stop_server(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def assert_healthy(page, heading: str):
    expect(page.locator("h1").first).to_have_text(heading, timeout=30_000)
    # until the run has finished: a click on a sidebar link during a run could land before the
    # app's router handles it, load the page afresh as a new session and lose the filters
    wait_for_the_run(page)
    expect(page.get_by_text("Demonstration data.")).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Error" not in body.split("Demonstration data")[0]


def dashboard_pages() -> list[str]:
    """The URL path of every page dashboard.py declares ('' for the default page), read as the
    server reads them to open each page once (scripts/serve.py)."""
    return script("serve").page_paths()


def page_headings() -> dict[str, str]:
    """The heading (h1) of every page dashboard.py declares, by its URL path ('' for the default)."""
    headings = {}
    for line in (REPO_ROOT / "dashboard.py").read_text().splitlines():
        if "st.Page(" in line:
            url_path = re.search(r'url_path="([^"]*)"', line)
            headings[url_path.group(1) if url_path else ""] = PAGES[re.search(r'st.Page\("([^"]+)"', line).group(1)]
    return headings


def move_to_page(page, server: str, path: str, query: str):
    """Open the page at PATH as a person moving on from the page shown: by its link in the sidebar, a
    rerun in this session that keeps the filters (opening its address loaded the whole app again, about
    twice as long), or by its address with QUERY where the sidebar is not shown (the presentation)."""
    link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]')
    if not path or link.count() != 1 or not link.is_visible():
        open_page(page, f"{server}/{path}?{query}")
        return
    link.click()
    expect(page).to_have_url(re.compile(rf"/{path}\?"), timeout=30_000)
    expect(page.locator("h1").first).to_have_text(page_headings()[path], timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    wait_for_charts(page)
    wait_for_drawn_charts(page)
    page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")


def open_page(page, url: str):
    page.goto(url)
    expect(page.locator("h1").first).to_be_visible(timeout=30_000)
    # No wait for the network to go quiet (half a second or more on every page opened, a third of
    # an opening): the run's end, its elements and its fonts are waited for below, and they are
    # what the tests read.
    wait_for_charts(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    wait_for_drawn_charts(page)  # laid out, not only visible: a chart mid-layout has no size yet
    page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")


def wait_for_charts(page):
    """Streamlit draws a chart when it comes into view: bring each one in and wait for it (once the
    run has finished, when the elements of the view before are gone)."""
    wait_for_the_run(page)
    for container in page.locator('[data-testid="stPlotlyChart"]').all():
        container.scroll_into_view_if_needed()
        expect(container.locator(".js-plotly-plot")).to_be_visible(timeout=30_000)
    wait_for_drawn_charts(page)


def wait_for_the_run(page):
    """Until the script run has finished. Streamlit marks its state on the app's root element; the
    running icon alone is not enough under load: it appears only a moment after a run starts, so a
    check made in that moment passed before the page had all its elements (a flaky viewport test)."""
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=RUN_TIMEOUT_MS)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=RUN_TIMEOUT_MS)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=RUN_TIMEOUT_MS)
    # An element whose code Streamlit loads on first use (Plotly, tables) shows a placeholder until
    # that code has arrived: a chart counted before then was not there (a flaky viewport test).
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=RUN_TIMEOUT_MS)
    # The house style (ui.HOUSE_STYLE) goes to Streamlit's event container, which the browser draws
    # a moment after the run has finished; until then captions are in Streamlit's faded grey, which
    # an accessibility scan made in that moment reported (a flaky accessibility test).
    page.wait_for_function("""() => Array.from(document.querySelectorAll('style')).some(
        style => style.textContent.includes('stCaptionContainer'))""", timeout=RUN_TIMEOUT_MS)
    # Text is measured (what fits the screen, what is cut off) only in the fonts it will be shown in.
    page.wait_for_function("document.fonts.status === 'loaded'", timeout=RUN_TIMEOUT_MS)


def wait_for_drawn_charts(page):
    """Until every Plotly chart on the page has laid itself out and drawn its SVG (instead of a fixed
    pause before a screenshot or before counting its shapes)."""
    page.wait_for_function("""() => Array.from(document.querySelectorAll('.js-plotly-plot')).every(
        chart => chart._fullLayout && chart.querySelector('svg.main-svg') && !chart._transitioning)""",
                           timeout=RUN_TIMEOUT_MS)


def shown_slide_title(page, expected: str):
    """The slide is shown and its run has finished, so the next click or key is not lost in a run."""
    expect(page.locator("h2.slide-title")).to_contain_text(expected, timeout=30_000)
    wait_for_the_run(page)
