"""Shared fixtures: a demo database built once per session in a temporary folder, the real
data.police.uk files in ../shared (present in CI; optional on a developer's clone), the command
line run in process, and one Chromium and one Streamlit server for every browser test.

Markers (registered in pytest.ini): `browser`, `slow` and `real_data`. A test that uses the
`real_data` fixture, or the `browser` fixture, gets its marker here, so the quick tier
(`-m "not browser and not slow"`) can never start Chromium by accident."""
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from scrutiny.commands.cli import main
from scrutiny.core.paths import DEMO_DIR, REPO_ROOT
from scrutiny.demo.build import build_demo

SHARED_REAL = REPO_ROOT.parent / "shared" / "data" / "real"
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"

# A fixture a test uses -> the marker the test must carry.
MARKER_OF_FIXTURE = {"real_data": "real_data", "browser": "browser", "server": "browser"}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        for fixture, marker in MARKER_OF_FIXTURE.items():
            if fixture in item.fixturenames and not item.get_closest_marker(marker):
                item.add_marker(marker)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("db") / "demo.duckdb"
    build_demo(path, DEMO_DIR)
    return path


@pytest.fixture
def demo_con(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The real files; CI always has them beside the repository, so there a miss is a failure."""
    if not SHARED_REAL.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED_REAL} is missing; CI must have shared/ beside the repository")
        pytest.skip("real data files (../shared/data/real) are not beside this clone")
    return SHARED_REAL


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `python -m scrutiny ARGS [--db DB]` in this process, through `main(argv)`, as a user
    would run it (without $SCRUTINY_DB unless `env_db` is given): its exit code and what it
    printed. Starting a Python process per command cost about 4 s; tests/helpers.py keeps a
    real-process runner for the few tests about the process itself."""
    def run(*args, db=None, env_db=None) -> CliResult:
        monkeypatch.delenv("SCRUTINY_DB", raising=False)
        if env_db:
            monkeypatch.setenv("SCRUTINY_DB", str(env_db))
        capsys.readouterr()  # only what this command prints
        argv = [str(a) for a in args] + (["--db", str(db)] if db else [])
        try:
            code = main(argv)
        except SystemExit as exit:  # argparse refuses bad arguments this way, as `python -m` would
            code = exit.code if isinstance(exit.code, int) else 1
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


@pytest.fixture(scope="module")
def browser():
    """Chromium for a module's browser tests. Per module, not per session: Playwright's sync API
    keeps an event loop running in this thread while it is open, and code under test that calls
    asyncio.run() (the pack's chart drawing, the load script) fails inside one."""
    from playwright.sync_api import sync_playwright

    from tests.browser_helpers import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server(demo_db, artifacts):
    """One `streamlit run` on the demo database for every browser test that only reads it."""
    from tests.browser_helpers import start_server, stop_server

    process, url = start_server(demo_db, artifacts / "streamlit-server.log")
    yield url
    stop_server(process)
