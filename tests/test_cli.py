"""The command line as a user runs it: output, exit codes, one-line errors, SCRUTINY_DB."""
import csv
import io
import os
import subprocess
import sys

import pytest

from scrutiny.core.paths import REPO_ROOT
from tests.test_demo import PUBLISHED_JANUARY_2024


def scrutiny(*args, db=None, env_db=None):
    env = {k: v for k, v in os.environ.items() if k != "SCRUTINY_DB"}
    if env_db:
        env["SCRUTINY_DB"] = str(env_db)
    command = [sys.executable, "-m", "scrutiny", *args] + (["--db", str(db)] if db else [])
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=120)


def test_yoy_prints_every_area_with_the_published_changes(demo_db):
    result = scrutiny("yoy", "--month", "2024-01", db=demo_db)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["area", "count", "count_previous_year", "change_pct", "z"]
    assert len(rows) == 8
    changes = {r["area"]: float(r["change_pct"]) for r in rows}
    assert {a: changes[a] for a in PUBLISHED_JANUARY_2024} == PUBLISHED_JANUARY_2024
    for row in rows:
        assert row["change_pct"] == f"{float(row['change_pct']):.1f}"
        assert int(row["count"]) > 0 and int(row["count_previous_year"]) > 0


def test_yoy_reads_the_database_named_by_scrutiny_db(demo_db):
    result = scrutiny("yoy", "--month", "2023-06", "--crime-type", "Burglary", env_db=demo_db)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 9


@pytest.mark.parametrize("args, message", [
    (["--month", "2030-01"], "no figures for 2030-01"),
    (["--month", "January"], "not a month in the form YYYY-MM"),
    (["--month", "2024-13"], "not a month in the form YYYY-MM"),
    (["--month", "2024-01", "--crime-type", "Jaywalking"], "unknown crime type 'Jaywalking'"),
])
def test_yoy_refuses_bad_input_with_one_line_and_exit_code_2(demo_db, args, message):
    result = scrutiny("yoy", *args, db=demo_db)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_yoy_on_a_missing_database_says_how_to_build_one(tmp_path):
    result = scrutiny("yoy", "--month", "2024-01", db=tmp_path / "nothing.duckdb")
    assert result.returncode == 2
    assert "build-demo" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_build_demo_writes_the_database_to_db(tmp_path):
    target = tmp_path / "built.duckdb"
    result = scrutiny("build-demo", db=target)
    assert result.returncode == 0, result.stderr
    assert target.exists()
    assert scrutiny("yoy", "--month", "2024-01", db=target).returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["built.duckdb"]  # no temporary files left


def test_bench_prints_the_build_time_and_a_line_for_every_query():
    from scrutiny.store import queries

    result = scrutiny("bench", "--runs", "3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("demo build: median ")
    lines = result.stdout.splitlines()
    for name in queries.query_names():
        (line,) = [l for l in lines if l.split()[:1] == [name]]
        median, p95 = (float(x) for x in line.split()[1:])
        assert 0 < median <= p95


def test_national_bench_runs_end_to_end_at_a_small_scale(tmp_path):
    result = scrutiny("bench", "--scale", "small", "--months", "2", "--runs", "2", "--data", str(tmp_path / "archive"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in ("generated ", "import: ", "bare DuckDB read_csv, count(*)", "database on disk: ",
                     "areas/area_comparison", "pages, server-side run time", "app peak memory: "):
        assert expected in out, out
    assert (tmp_path / "archive" / "2024-01" / "2024-01-leicestershire-street.csv").exists()
