"""Every crime counted and zeros kept (issue 13): the force's figures count every record of its
files, placed in an area or not; a month with no crimes of a type in an area is a 0, not missing;
the areas table has a line for the records in no area; the month's data quality in one line; and
`yoy` prints the force as a whole, with blank fields where there is no year before.

tests/fixtures/street-small/ holds two hand-written Leicestershire street files a year apart
(February 2023 and February 2024). What they hold, by hand (ASB = anti-social behaviour, not in
"All crime"):

  February 2023: Charnwood 3 burglaries (one at "Park Road, Loughborough", a quoted comma),
                 2 bicycle thefts, 2 ASB; Melton and Rutland 1 bicycle theft, 2 violence;
                 no location 2 burglaries.  Crimes 10: placed 8, not placed 2 (20.0%).
  February 2024: Charnwood 1 burglary, 1 bicycle theft, 1 ASB; Melton and Rutland 3 violence and
                 no bicycle theft; no location 1 burglary, 1 violence; 1 burglary in Birmingham
                 (outside the force).  Crimes 8: placed 5, not placed 3 (37.5%).
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from scrutiny.load.police_uk import import_police_uk
from scrutiny.present import meeting
from tests.ingest_helpers import street_files

SMALL = Path(__file__).parent / "fixtures" / "street-small"
FEB_2023, FEB_2024 = dt.date(2023, 2, 1), dt.date(2024, 2, 1)
HEADER = "area,count,count_previous_year,change_pct,p_value,notable"


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("street-small") / "small.duckdb"
    import_police_uk(sorted(SMALL.glob("*/*-street.csv")), path)
    return path


def query(path: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def force_totals(path: Path, force_id: str, crime_type: str) -> dict:
    return dict(query(path, """
        select strftime(month, '%Y-%m'), crime_count from area_month_totals
        where area_id = ? and crime_type = ? order by month
    """, [force_id, crime_type]))


def test_the_force_total_of_each_month_counts_the_records_with_no_location(small_db):
    assert force_totals(small_db, "leicestershire", "All crime") == {"2023-02": 10, "2024-02": 8}
    # burglary: 3 in Charnwood + 2 with no location; 1 in Charnwood + 1 no location + 1 outside the force
    assert force_totals(small_db, "leicestershire", "Burglary") == {"2023-02": 5, "2024-02": 3}
    assert force_totals(small_db, "leicestershire", "Anti-social behaviour") == {"2023-02": 2, "2024-02": 1}


def test_the_areas_stay_as_they_are_and_the_quoted_comma_is_one_record(small_db):
    assert force_totals(small_db, "charnwood", "Burglary") == {"2023-02": 3, "2024-02": 1}
    assert force_totals(small_db, "charnwood", "All crime") == {"2023-02": 5, "2024-02": 2}
    assert force_totals(small_db, "melton-rutland", "All crime") == {"2023-02": 3, "2024-02": 3}


def test_a_month_with_no_bicycle_theft_in_an_area_is_a_zero_row(small_db):
    assert force_totals(small_db, "melton-rutland", "Bicycle theft") == {"2023-02": 1, "2024-02": 0}
    assert force_totals(small_db, "city-centre", "Robbery") == {"2023-02": 0, "2024-02": 0}
    # the whole grid: 8 areas x 14 crime types x 2 months with files
    assert query(small_db, "select count(*) from monthly_counts") == [(8 * 14 * 2,)]


def test_a_month_with_no_file_stays_absent(small_db):
    # no file for March 2023 to January 2024: no rows, not zeros
    assert query(small_db, "select distinct strftime(month, '%Y-%m') from monthly_counts order by 1") == [
        ("2023-02",), ("2024-02",)]


def test_the_areas_table_has_the_not_placed_lines_and_the_force_that_they_add_up_to(small_db):
    with duckdb.connect(str(small_db), read_only=True) as con:
        table = meeting.areas_and_force(meeting.runner(con), FEB_2024)
    lines = [(r.area_name, r.crime_count, r.count_previous_year, r.line) for r in table.itertuples()]
    assert lines[-3:] == [
        ("Not placed in an area: no location given", 2, 2, "not placed"),
        ("Not placed in an area: located outside the force area", 1, 0, "not placed"),
        ("Leicestershire Police", 8, 10, "force"),
    ]
    areas = table[table.line == "area"]
    assert len(areas) == 8
    assert areas.crime_count.sum() + 2 + 1 == 8


def test_the_months_data_quality_in_one_line_with_a_warning_over_five_percent(small_db):
    with duckdb.connect(str(small_db), read_only=True) as con:
        run = meeting.runner(con)
        february_2023, february_2024 = meeting.month_quality(run, FEB_2023), meeting.month_quality(run, FEB_2024)
    assert february_2024.sentence() == ("Leicestershire Police, February 2024: 8 crimes in the files, "
                                        "5 placed in an area, 3 not placed (37.5%)")
    assert february_2023.sentence() == ("Leicestershire Police, February 2023: 10 crimes in the files, "
                                        "8 placed in an area, 2 not placed (20.0%)")
    assert february_2024.warning().startswith("37.5% of February 2024\u2019s crimes (3 of 8) are not placed")


def test_the_month_quality_of_a_month_with_every_record_placed_has_no_warning(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        quality = meeting.month_quality(meeting.runner(con), dt.date(2024, 1, 1))
    assert quality.not_placed == 0 and quality.placed == quality.records > 0
    assert quality.warning() is None


def test_yoy_prints_the_not_placed_lines_and_the_force_worked_by_hand(cli, small_db):
    result = cli("yoy", "--month", "2024-02", db=small_db)
    assert result.returncode == 0
    # Both months leave over 5% of their crimes in no area (37.5% and 20.0%), so the areas' changes
    # are not tested (tests/test_incomplete_months.py); the lines of the force and of the records
    # in no area keep theirs. p-values by hand, p = 2 P(X <= smaller) for X ~ Binomial(n, 1/2), capped at 1:
    # 2 against 2, 1 against 0: 1;
    # the force, 8 against 10: 2 (1 + 18 + 153 + 816 + 3060 + 8568 + 18564 + 31824 + 43758) / 2^18
    # = 213524 / 262144 = 0.8145294...
    assert result.stdout.splitlines() == [
        HEADER,
        "Charnwood,2,5,-60.0,,",
        "Melton and Rutland,3,3,0.0,,",
        "City Centre,0,0,,,",
        "East Leicester,0,0,,,",
        "Harborough and Wigston,0,0,,,",
        "Hinckley and Blaby,0,0,,,",
        "North West Leicestershire,0,0,,,",
        "West Leicester,0,0,,,",
        "Not placed in an area: no location given,2,2,0.0,1.00000,false",
        "Not placed in an area: located outside the force area,1,0,,1.00000,false",
        "Leicestershire Police,8,10,-20.0,0.814529,false",
    ]
    assert result.stderr.strip() == (
        "note: the areas' changes are not tested (p_value and notable left empty), because February 2024 had "
        "37.5% of its crimes not placed in an area; February 2023 had 20.0% of its crimes not placed in an area, "
        "so the areas' counts are incomplete; the force's line counts every record")


def test_yoy_with_no_year_before_leaves_blanks_and_says_why(cli, small_db):
    result = cli("yoy", "--month", "2023-02", db=small_db)
    assert result.returncode == 0
    rows = {r["area"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["Leicestershire Police"] == {"area": "Leicestershire Police", "count": "10", "count_previous_year": "",
                                             "change_pct": "", "p_value": "", "notable": ""}
    assert rows["Not placed in an area: no location given"]["count"] == "2"
    assert all(r["count_previous_year"] == r["change_pct"] == r["p_value"] == r["notable"] == "" for r in rows.values())
    assert result.stderr.strip() == "note: there are no figures for February 2022, so no change or test is given"


def test_yoy_of_a_crime_type_missing_a_year_before_in_an_area_reads_zero(cli, small_db):
    result = cli("yoy", "--month", "2024-02", "--crime-type", "Bicycle theft", db=small_db)
    assert result.returncode == 0, result.stderr
    rows = {r["area"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    # 0 against 1; no test, as both months leave over 5% of their crimes in no area
    assert rows["Melton and Rutland"] == {"area": "Melton and Rutland", "count": "0", "count_previous_year": "1",
                                          "change_pct": "-100.0", "p_value": "", "notable": ""}
    assert rows["Leicestershire Police"]["count"] == "1" and rows["Leicestershire Police"]["count_previous_year"] == "3"


def test_the_areas_page_says_there_is_no_year_before_and_shows_the_months_counts(app, small_db):
    at = app(db=small_db, month="2023-02")
    at.run()
    at.switch_page("pages/areas.py").run()
    assert not at.exception
    assert any("There are no figures for February 2022" in i.value for i in at.info)
    table = at.dataframe[0].value
    assert list(table.Area)[-2:] == ["Not placed in an area: no location given", "Leicestershire Police"]
    assert list(table["February 2023"])[-2:] == [2, 10]
    # no empty chart of changes: its caption is not there either
    assert not any(c.value.startswith("Each bar is labelled") for c in at.caption)
    captions = [c.value.replace("\\", "") for c in at.sidebar.caption]  # as shown: markdown escapes gone
    assert any("10 crimes in the files, 8 placed in an area, 2 not placed (20.0%)" in c for c in captions), captions
    assert any("20.0% of February 2023" in w.value.replace("\\", "") for w in at.main.warning)


# --- The real files ---------------------------------------------------------------------------------

def counted_in_the_files(paths: list[Path]) -> Counter:
    """(month, crime type) -> records, and (month, 'All crime') -> records other than anti-social
    behaviour, with Python's csv and gzip modules: nothing shared with the importer."""
    counts = Counter()
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                counts[row["Month"], row["Crime type"]] += 1
                if row["Crime type"] != "Anti-social behaviour":
                    counts[row["Month"], "All crime"] += 1
    return counts


@pytest.fixture(scope="module")
def lancashire_db(real_data, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("lancashire") / "lancashire.duckdb"
    import_police_uk(street_files(real_data, "lancashire"), path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("force", ["leicestershire", "lancashire"])
def test_the_forces_figures_equal_an_independent_count_of_every_record_in_the_files(force, real_data, request):
    db = request.getfixturevalue("llr_db" if force == "leicestershire" else "lancashire_db")
    expected = counted_in_the_files(street_files(real_data, force))
    found = Counter({(m, t): n for m, t, n in query(db, """
        select strftime(month, '%Y-%m'), crime_type, crime_count from area_month_totals where area_id = ?
    """, [force])})
    assert +found == expected  # +: the zero rows (no record of a type that month) drop out
    months_with_files = {m for m, _ in expected}
    assert {m for m, _ in found} == months_with_files


@pytest.mark.slow
def test_yoy_on_the_real_files_with_no_year_before_runs_and_is_blank(cli, llr_db):
    result = cli("yoy", "--month", "2024-01", db=llr_db)
    assert result.returncode == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.stdout.splitlines()[0] == HEADER
    assert rows[-1]["area"] == "Leicestershire Police"
    assert all(r["count_previous_year"] == r["change_pct"] == r["p_value"] == r["notable"] == "" for r in rows)
    assert sum(int(r["count"]) for r in rows[:-1]) == int(rows[-1]["count"])
    assert result.stderr.strip() == "note: there are no figures for January 2023, so no change or test is given"
