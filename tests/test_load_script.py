"""The load script runs end to end on a small scale (its figures are for people, not asserted)."""
import importlib.util

import pytest

from scrutiny.core.paths import REPO_ROOT

pytestmark = pytest.mark.slow  # it holds sessions for 8 s by design

_spec = importlib.util.spec_from_file_location("load_test", REPO_ROOT / "scripts" / "load_test.py")
load_test = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load_test)
run_load = load_test.run_load


def test_load_script_holds_its_sessions_through_database_swaps_without_errors():
    lines = []
    report = run_load(sessions=3, seconds=8, swap_every=2, think=0.5, out=lines.append)
    assert report["sessions_held"] == 3
    assert report["errors"] == 0, lines
    assert report["database_swaps"] >= 2
    assert report["page_views"] >= 6
    assert any(line.startswith("page view (request to script finished): median") for line in lines)
