"""More users than one process serves: scripts/serve-many.sh starts two dashboard processes behind
nginx, and a browser's every request (its pages, its websocket, its downloads) reaches one process.

nginx's access log names the route and the process of every request (deploy/nginx.conf.template),
so the test reads there which process served what, instead of trusting that pages happened to work.
nginx missing and not installable is a failure with the script's own message, never a skip."""
from __future__ import annotations

import csv
import io
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from scrutiny.core.paths import DEMO_DIR, REPO_ROOT
from tests.browser_helpers import assert_healthy, free_port, open_page

pytestmark = pytest.mark.browser

START_SECONDS = 300  # two dashboards on a busy 2-core machine, and nginx installed on first use
LOG_LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ route=(?P<route>\S*) '
                      r'upstream=(?P<upstream>\S*)$')


class Served:
    """The running script: its address, its log folder and how to read nginx's access log."""

    def __init__(self, process: subprocess.Popen, url: str, rundir: Path, output: Path):
        self.process, self.url, self.rundir, self.output = process, url, rundir, output

    def requests(self) -> list[dict]:
        lines = (self.rundir / "access.log").read_text().splitlines()
        return [match.groupdict() for match in map(LOG_LINE.search, lines) if match]

    def requests_of(self, route: str) -> list[dict]:
        """ROUTE's requests, once its websocket is in the log: nginx logs a request when it ends,
        and a websocket ends a moment after its browser closed it."""
        deadline = time.monotonic() + 30
        while True:
            requests = [request for request in self.requests() if request["route"] == route]
            if any(request["path"] == "/_stcore/stream" for request in requests) or time.monotonic() > deadline:
                return requests
            time.sleep(0.2)

    def upstreams_of(self, route: str) -> set[str]:
        """The processes that served ROUTE (waiting a moment: nginx logs a request just after answering it)."""
        deadline = time.monotonic() + 10
        while True:
            upstreams = {request["upstream"] for request in self.requests() if request["route"] == route}
            if upstreams or time.monotonic() > deadline:
                return upstreams
            time.sleep(0.05)


def sessions_of(sid: int) -> list[str]:
    """Every process still in the script's session (it was started as a session of its own)."""
    left = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[3]) == sid and fields[0] != "Z":  # fields[3] is the session id
            left.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
    return left


def ctrl_c_as_in_a_terminal() -> None:
    """Ctrl+C (SIGINT) reaches the script as it does when started in a terminal. A shell ignores it
    in whatever it starts in the background, and a program inherits that: with the suite itself
    started with `&`, the script started ignoring Ctrl+C, and a shell cannot trap a signal it
    started ignoring, so the test of Ctrl+C waited for ever."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="module")
def served(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve-many")
    output = folder / "serve-many.out"
    port = free_port()
    env = dict(os.environ, SCRUTINY_DB=str(demo_db), SCRUTINY_PYTHON=sys.executable, SCRUTINY_LISTEN="127.0.0.1")
    with output.open("w") as out:
        process = subprocess.Popen(["bash", "scripts/serve-many.sh", "2", str(port)], cwd=REPO_ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                   preexec_fn=ctrl_c_as_in_a_terminal)
    deadline = time.monotonic() + START_SECONDS
    while "Logs (removed when stopped): " not in output.read_text():
        if process.poll() is not None:
            pytest.fail(f"scripts/serve-many.sh exited with {process.returncode}:\n{output.read_text()}")
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail(f"scripts/serve-many.sh did not start in {START_SECONDS} s:\n{output.read_text()}")
        time.sleep(0.2)
    rundir = Path(output.read_text().split("Logs (removed when stopped): ")[1].split()[0])
    served = Served(process, f"http://127.0.0.1:{port}", rundir, output)
    yield served
    if process.poll() is None:  # the test that stops it did not run, or failed before stopping it
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def routes_on_each_process(served: Served, tries: int = 24) -> dict[str, str]:
    """Process address -> a route cookie that nginx sends there: new routes, until both processes
    have one (each route is a fair coin between two processes: 24 tries all landing on one has a
    chance of 1 in 8 million)."""
    found: dict[str, str] = {}
    for _ in range(tries):
        route = secrets.token_hex(16)
        request = urllib.request.Request(f"{served.url}/_stcore/health", headers={"Cookie": f"scrutiny_route={route}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
        (upstream,) = served.upstreams_of(route)
        found.setdefault(upstream, route)
        if len(found) == 2:
            return found
    pytest.fail(f"every route went to the same process: {found}")


def test_the_first_response_sets_a_route_cookie_and_a_foreign_cookie_is_replaced(served):
    with urllib.request.urlopen(f"{served.url}/", timeout=30) as response:
        first = response.headers.get_all("Set-Cookie")
    assert any(re.fullmatch(r"scrutiny_route=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", cookie)
               for cookie in first), first
    request = urllib.request.Request(f"{served.url}/_stcore/health", headers={"Cookie": "scrutiny_route=../../etc"})
    with urllib.request.urlopen(request, timeout=30) as response:
        replaced = response.headers.get_all("Set-Cookie")
    assert not any("../../etc" in cookie for cookie in replaced)
    assert any(re.fullmatch(r"scrutiny_route=[0-9a-f]{32}; .*", cookie) for cookie in replaced), replaced


def browse_pages_month_and_download(page, url: str) -> list[list[str]]:
    """Overview, then Areas by the sidebar, then another month, then the Areas table's CSV."""
    open_page(page, f"{url}/?crime_type=Burglary&month=2024-01")
    assert_healthy(page, "Overview")
    page.get_by_test_id("stSidebarNav").get_by_text("Areas").click()
    assert_healthy(page, "Areas")
    expect(page.get_by_text("Burglary in each neighbourhood policing area, January 2024")).to_be_visible()
    page.get_by_test_id("stSidebar").get_by_role("combobox", name="Month").click()
    page.get_by_role("option", name="December 2023", exact=True).click()
    # the session's filters survived both changes: the same crime type, the new month
    expect(page.get_by_text("Burglary in each neighbourhood policing area, December 2023")).to_be_visible()
    assert_healthy(page, "Areas")  # and the run has finished: the download is December's
    assert "month=2023-12" in page.url and "crime_type=Burglary" in page.url
    with page.expect_download() as download:
        page.get_by_role("button", name="Download this table (CSV)").first.click()
    assert download.value.suggested_filename == "areas-burglary-2023-12.csv"
    return list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))


def test_two_browsers_on_two_processes_each_keep_every_request_on_their_own_process(served, browser):
    routes = routes_on_each_process(served)
    tables = {}
    for upstream, route in routes.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        context.add_cookies([{"name": "scrutiny_route", "value": route, "url": served.url}])
        tables[upstream] = browse_pages_month_and_download(context.new_page(), served.url)
        context.close()
    for upstream, route in routes.items():
        requests = served.requests_of(route)
        paths = [request["path"] for request in requests]
        # the websocket, and the download, which exists only in the process that made it
        assert any(path == "/_stcore/stream" for path in paths), [p for p in paths if not p.startswith("/static")]
        downloads = [request for request in requests if request["path"].startswith("/media/")]
        assert downloads and all(request["status"] == "200" for request in downloads), downloads
        assert {request["upstream"] for request in requests} == {upstream}, requests
    # Both processes made the same table of December 2023: every demo area once, then the force,
    # whose count is the areas' sum (the demo places every record in an area).
    first, second = tables.values()
    assert first == second
    header, *rows = first
    assert header[:3] == ["area_id", "area_name", "crime_count"]
    with (DEMO_DIR / "areas.csv").open() as areas:
        assert sorted(row[1] for row in rows if row[-1] == "area") == sorted(row["area_name"] for row in csv.DictReader(areas))
    (force,) = [row for row in rows if row[-1] == "force"]
    assert int(force[2]) == sum(int(row[2]) for row in rows if row[-1] == "area")

def test_a_browser_with_no_cookie_gets_one_on_its_first_page_and_stays_on_one_process(served, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    open_page(page, f"{served.url}/areas?month=2024-01")
    assert_healthy(page, "Areas")
    (route,) = [cookie["value"] for cookie in context.cookies() if cookie["name"] == "scrutiny_route"]
    page.get_by_test_id("stSidebarNav").get_by_text("Trends").click()
    assert_healthy(page, "Trends")
    context.close()
    # The page's own first request had no cookie: its route is the one nginx made up for it.
    requests = served.requests_of(route)
    assert any(request["path"] == "/_stcore/stream" for request in requests)
    assert len({request["upstream"] for request in requests}) == 1, requests


def test_stopping_the_script_stops_nginx_and_every_dashboard_process(served):
    served.process.send_signal(signal.SIGINT)  # Ctrl+C
    assert served.process.wait(timeout=60) == 130
    deadline = time.monotonic() + 10
    while sessions_of(served.process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sessions_of(served.process.pid) == []
    assert not served.rundir.exists()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{served.url}/_stcore/health", timeout=5)


def test_a_port_already_in_use_is_refused_before_anything_starts(demo_db):
    # Before this check, nginx retried for seconds while the health check was answered by whatever
    # held the port, and the script said it was serving.
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        env = dict(os.environ, SCRUTINY_DB=str(demo_db), SCRUTINY_PYTHON=sys.executable, SCRUTINY_LISTEN="127.0.0.1")
        result = subprocess.run(["bash", "scripts/serve-many.sh", "2", str(port)], cwd=REPO_ROOT, env=env,
                                capture_output=True, text=True, timeout=120, start_new_session=True)
    assert result.returncode == 1
    assert result.stderr == f"error: cannot listen on 127.0.0.1 port {port} (in use by another program?); give another PORT\n"
    assert "Serving" not in result.stdout
