"""The command line as a user runs it: output, exit codes, one-line errors, SCRUTINY_DB.

The benchmarks are not run here: they are their own command (`python -m scrutiny bench`).
Run in process through `main(argv)` (the `cli` fixture); a few runs go through a real
`python -m scrutiny` process, for what only a process shows: the entry point and its exit codes."""
import csv
import io
import shutil

import pytest

from tests.helpers import PUBLISHED_JANUARY_2024, scrutiny_process


def test_yoy_prints_every_area_with_the_published_changes(cli, demo_db):
    result = cli("yoy", "--month", "2024-01", db=demo_db)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["area", "count", "count_previous_year", "change_pct", "z"]
    assert len(rows) == 8
    changes = {r["area"]: float(r["change_pct"]) for r in rows}
    assert {a: changes[a] for a in PUBLISHED_JANUARY_2024} == PUBLISHED_JANUARY_2024
    for row in rows:
        assert row["change_pct"] == f"{float(row['change_pct']):.1f}"
        assert int(row["count"]) > 0 and int(row["count_previous_year"]) > 0


def test_yoy_reads_the_database_named_by_scrutiny_db(cli, demo_db):
    result = cli("yoy", "--month", "2023-06", "--crime-type", "Burglary", env_db=demo_db)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 9


def test_a_real_process_reads_scrutiny_db_and_exits_0(demo_db):
    result = scrutiny_process("yoy", "--month", "2024-01", env_db=demo_db)
    assert (result.returncode, result.stderr) == (0, "")
    assert len(result.stdout.strip().splitlines()) == 9


@pytest.mark.parametrize("args, message", [
    (["--month", "2030-01"], "no figures for 2030-01"),
    (["--month", "January"], "not a month in the form YYYY-MM"),
    (["--month", "2024-13"], "not a month in the form YYYY-MM"),
    (["--month", "2024-01", "--crime-type", "Jaywalking"], "unknown crime type 'Jaywalking'"),
])
def test_yoy_refuses_bad_input_with_one_line_and_exit_code_2(cli, demo_db, args, message):
    result = cli("yoy", *args, db=demo_db)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_a_real_process_refuses_bad_input_with_exit_code_2_and_one_line_on_stderr(demo_db):
    result = scrutiny_process("yoy", "--month", "2030-01", db=demo_db)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("error: no figures for 2030-01") and result.stderr.count("\n") == 1


def test_a_real_process_refuses_an_import_of_a_missing_file_with_exit_code_2(demo_db, tmp_path):
    db = tmp_path / "scrutiny.duckdb"
    shutil.copyfile(demo_db, db)
    missing = tmp_path / "nowhere.csv"
    result = scrutiny_process("import", "police-uk", missing, db=db)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"error: {missing}: no such file or folder\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scrutiny.duckdb"]


def test_yoy_on_a_missing_database_says_how_to_build_one(cli, tmp_path):
    result = cli("yoy", "--month", "2024-01", db=tmp_path / "nothing.duckdb")
    assert result.returncode == 2
    assert "build-demo" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_build_demo_writes_the_database_to_db(cli, tmp_path):
    target = tmp_path / "built.duckdb"
    result = cli("build-demo", db=target)
    assert result.returncode == 0, result.stderr
    assert target.exists()
    assert cli("yoy", "--month", "2024-01", db=target).returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["built.duckdb"]  # no temporary files left

