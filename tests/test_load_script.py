"""The load script runs end to end on a small scale (its figures are for people, not asserted)."""
import importlib.util
import re

import pytest

from scrutiny.core.paths import REPO_ROOT

pytestmark = pytest.mark.slow  # it holds sessions for 8 s by design

_spec = importlib.util.spec_from_file_location("load_test", REPO_ROOT / "scripts" / "load_test.py")
load_test = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load_test)
run_load = load_test.run_load


def test_load_script_holds_its_sessions_through_database_swaps_without_errors():
    lines = []
    report = run_load(sessions=3, seconds=8, swap_every=2, think=0.5, out=lines.append, slowest=2)
    assert report["sessions_held"] == 3
    assert report["errors"] == 0, lines
    assert report["database_swaps"] >= 2
    assert report["page_views"] >= 3  # one a session at least (a busy machine serves fewer in 8 s)
    assert any(line.startswith("  page view ") and " p95 " in line for line in lines)
    assert report["kinds"]["filter change"]["count"] >= 1, lines  # each session starts on a page with a filter
    assert report["kinds"]["first view"]["count"] == 3  # each session's first, also among the page views
    assert any(line.startswith("  (of which first views) ") for line in lines)
    # --slowest 2: the two slowest, slowest first, each with its kind, page and moment
    heading = lines.index("the 2 slowest (seconds, what, page, seconds into the run when it ended):")
    slowest = lines[heading + 1:heading + 3]
    assert all(re.fullmatch(r"  +\d+\.\d\d s  (first view|page view|filter change|matrix click|slide step) +"
                            r"(overview|areas|trends|plan|compare|present|methodology) +at +\d+\.\d s", line)
               for line in slowest), slowest
    assert float(slowest[0].split()[0]) >= float(slowest[1].split()[0])


def test_load_script_runs_against_a_server_already_running_and_swaps_the_file_it_serves(demo_db, tmp_path):
    from tests.browser_helpers import start_server, stop_server
    from tests.ingest_helpers import copy_db

    served_db = copy_db(demo_db, tmp_path / "served")
    before = served_db.read_bytes()
    process, url = start_server(served_db, tmp_path / "server.log")
    try:
        lines = []
        report = run_load(sessions=2, seconds=6, swap_every=2, think=0.5, out=lines.append,
                          url=url + "/", swap_db=served_db, arrive_over=1)
    finally:
        stop_server(process)
    assert lines[0].startswith(f"2 sessions on {url}, arriving over 1 s,")  # that server, not one of its own
    assert report["sessions_held"] == 2 and report["errors"] == 0, lines
    assert report["database_swaps"] >= 2
    assert served_db.read_bytes() == before  # replaced by copies of itself: what it serves is unchanged


@pytest.mark.parametrize("url", ["http://example.org:8501", "https://127.0.0.1:8501", "http://10.0.0.1:8501",
                                 "http://127.0.0.1:8501/areas"])
def test_load_script_refuses_a_url_that_is_not_a_server_on_this_machine(url, capsys):
    with pytest.raises(SystemExit) as exit_:
        load_test.main(["--url", url, "--seconds", "1"])
    assert exit_.value.code == 2
    assert f"--url must be http://127.0.0.1:PORT (a server on this machine), not {url}" in capsys.readouterr().err


def test_load_script_refuses_swap_db_without_url(capsys):
    with pytest.raises(SystemExit):
        load_test.main(["--swap-db", "x.duckdb"])
    assert "--swap-db goes with --url" in capsys.readouterr().err


@pytest.mark.slow
def test_load_script_makes_meeting_packs_beside_the_browsing_sessions():
    """--pack-makers: sessions that press "Make the meeting pack" (on the Plan page) month after
    month while others browse; each press counts once its download is offered. The run ends as
    soon as one pack is made (what is asserted), not after a fixed soak: 150 s at most, as on a busy
    machine one pack with its charts took more than 45 s beside the rest of the suite."""
    lines = []
    report = run_load(sessions=1, seconds=150, swap_every=60, think=0.5, out=lines.append, pack_makers=1,
                      enough_packs=1)
    assert report["errors"] == 0, lines
    assert report["packs_made"] >= 1 and report["pack_median_s"] > 0, lines
    assert report["page_views"] > 0
    assert any(line.startswith("meeting packs made: ") for line in lines)
