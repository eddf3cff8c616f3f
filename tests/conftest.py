"""Shared fixtures: the databases several test files read (the demo; the demo with the real
boundaries; every real Leicestershire street file), each built once per run in a temporary folder
and shared by every pytest-xdist worker; the real data.police.uk files in ../shared (present in CI;
optional on a developer's clone); the command line run in process; the dashboard in AppTest; one
Chromium per browser test module and one Streamlit server for the browser tests that only read the demo.

Markers (registered in pytest.ini): `browser`, `slow` and `real_data`. A test that uses the
`real_data` fixture, or the `browser` fixture, gets its marker here, so the quick tier
(`-m "not browser and not slow"`) can never start Chromium by accident; one that reads the meeting
pack or the real set-up of two forces is marked slow, so the quick tier never makes them."""
import datetime as dt
import fcntl
import hashlib
import importlib.metadata
import os
import pickle
import shutil
import sys
from pathlib import Path
from typing import Callable

import duckdb
import pytest

from scrutiny.core.paths import AREAS_DIR, DEMO_DIR, REPO_ROOT
from tests.helpers import DISTRICT_BOUNDARIES, FORCE_BOUNDARIES, LSOA_BOUNDARIES, CliResult, run_cli
from tests.ingest_helpers import street_files

SHARED_REAL = REPO_ROOT.parent / "shared" / "data" / "real"
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
DEFAULT_VIEWPORT = {"width": 1280, "height": 900}


def _scan_installed_components_once() -> None:
    """AppTest looks for installed Streamlit components on every run, by reading the metadata of
    every installed package: a fifth of the quick tier's time, to find the same answer each time,
    as nothing is installed during a test run. The running server scans once, at start; here the
    first scan's answer is kept for the run's other AppTest runs."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


def _wait_for_apptest_runs_without_polling() -> None:
    """AppTest waits for its script's thread by waking every millisecond to look: each wake takes
    Python's interpreter lock from the script being tested, so every run was slower. Joining the
    thread waits for the same end (its last act is the event AppTest looks for), with the same
    time limit and the same error when it is reached."""
    from streamlit.testing.v1 import local_script_runner

    assert hasattr(local_script_runner, "require_widgets_deltas"), "Streamlit renamed AppTest's wait: update this"

    def joining(runner, timeout: float = 3) -> None:
        if runner._script_thread is not None:
            runner._script_thread.join(timeout)
        if not runner.script_stopped():  # as AppTest does on its time limit
            runner.request_stop()
            runner.join()
            raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")

    local_script_runner.require_widgets_deltas = joining


def pytest_configure(config):
    """Streamlit's test harness made quicker, where tests run: in each pytest-xdist worker, or in
    pytest itself without workers, never in the process that only hands out the files (it would
    import Streamlit for nothing: a second of the quick tier's start). For the same reason the
    package's heavier modules are imported by the fixtures that use them, not at the top here."""
    if getattr(config.option, "dist", "no") != "no" and not hasattr(config, "workerinput"):
        return
    _scan_installed_components_once()
    _wait_for_apptest_runs_without_polling()

# A fixture a test uses -> the marker the test must carry. The meeting pack and the real set-up of
# two forces take 10-15 s to make: the quick tier makes neither.
MARKER_OF_FIXTURE = {"real_data": "real_data", "browser": "browser", "server": "browser",
                     "pack_without_browser": "slow", "real_both_db": "slow"}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        for fixture, marker in MARKER_OF_FIXTURE.items():
            if fixture in item.fixturenames and not item.get_closest_marker(marker):
                item.add_marker(marker)
    # The longest files first: pytest-xdist hands whole files (--dist loadfile) to whichever worker
    # is free, in this order, so a long file started last would leave one core idle while the other
    # finishes it. The files measured longest (LONGEST_FILES), longest first; then other files with
    # browser tests, then slow ones, then the rest. Within a file the order is kept.
    def weight(item) -> int:
        return 0 if item.get_closest_marker("browser") else 1 if item.get_closest_marker("slow") else 2
    file_weight: dict[str, int] = {}
    for item in items:
        file_weight[item.path] = min(file_weight.get(item.path, 2), weight(item))
    items.sort(key=lambda item: (-LONGEST_FILES.get(item.path.name, 0), file_weight[item.path]))  # stable


# Seconds each of the longest files took in a whole run on a quiet two-core machine (about: from
# `--durations`; only their order matters, so refresh them when a file grows or is split).
LONGEST_FILES = {
    "test_viewports.py": 100, "test_browser.py": 60, "test_real_walk.py": 58, "test_browser_pack_queue.py": 48,
    "test_load_script.py": 45, "test_pack.py": 44, "test_pack_queue.py": 42, "test_setup.py": 40,
    "test_accessibility.py": 39, "test_browser_print.py": 30, "test_slides_fit_no_plan.py": 29,
    "test_serve_many.py": 28, "test_slides_fit.py": 27, "test_browser_peers.py": 24, "test_first_start.py": 24,
    "test_import_population.py": 23, "test_bounded_inputs.py": 21, "test_import_police_uk.py": 17,
    "test_pages.py": 15, "test_bad_database.py": 14, "test_map_pages.py": 13, "test_no_plan_loaded.py": 12,
    "test_import_other.py": 12, "test_fuzz_import.py": 12, "test_peer_pages.py": 11, "test_hostile_input.py": 11,
    "test_import_boundaries.py": 10, "test_one_writer.py": 10, "test_fetch.py": 10, "test_cli.py": 8,
    "test_import_safety.py": 8, "test_upgrade.py": 7, "test_compare.py": 7, "test_setwise.py": 7,
    "test_peer_pattern.py": 6,
}


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None], *, kept_for: list[Path] = ()) -> Path:
    """NAME built by BUILD(path) once for the whole run. Each pytest-xdist worker has its own
    session, so a plain session fixture would be built again on every worker: the first worker to
    ask builds it in the run's shared temporary folder, under a lock; the others wait and reuse it.
    What is built here is only read (tests that change a database change their own copy).
    KEPT_FOR (a database file's inputs besides the package): a copy is kept between runs in
    tests/artifacts/cache/, under a key of every input's content (build_key), and copied from there
    while none has changed: the quick tier then starts without waiting seconds for the demo."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the workers' folders sit side by side in the run's folder
    path = root / "built-once" / name
    path.parent.mkdir(exist_ok=True)
    with open(path.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            partial = path.with_name(f"partial-{name}")  # a file or a folder, as BUILD makes it
            shutil.rmtree(partial, ignore_errors=True)
            partial.unlink(missing_ok=True)
            kept = BUILT_CACHE / f"{build_key(kept_for)}-{name}" if kept_for else None
            if kept is not None and kept.is_file():
                shutil.copyfile(kept, partial)
            else:
                build(partial)
                if kept is not None:
                    keep(partial, kept, name)
            os.replace(partial, path)  # never half built under the real name
    return path


BUILT_CACHE = ARTIFACTS / "cache"
# What every built database depends on besides its own inputs: the package (its code, schema and
# write-side SQL), the queries, the area lookups and mappings the importers read (data/areas), and
# the libraries that compute and store the figures.
BUILT_FROM = [REPO_ROOT / "scrutiny", REPO_ROOT / "queries", AREAS_DIR]
BUILT_WITH = ("duckdb", "numpy", "pandas", "scipy")


def build_key(inputs: list[Path]) -> str:
    """A digest of every file under BUILT_FROM and INPUTS (the content of each; of a file over
    1 MB, as the real data files are, its size and time of change) and the libraries' versions."""
    digest = hashlib.sha256(sys.version.encode())
    for library in BUILT_WITH:
        digest.update(f"{library} {importlib.metadata.version(library)}".encode())
    for top in [*BUILT_FROM, *inputs]:
        for file in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if not file.is_file() or "__pycache__" in file.parts:
                continue
            stat = file.stat()
            digest.update(str(file).encode())
            digest.update(f"{stat.st_size} {stat.st_mtime_ns}".encode() if stat.st_size > 1_000_000 else file.read_bytes())
    return digest.hexdigest()[:20]


def keep(built: Path, kept: Path, name: str) -> None:
    """A copy of BUILT as KEPT, in place of the copies of NAME from inputs since changed."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    for older in kept.parent.glob(f"*-{name}"):
        older.unlink(missing_ok=True)
    staged = kept.with_name(f".{kept.name}.{os.getpid()}")
    shutil.copyfile(built, staged)
    os.replace(staged, kept)  # another run reading the cache never sees half a copy


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    from scrutiny.demo.build import build_demo

    return built_once(tmp_path_factory, "demo.duckdb", lambda path: build_demo(path, DEMO_DIR), kept_for=[DEMO_DIR])


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
def demo_built_by_the_cli(tmp_path_factory) -> tuple[CliResult, Path]:
    """`build-demo --db FOLDER/built.duckdb`, a second build of the demo (alone in its folder):
    what the command returned, and the database."""
    def build(root):
        (root / "demo").mkdir(parents=True)
        result = run_cli("build-demo", db=root / "demo" / "built.duckdb")
        (root / "result.pickle").write_bytes(pickle.dumps(result))

    root = built_once(tmp_path_factory, "demo-built-by-the-cli", build)
    return pickle.loads((root / "result.pickle").read_bytes()), root / "demo" / "built.duckdb"


@pytest.fixture(scope="session")
def demo_with_boundaries(demo_db, real_data, tmp_path_factory) -> Path:
    """The demo with the real district, LSOA and force outlines (`import boundaries`)."""
    def build(path):
        shutil.copyfile(demo_db, path)
        files = [real_data / f for f in (DISTRICT_BOUNDARIES, LSOA_BOUNDARIES, FORCE_BOUNDARIES)]
        result = run_cli("import", "boundaries", *files, db=path)
        assert result.returncode == 0, result.stderr

    return built_once(tmp_path_factory, "demo-with-boundaries.duckdb", build)


@pytest.fixture(scope="session")
def llr_db(real_data, tmp_path_factory) -> Path:
    """Every real Leicestershire street file (39 months, 336,439 records) in a new database,
    through the importer's Python API: about 6 s on a quiet machine, so built once per run."""
    from scrutiny.load.police_uk import import_police_uk

    return built_once(tmp_path_factory, "llr.duckdb", lambda path: import_police_uk(street_files(real_data), path),
                      kept_for=street_files(real_data))


REAL_POPULATIONS = [f"census2021-pop_cwthom/{name}" for name in (
    "DERIVED_census21_usual_residents_lsoa21_llr_wide.csv",
    "DERIVED_census21_usual_residents_lad22_ew.csv",
    "DERIVED_census21_usual_residents_pfa_ew.csv")]


@pytest.fixture(scope="session")
def real_both_db(real_data, tmp_path_factory) -> Path:
    """The office's set-up on real data, through the command line: every real street file of
    Leicestershire (at home) and Lancashire, then the real boundaries and Census populations."""
    def build(path):
        files = street_files(real_data, "leicestershire") + street_files(real_data, "lancashire")
        steps = [("import", "police-uk", "--home", "leicestershire", *files),
                 ("import", "boundaries", *(real_data / f for f in (DISTRICT_BOUNDARIES, LSOA_BOUNDARIES, FORCE_BOUNDARIES))),
                 *(("import", "population", real_data / f) for f in REAL_POPULATIONS)]
        for step in steps:
            result = run_cli(*step, db=path)
            assert result.returncode == 0, f"{' '.join(map(str, step[:2]))}: {result.stderr}"

    return built_once(tmp_path_factory, "real-both.duckdb", build)


# Lancashire: a force with 14 partnerships (15 areas), set up by `setup` and its real street files
# imported, for what must hold for any force (tests/test_setup.py) and wide matrices (test_viewports.py).
@pytest.fixture(scope="session")
def lancashire(tmp_path_factory):
    """A database set up for Lancashire, before any crime record, with the files `setup` writes
    beside it (its plan and peer group), and what the command returned. Only read: built once."""
    def build(folder):
        folder.mkdir()
        result = run_cli("setup", "--force", "lancashire", db=folder / "lancashire.duckdb")
        assert result.returncode == 0, result.stderr
        (folder / "result.pickle").write_bytes(pickle.dumps(result))

    folder = built_once(tmp_path_factory, "lancashire", build)
    return folder / "lancashire.duckdb", pickle.loads((folder / "result.pickle").read_bytes())


@pytest.fixture(scope="session")
def lancashire_imported(lancashire, real_data, tmp_path_factory):
    """The set-up database, then `import police-uk` of the real Lancashire street files. Only read
    (a server is started on it in two modules): built once for the run, as the demo is."""
    def build(path):
        shutil.copyfile(lancashire[0], path)
        result = run_cli("import", "police-uk", *street_files(real_data, "lancashire"), db=path)
        assert result.returncode == 0, result.stderr

    return built_once(tmp_path_factory, "lancashire-imported.duckdb", build)


@pytest.fixture(scope="session")
def pack_without_browser(demo_db, tmp_path_factory) -> tuple["pack.PackResult", Path]:
    """The demo's meeting pack of January 2024 (made on 20 February 2024) as on a computer with no
    browser, so with tables instead of charts: what build_pack returned, and the PDF. The pack's
    tests and the words' tests read it; it takes about 10 s."""
    from scrutiny.present import meeting, pack

    def build(folder):
        folder.mkdir()
        with pytest.MonkeyPatch.context() as mp, duckdb.connect(str(demo_db), read_only=True) as con:
            mp.setenv("SCRUTINY_CHROMIUM", "/nonexistent/chromium")
            result = pack.build_pack(meeting.runner(con), dt.date(2024, 1, 1), folder / "pack.pdf",
                                     made_on=dt.date(2024, 2, 20))
        (folder / "result.pickle").write_bytes(pickle.dumps(result))

    folder = built_once(tmp_path_factory, "pack-without-browser", build)
    return pickle.loads((folder / "result.pickle").read_bytes()), folder / "pack.pdf"


@pytest.fixture(scope="session")
def slide_titles(demo_db) -> list[str]:
    """The titles of the demo's slides of January 2024, in order (the browser tests of the slides)."""
    from scrutiny.present import meeting, slides

    with duckdb.connect(str(demo_db), read_only=True) as con:
        return [s.title for s in slides.build_slides(meeting.runner(con), dt.date(2024, 1, 1))]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def cli(monkeypatch):
    """`run_cli` (tests/helpers.py: `python -m scrutiny ARGS [--db DB]` in this process) as a user
    would run it: without $SCRUTINY_DB unless `env_db` is given, which names the database instead."""
    def run(*args, db=None, env_db=None) -> CliResult:
        monkeypatch.delenv("SCRUTINY_DB", raising=False)
        if env_db:
            monkeypatch.setenv("SCRUTINY_DB", str(env_db))
        return run_cli(*args, db=db)

    return run


@pytest.fixture
def app(demo_db, monkeypatch):
    """`app(**query_params)`: the dashboard in Streamlit's AppTest on the demo (or on `db=`),
    opened with those link parameters and not yet run."""
    from streamlit.testing.v1 import AppTest

    def start(*, db=demo_db, **query_params) -> AppTest:
        monkeypatch.setenv("SCRUTINY_DB", str(db))
        at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60)
        at.query_params.update(query_params)
        return at

    return start


@pytest.fixture(scope="module")
def browser():
    """Chromium for a module's browser tests. Per module, not per session: Playwright's sync API
    keeps an event loop running in this thread while it is open, and code under test that calls
    asyncio.run() (the pack's chart drawing, the load script) fails inside one. (Under
    `--dist loadfile` each browser module runs on one worker anyway.)"""
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


@pytest.fixture(scope="module")
def tab(browser):
    """One tab for a module's browser tests. A page opened again in the same tab reuses the scripts
    the browser has already loaded and compiled (Streamlit's app is several megabytes of them): half
    the time of opening it in a fresh tab, and the browser tests are mostly pages being opened.
    Each opening is still a new Streamlit session. Every request the tab makes to anywhere but this
    machine is kept in `tab.outside_requests` (council chambers and CI have no internet)."""
    context = browser.new_context(viewport=DEFAULT_VIEWPORT)
    tab = context.new_page()
    outside = []
    tab.on("request", lambda request: outside.append(request.url)
           if not request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")) else None)
    tab.outside_requests = outside
    yield tab
    context.close()


@pytest.fixture
def page(tab):
    """The module's tab (`tab`) on a screen at 1280 x 900, with no outside request recorded yet; a
    test that wants another screen size, or print, sets it (page.set_viewport_size, page.emulate_media)."""
    tab.set_viewport_size(DEFAULT_VIEWPORT)
    tab.emulate_media(media="screen")
    tab.outside_requests.clear()
    if tab.url.startswith("http"):  # what Streamlit keeps in the browser (the sidebar's state): not carried over
        tab.evaluate("() => localStorage.clear()")
    return tab
