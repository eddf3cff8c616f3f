"""A missing calendar month, told honestly: a handful of hand-written street files with June 2023
left out (as real downloads leave months out), through the importer, the Trends page, the charts
and the ratings. Every expected figure is worked out by hand from the files written here."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from scrutiny.core.months import Month, month_range
from tests.helpers import run_cli

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
          "Crime type,Last outcome category,Context")
FIRST, LAST, GAP = Month(2022, 5), Month(2024, 4), Month(2023, 6)
MONTHS = [m for m in month_range(FIRST, LAST) if m != GAP]  # 23 months of files
BURGLARIES_A_MONTH = 2  # each month: 2 burglaries in Blaby 002A (Hinckley and Blaby), nothing else
AREA = "llr-npa-hinckley-and-blaby"


def street_line(month: Month, number: int) -> str:
    return (f"{month.key}-{number},{month.key},Leicestershire Police,Leicestershire Police,-1.210015,52.621410,"
            f"On or near Hobill Close,E01025631,Blaby 002A,Burglary,Under investigation,")


@pytest.fixture(scope="module")
def gap_files(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("gap-files")
    paths = []
    for month in MONTHS:
        path = folder / month.key / f"{month.key}-leicestershire-street.csv"
        path.parent.mkdir()
        path.write_text("\n".join([HEADER] + [street_line(month, n) for n in range(BURGLARIES_A_MONTH)]) + "\n")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def gap_import(gap_files, tmp_path_factory) -> tuple[Path, str]:
    """(database, what the import printed)."""
    db = tmp_path_factory.mktemp("gap-db") / "gap.duckdb"
    code, out, err = run_cli("import", "police-uk", *gap_files, "--db", db)
    assert code == 0, err
    return db, out


def test_the_import_summary_names_the_missing_month(gap_import):
    _, out = gap_import
    assert ("Leicestershire Police: 23 street files, May 2022 to April 2024, 1 month missing: June 2023; "
            "46 records imported.") in out


def explanation(db: Path, measure: str, month: str) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        (text,), = con.execute("select explanation from ratings where measure_id = ? and area_id = 'hinckley-blaby' "
                               "and month = ?", [measure, Month.of(month)]).fetchall()
    return text


def test_a_rating_whose_window_spans_the_gap_names_the_missing_month(gap_import):
    db, _ = gap_import
    # 22 months of 2 burglaries from May 2022 to April 2024 (June 2023 missing): no variation at all
    assert explanation(db, "burglary", "2024-04") == (
        "Burglary in Hinckley and Blaby was 2 in April 2024. That is the same as a year before (2). "
        "From May 2022 to April 2024, the normal range was 2 to 2 a month. June 2023 is missing from the data. "
        "This month was within that range, with no unusual pattern. There is no target. Rated amber: no clear change.")
    # May 2023's window (May 2022 to May 2023) is before the gap: nothing is missing from it
    assert "missing" not in explanation(db, "burglary", "2023-05")


def test_the_trends_page_leaves_the_total_blank_and_names_the_missing_month(gap_import, app):
    db, _ = gap_import
    at = app(db=db, area="hinckley-blaby", crime_type="Burglary", month="2024-04")
    at.run()
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    # May 2023 to April 2024 is short of June 2023: no total, and the note says why
    assert "There is no 12-month total to April 2024: not all 12 months are in the data. June 2023 is missing " \
           "from the data." in [info.value for info in at.info]
    assert [c.value for c in at.sidebar.caption][0] == "1 month missing: June 2023."


def test_the_trends_page_gives_a_total_when_the_twelve_months_are_all_there(gap_import, app):
    db, _ = gap_import
    # June 2022 to May 2023: all 12 months, 2 burglaries each, no note
    at = app(db=db, area="hinckley-blaby", crime_type="Burglary", month="2023-05")
    at.run()
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    assert not [info.value for info in at.info if "12-month total" in info.value]


def test_the_hot_spot_period_says_how_many_of_its_12_months_have_data():
    from scrutiny.show.map_views import hotspot_period
    # the shared Leicestershire files: October 2022, then January to April 2024
    have = ["2022-09", "2022-10", "2024-01", "2024-02", "2024-03", "2024-04"]
    assert hotspot_period(Month(2024, 4), have) == (
        "12 months to April 2024 (4 with data)",
        "Only 4 of the 12 months to April 2024 have data, so the counts are of those months only. "
        "May 2023 to December 2023 are missing from the data.")
    every = [m.key for m in month_range(Month(2023, 5), Month(2024, 4))]
    assert hotspot_period(Month(2024, 4), every) == ("12 months to April 2024", None)


def test_the_hot_spot_map_counts_the_calendar_months_it_has(gap_import, app):
    db, _ = gap_import
    at = app(db=db, month="2024-04", hotspots="hinckley-blaby")
    at.run()
    at.switch_page("pages/areas.py").run()
    assert not at.exception
    assert ("Only 11 of the 12 months to April 2024 have data, so the counts are of those months only. "
            "June 2023 is missing from the data.") in [info.value for info in at.info]
    busiest = at.dataframe[-1].value
    # Blaby 002A: 2 burglaries in each of the 11 months from May 2023 to April 2024 that have files
    assert busiest.to_dict("records")[0] == {"LSOA": "Blaby 002A", "Code": "E01025631",
                                            "Crimes, 12 months to April 2024 (11 with data)": 22}


def test_on_the_real_leicestershire_files_the_total_to_april_2024_is_blank_and_the_gap_is_named(llr_db, app):
    # the shared files have no November 2022 to December 2023: the 12 months to April 2024
    # (May 2023 to April 2024) have only January to April 2024
    at = app(db=llr_db, area="leicestershire", crime_type="All crime", month="2024-04")
    at.run()
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    assert ("There is no 12-month total to April 2024: not all 12 months are in the data. May 2023 to December 2023 "
            "are missing from the data.") in [info.value for info in at.info]
    assert [c.value for c in at.sidebar.caption][0] == "14 months missing: November 2022 to December 2023."
