"""One page view reads one database file: while the file is replaced many times a second (an
import finishing, again and again), every Overview view shows one file's notice with the same
file's figures, and none errors."""
from __future__ import annotations

import os
import shutil
import threading

import pytest

from scrutiny.core import words
from tests.helpers import run_cli
from tests.ingest_helpers import copy_db, month_file

pytestmark = pytest.mark.slow


def what_it_shows(at) -> tuple[str, str]:
    """(which notice, the All crime figure) of an Overview view."""
    assert not at.exception, at.exception
    notices = [info.value for info in at.info]
    notice = ("demo" if words.DEMO_NOTICE in notices
              else "demo remains" if any(n.startswith("**Demonstration data remains.**") for n in notices)
              else "none")
    figures = [metric.value for metric in at.metric if metric.label == "All crime"]
    assert len(figures) == 1, ([e.value for e in at.error], [w.value for w in at.warning], notices)
    (all_crime,) = figures
    return notice, all_crime


def test_no_view_mixes_two_database_files_while_they_are_swapped(demo_db, real_data, app, tmp_path):
    demo = copy_db(demo_db, tmp_path / "a", "demo.duckdb")
    with_real = copy_db(demo_db, tmp_path / "b", "with-real.duckdb")
    assert run_cli("import", "police-uk", month_file(real_data, "2024-01"), "--db", with_real).returncode == 0
    served = tmp_path / "served" / "scrutiny.duckdb"
    served.parent.mkdir()
    # What each file shows on its own, with nothing moving.
    expected = set()
    for source in (demo, with_real):
        at = app(db=source, month="2024-01")
        at.run()
        expected.add(what_it_shows(at))
    shutil.copyfile(demo, served)
    assert len(expected) == 2 and {notice for notice, _ in expected} == {"demo", "demo remains"}

    stop = threading.Event()

    def swap():  # as an import does: a whole new file renamed into place, every 100 ms
        n = 0
        while not stop.is_set():
            source = (demo, with_real)[n % 2]
            staged = served.with_name(f".staged-{n}")
            shutil.copyfile(source, staged)
            os.replace(staged, served)
            n += 1
            stop.wait(0.1)

    swapper = threading.Thread(target=swap)
    swapper.start()
    try:
        seen = []
        for _ in range(12):
            at = app(db=served, month="2024-01")
            at.run()
            seen.append(what_it_shows(at))
    finally:
        stop.set()
        swapper.join()
    assert set(seen) <= expected, seen
