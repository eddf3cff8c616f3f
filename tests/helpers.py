"""Plain helpers and constants shared by several test modules (fixtures live in conftest.py)."""
from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import subprocess
import sys
from typing import NamedTuple

import duckdb

from scrutiny.commands.cli import main
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

# The real boundary files of LLR's districts and LSOAs and of every force area.
DISTRICT_BOUNDARIES = "ons-lad-boundaries_simonabisiani/LAD_DEC_2022_UK_BUC.geojson.gz"
LSOA_BOUNDARIES = "ons-lsoa11-boundaries_martinjc/lsoa11_llr_bgc_merged.geojson.gz"
FORCE_BOUNDARIES = "ons-pfa-boundaries_gutofthequantifier/police_force_areas_pfa20_ew.geojson.gz"


# Every page dashboard.py declares, with its heading (test_pages checks that none is missing).
PAGES = {"pages/overview.py": "Overview", "pages/areas.py": "Areas", "pages/trends.py": "Trends",
         "pages/plan.py": "Police and Crime Plan", "pages/methodology.py": "Methodology",
         "pages/present.py": "Presentation", "pages/compare.py": "Compare forces"}


def table_contents(path) -> dict[str, list]:
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables order by 1").fetchall()]
        return {t: con.execute(f'select * from "{t}" order by all').fetchall() for t in tables}


class CliResult(NamedTuple):
    """A command's exit code and what it printed (a tuple too: `code, out, err = run_cli(...)`)."""
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args, db=None) -> CliResult:
    """`python -m scrutiny ARGS [--db DB]` in this process, through `main(argv)`: starting a Python
    process per command cost about 4 s. The `cli` fixture wraps this for a test's environment
    ($SCRUTINY_DB); session fixtures that build a database call it directly."""
    argv = [str(a) for a in args] + (["--db", str(db)] if db else [])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit:  # argparse refuses bad arguments this way, as `python -m` would
            code = exit.code if isinstance(exit.code, int) else 1
    return CliResult(code, out.getvalue(), err.getvalue())


def scrutiny_process(*args, db=None, env_db=None) -> subprocess.CompletedProcess:
    """`python -m scrutiny ARGS` in a real process: for the few tests of what only a process shows
    (the entry point, exit codes, stderr). Everything else runs in process (`run_cli`, the `cli` fixture)."""
    env = {k: v for k, v in os.environ.items() if k != "SCRUTINY_DB"}
    if env_db:
        env["SCRUTINY_DB"] = str(env_db)
    command = [sys.executable, "-m", "scrutiny", *map(str, args)] + (["--db", str(db)] if db else [])
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=120)

# All crime's limits start at the demo plan's step change of July 2021 (lockdown ended)
ALL_CRIME_JANUARY_2024 = ("Down 5.8% on January 2023, a notable fall, but within the normal range since the "
                          "step change in July 2021, so amber.")


def plan_matrix_html(at) -> str:
    """The Plan matrix's HTML as the page handed it to its component (ui.plan_matrix) in AppTest."""
    import json

    [matrix] = [e for e in at.get("bidi_component") if e.proto.component_name == "scrutiny.plan_matrix"]
    return json.loads(matrix.proto.json)["html"]


def script(name: str):
    """scripts/NAME.py as a module (the scripts are not a package)."""
    module_name = f"scripts_{name}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, REPO_ROOT / "scripts" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module  # a dataclass needs its module registered
        spec.loader.exec_module(module)
    return sys.modules[module_name]
