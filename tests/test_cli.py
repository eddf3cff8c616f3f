"""The command line as a user runs it: output, exit codes, one-line errors, SCRUTINY_DB.

The benchmarks are not run here: they are their own command (`python -m scrutiny bench`).
Run in process through `main(argv)` (the `cli` fixture); a few runs go through a real
`python -m scrutiny` process, for what only a process shows: the entry point and its exit codes."""
import csv
import io
import shutil

import pytest
from scipy.stats import binomtest

from tests.helpers import PUBLISHED_JANUARY_2024, run_cli, scrutiny_process


def test_yoy_prints_every_area_with_the_published_changes(cli, demo_db):
    result = cli("yoy", "--month", "2024-01", db=demo_db)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.stdout.splitlines()[0] == "area,count,count_previous_year,change_pct,p_value,notable"
    # the 8 areas, then the force as a whole (the demo places every record, so no "not placed" line)
    assert len(rows) == 9
    assert rows[-1]["area"] == "Leicestershire Police"
    assert int(rows[-1]["count"]) == sum(int(r["count"]) for r in rows[:-1])
    changes = {r["area"]: float(r["change_pct"]) for r in rows}
    assert {a: changes[a] for a in PUBLISHED_JANUARY_2024} == PUBLISHED_JANUARY_2024
    for row in rows:
        now, then = int(row["count"]), int(row["count_previous_year"])
        assert now > 0 and then > 0
        assert row["change_pct"] == f"{float(row['change_pct']):.1f}"
        p = binomtest(now, now + then, 0.5).pvalue
        assert len(row["p_value"].replace("0.", "", 1).lstrip("0")) >= 6  # at least 6 significant digits
        assert float(row["p_value"]) == pytest.approx(p, rel=1e-5)
        assert row["notable"] == ("true" if p < 0.05 else "false")


# A hand-made street file for each month: 3 burglaries in Charnwood and 6 in Blaby (Hinckley and
# Blaby) in January 2023, none in January 2024 (a robbery in Charnwood gives that month a record).
STREET_HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
                 "Crime type,Last outcome category,Context")
CHARNWOOD, BLABY = "E01025626,Charnwood 001A", "E01025400,Blaby 002A"


def street_file(folder, month: str, records: list[tuple[str, str]]):
    path = folder / f"{month}-leicestershire-street.csv"
    path.write_text("\n".join([STREET_HEADER] + [
        f"{month}-{i},{month},Leicestershire Police,Leicestershire Police,-1.2,52.7,On or near High Street,"
        f"{lsoa},{crime_type},Under investigation," for i, (lsoa, crime_type) in enumerate(records)]) + "\n")
    return path


@pytest.fixture(scope="module")
def hand_made(tmp_path_factory):
    """Two databases of hand-made street files: January 2024 alone, and with January 2023."""
    folder = tmp_path_factory.mktemp("streets")
    january_2024 = street_file(folder, "2024-01", [(CHARNWOOD, "Robbery")])
    january_2023 = street_file(folder, "2023-01", [(CHARNWOOD, "Burglary")] * 3 + [(BLABY, "Burglary")] * 6)
    alone, both = folder / "alone.duckdb", folder / "both.duckdb"
    assert run_cli("import", "police-uk", january_2024, "--db", alone)[0] == 0
    assert run_cli("import", "police-uk", january_2023, january_2024, "--db", both)[0] == 0
    return alone, both


def test_yoy_with_no_year_before_leaves_the_change_and_test_empty_and_says_why(cli, hand_made):
    result = cli("yoy", "--month", "2024-01", db=hand_made[0])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "area,count,count_previous_year,change_pct,p_value,notable"
    assert len(lines) == 10  # the header, 8 areas and the force
    rows = {r["area"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["Charnwood"] == {"area": "Charnwood", "count": "1", "count_previous_year": "",
                                 "change_pct": "", "p_value": "", "notable": ""}
    assert rows["Leicestershire Police"] == {"area": "Leicestershire Police", "count": "1", "count_previous_year": "",
                                             "change_pct": "", "p_value": "", "notable": ""}
    assert all(r["change_pct"] == r["p_value"] == r["notable"] == "" for r in rows.values())
    assert result.stderr.strip() == "note: there are no figures for January 2023, so no change or test is given"


def test_yoy_gives_the_exact_test_on_small_counts_worked_by_hand(cli, hand_made):
    result = cli("yoy", "--month", "2024-01", "--crime-type", "Burglary", db=hand_made[1])
    assert result.returncode == 0, result.stderr
    rows = {r["area"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    # 0 against 3: p = 2 x (1/2)^3 = 0.25, not notable. 0 against 6: p = 2 x (1/2)^6 = 0.03125, notable.
    assert rows["Charnwood"] == {"area": "Charnwood", "count": "0", "count_previous_year": "3",
                                 "change_pct": "-100.0", "p_value": "0.250000", "notable": "false"}
    assert rows["Hinckley and Blaby"] == {"area": "Hinckley and Blaby", "count": "0", "count_previous_year": "6",
                                          "change_pct": "-100.0", "p_value": "0.0312500", "notable": "true"}
    # the force as a whole: 0 against 9, p = 2 x (1/2)^9 = 0.00390625, notable
    assert rows["Leicestershire Police"] == {"area": "Leicestershire Police", "count": "0", "count_previous_year": "9",
                                             "change_pct": "-100.0", "p_value": "0.00390625", "notable": "true"}
    # no burglary in either January elsewhere: 0 against 0 (zeros are rows), and no test
    others = [r for a, r in rows.items() if a not in ("Charnwood", "Hinckley and Blaby", "Leicestershire Police")]
    assert len(others) == 6
    assert all(r["count"] == "0" and r["count_previous_year"] == "0" and r["p_value"] == r["notable"] == ""
               for r in others)


def test_yoy_reads_the_database_named_by_scrutiny_db(cli, demo_db):
    result = cli("yoy", "--month", "2023-06", "--crime-type", "Burglary", env_db=demo_db)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 10  # the header, 8 areas and the force


@pytest.mark.slow  # a Python process of its own: about 4 s
def test_a_real_process_reads_scrutiny_db_and_exits_0(demo_db):
    result = scrutiny_process("yoy", "--month", "2024-01", env_db=demo_db)
    assert (result.returncode, result.stderr) == (0, "")
    assert len(result.stdout.strip().splitlines()) == 10  # the header, 8 areas and the force


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


@pytest.mark.slow  # a Python process of its own: about 4 s
def test_a_real_process_refuses_bad_input_with_exit_code_2_and_one_line_on_stderr(demo_db):
    result = scrutiny_process("yoy", "--month", "2030-01", db=demo_db)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("error: no figures for 2030-01") and result.stderr.count("\n") == 1


@pytest.mark.slow  # a Python process of its own: about 4 s
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


@pytest.mark.slow  # a second demo build (demo_built_by_the_cli), about 4 s
def test_build_demo_writes_the_database_to_db(cli, demo_built_by_the_cli):
    result, target = demo_built_by_the_cli  # `build-demo --db FOLDER/built.duckdb` (conftest.py)
    assert result.returncode == 0, result.stderr
    assert target.exists()
    assert cli("yoy", "--month", "2024-01", db=target).returncode == 0
    # no temporary files left; the writer lock's file stays (scrutiny/store/lock.py)
    assert sorted(p.name for p in target.parent.iterdir()) == [".built.duckdb.lock", "built.duckdb"]



@pytest.mark.slow  # a Python process of its own: about 4 s
def test_a_reader_that_stops_early_is_not_an_error(demo_db):
    """`python -m scrutiny yoy ... | head -1`: no traceback when the reader stops reading."""
    import subprocess
    import sys

    from scrutiny.core.paths import REPO_ROOT

    shell = (f"{sys.executable} -m scrutiny yoy --month 2024-01 --crime-type 'All crime' --db '{demo_db}' "
             "| true; echo \"exit ${PIPESTATUS[0]}\" >&2")  # `true` never reads: the pipe is closed before yoy writes
    done = subprocess.run(["bash", "-c", shell], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "exit 0"
