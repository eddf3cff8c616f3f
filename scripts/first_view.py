"""How long the first visitor waits (a script, not a test; tests/test_first_start.py runs it once).

Makes a clone-like copy of the repository (the files git tracks, so no database), with this
Python's environment as its .venv, starts it as the README says (scripts/serve-dashboard.sh: the
demo database is built, then the server starts), and once the server answers opens the Overview
in Chromium (Playwright) and waits until it is drawn: its title, the run finished, nothing still
loading. Prints, per round, the seconds the build and start took and the seconds from the server
answering to the drawn Overview. Only ever talks to 127.0.0.1.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DRAWN_TIMEOUT_MS = 60_000
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@dataclass
class FirstView:
    start_seconds: float  # from running the start script to the server answering (the build included)
    drawn_seconds: float  # from the server answering to the Overview drawn in Chromium
    database_before_server: bool  # the database was whole before the server answered
    overview_text: str  # what the Overview showed, for a check that it is the page and not a message


def clone_like_copy(folder: Path) -> Path:
    """The files git tracks, copied as a fresh clone has them, with this Python's environment as .venv."""
    copy = folder / "scrutiny"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / ".venv").symlink_to(Path(sys.prefix))  # installing is the start script's other half, not timed here
    return copy


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chromium() -> str:
    path = os.environ.get("SCRUTINY_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium is not installed (scripts/run-tests.sh installs it)")
    return path


def _wait_until_drawn(page) -> None:
    """Until the Overview is drawn: its title, the run finished, no element still loading."""
    from playwright.sync_api import expect

    expect(page.locator("h1").first).to_have_text("Overview", timeout=DRAWN_TIMEOUT_MS)
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=DRAWN_TIMEOUT_MS)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=DRAWN_TIMEOUT_MS)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=DRAWN_TIMEOUT_MS)


def first_view(folder: Path, log=None) -> FirstView:
    """Start a clone-like copy in `folder` and time its first visitor's Overview."""
    from playwright.sync_api import sync_playwright

    copy = clone_like_copy(folder)
    database = copy / "data" / "scrutiny.duckdb"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "SCRUTINY_DB"}
    with sync_playwright() as playwright:
        # The browser is open before the server starts, as a member's is: its start is not timed.
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        started = time.monotonic()
        server = subprocess.Popen(
            ["bash", "scripts/serve-dashboard.sh", "--server.headless", "true", "--server.address", "127.0.0.1",
             "--server.port", str(port)], cwd=copy, env=env, stdout=log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_for_health(server, url, started)
            answered = time.monotonic()
            database_before_server = database.exists()
            page.goto(url)
            _wait_until_drawn(page)
            drawn = time.monotonic()
            text = page.get_by_test_id("stMain").inner_text()
        finally:
            os.killpg(server.pid, signal.SIGTERM)  # the script's session: bash, then streamlit in its place
            server.wait(timeout=20)
            browser.close()
    return FirstView(answered - started, drawn - answered, database_before_server, text)


def _wait_for_health(server: subprocess.Popen, url: str, started: float) -> None:
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"the start script exited with {server.returncode}")
        if time.monotonic() - started > 180:
            raise RuntimeError("the server did not answer within 3 minutes")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.05)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="fresh copies to time, one after another (at most 5)")
    args = parser.parse_args(argv)
    for round_ in range(1, min(args.rounds, 5) + 1):
        with tempfile.TemporaryDirectory() as folder:
            result = first_view(Path(folder))
        print(f"round {round_}: build and start {result.start_seconds:.1f} s; server answering to Overview drawn "
              f"{result.drawn_seconds:.2f} s; database whole before the server answered: "
              f"{'yes' if result.database_before_server else 'no'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
