"""Plain helpers and constants shared by several test modules (fixtures live in conftest.py)."""
from __future__ import annotations

import os
import subprocess
import sys

import duckdb

from scrutiny.core.paths import REPO_ROOT

# From the Leicestershire Police and Crime Panel minutes (shared/seeds/001): reported crime,
# January 2024 against January 2023.
PUBLISHED_JANUARY_2024 = {
    "Harborough and Wigston": -3.7,
    "City Centre": -7.1,
    "East Leicester": -6.0,
    "Hinckley and Blaby": -3.0,
    "Charnwood": -5.4,
    "Melton and Rutland": -10.0,
    "West Leicester": -7.0,
}

# Every page dashboard.py declares, with its heading (test_pages checks that none is missing).
PAGES = {"pages/overview.py": "Overview", "pages/areas.py": "Areas", "pages/trends.py": "Trends",
         "pages/plan.py": "Police and Crime Plan", "pages/methodology.py": "Methodology",
         "pages/present.py": "Presentation", "pages/compare.py": "Compare forces"}


def table_contents(path) -> dict[str, list]:
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables order by 1").fetchall()]
        return {t: con.execute(f'select * from "{t}" order by all').fetchall() for t in tables}


def scrutiny_process(*args, db=None, env_db=None) -> subprocess.CompletedProcess:
    """`python -m scrutiny ARGS` in a real process: for the few tests of what only a process shows
    (the entry point, exit codes, stderr). Everything else runs in process through the `cli` fixture."""
    env = {k: v for k, v in os.environ.items() if k != "SCRUTINY_DB"}
    if env_db:
        env["SCRUTINY_DB"] = str(env_db)
    command = [sys.executable, "-m", "scrutiny", *map(str, args)] + (["--db", str(db)] if db else [])
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=120)

# All crime's limits start at the demo plan's step change of July 2021 (lockdown ended)
ALL_CRIME_JANUARY_2024 = ("Down 5.8% on January 2023, a notable fall, but within the normal range since the "
                          "step change in July 2021, so amber.")
