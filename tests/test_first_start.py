"""The first start: the demo database is built whole before the server answers (and a build that
is stopped leaves no half-file), and the first visitor gets a drawn Overview promptly."""
import os
import signal
import subprocess
import sys
import time

import pytest

from scrutiny.core.paths import REPO_ROOT
from tests.helpers import script

# The issue asks for 3 s from the server answering to the Overview drawn; scripts/first_view.py
# measures that alone (README: "Two commands"), as speed is measured here: by scripts, not by timed
# assertions. This bound only catches a first view that hangs (a page built while the visitor waits):
# beside the rest of the suite on 2 shared cores, one Chromium page load alone varied from 2 s to 10 s.
FIRST_VIEW_SECONDS = 60


@pytest.mark.browser
@pytest.mark.slow
def test_a_fresh_clone_builds_its_database_before_the_server_answers_and_draws_the_overview(tmp_path):
    result = script("first_view").first_view(tmp_path, log=(tmp_path / "start.log").open("w"))
    log = (tmp_path / "start.log").read_text()
    assert result.database_before_server, log
    assert "==> Building the demo database data/scrutiny.duckdb (first start only): done in " in log
    assert log.index("Building the demo database") < log.index("==> Starting the dashboard")
    # the Overview itself, not the message of a page still building the database
    assert "Demonstration data." in result.overview_text and "Preparing the demonstration data" not in result.overview_text
    assert result.drawn_seconds < FIRST_VIEW_SECONDS, result


@pytest.mark.slow
def test_a_demo_build_stopped_part_way_leaves_no_database_and_the_next_build_makes_it(tmp_path):
    target = tmp_path / "scrutiny.duckdb"
    build = subprocess.Popen([sys.executable, "-m", "scrutiny", "build-demo", "--db", str(target)], cwd=REPO_ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # until its new file exists beside the target: part-way through the build
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(f".{target.name}.*.tmp*")) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert build.poll() is None, "the build finished before it could be stopped"
    os.kill(build.pid, signal.SIGKILL)  # as a closed terminal or a killed server would
    build.wait()
    assert not target.exists()

    subprocess.run([sys.executable, "-m", "scrutiny", "build-demo", "--db", str(target)], cwd=REPO_ROOT, check=True,
                   capture_output=True)
    assert target.exists()
    assert not list(tmp_path.glob(f".{target.name}.*.tmp*"))  # the stopped build's half-file swept away


def test_the_server_imports_every_module_the_pages_import_except_the_pdf_library():
    serve = script("serve")
    modules = serve.page_modules()
    assert {"ui", "scrutiny.present.meeting", "scrutiny.present.slides", "scrutiny.show.charts",
            "scrutiny.show.funnel_chart", "pandas", "streamlit"} <= set(modules)
    assert not any(name.startswith("scrutiny.present.pack") for name in modules)


@pytest.mark.slow  # a demo build and a page run, about 5 s
def test_a_server_started_without_the_start_script_builds_the_demo_database_on_first_view(tmp_path, monkeypatch):
    """Another start path (`streamlit run dashboard.py` on a fresh clone): the page builds the
    database itself, once, and then shows the Overview."""
    from streamlit.testing.v1 import AppTest

    from scrutiny.core import paths

    fresh = tmp_path / "data" / "scrutiny.duckdb"
    monkeypatch.setattr(paths, "DEFAULT_DB", fresh)
    monkeypatch.delenv("SCRUTINY_DB", raising=False)
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    assert not at.exception and not at.error
    assert fresh.exists()
    assert at.title[0].value == "Overview"


def test_the_server_reaches_itself_where_streamlit_listens_and_opens_every_declared_page():
    serve = script("serve")
    assert serve.local_url("", 8501) == "http://127.0.0.1:8501"  # every interface: this machine's
    assert serve.local_url("0.0.0.0", 8600) == "http://127.0.0.1:8600"
    assert serve.local_url("::", 8600) == "http://[::1]:8600"
    assert serve.local_url("fd00::5", 8600) == "http://[fd00::5]:8600"
    assert serve.local_url("192.168.1.20", 8600, "/scrutiny/") == "http://192.168.1.20:8600/scrutiny"
    assert serve.page_paths() == ["", "areas", "trends", "plan", "compare", "present", "methodology"]


@pytest.mark.slow  # a server start and every page once, about 5 s
def test_the_server_opens_every_page_once_as_soon_as_it_answers(demo_db, tmp_path):
    """scripts/serve.py's own session views every page once when the server answers (so the first
    visitors find the pages worked out) and says so; scripts/serve-many.sh waits for that line."""
    from tests.browser_helpers import free_port

    serve = script("serve")
    port = free_port()
    log = tmp_path / "serve.log"
    server = subprocess.Popen(
        [sys.executable, str(REPO_ROOT / "scripts" / "serve.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=REPO_ROOT, env=dict(os.environ, SCRUTINY_DB=str(demo_db)), stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + serve.OPEN_PAGES_WITHIN_S
        while serve.PAGES_OPENED not in log.read_text() and "were not opened" not in log.read_text():
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=20)
    text = log.read_text()
    assert f"{serve.PAGES_OPENED} (" in text and "were not opened" not in text, text
    assert "Unexpected error" not in text and "Traceback" not in text, text  # every page ran without an error
