"""`import home-office`, `import returns`, area mappings and the committed area lookups."""
from __future__ import annotations

import datetime as dt
import filecmp
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scrutiny.geography.area_lookups import derive
from scrutiny.load.home_office import quarter_start
from scrutiny.core.paths import AREAS_DIR
from tests.ingest_helpers import copy_db, every_table, refused_import
from tests.helpers import run_cli

HO_COLUMNS = ["Financial Year", "Financial Quarter", "Force Name", "CSP Name", "Offence Description",
              "Offence Group", "Offence Subgroup", "Offence Code"]


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def refused_file(kind: str, text: str, demo_db: Path, tmp_path: Path) -> tuple[Path, str]:
    """`import KIND` of a file holding TEXT into a copy of the demo, refused: the file and the line."""
    db = copy_db(demo_db, tmp_path / "db")
    path = tmp_path / f"{kind}.csv"
    path.write_text(text)
    return path, refused_import(kind, db, path)


def ho_frame(year: str, count_column: str) -> pd.DataFrame:
    """Two CSPs, two quarters, two offence codes in one group: small, and every sum checkable."""
    rows = []
    for quarter in (1, 2):
        for csp, base in (("Leicester", 100), ("Charnwood", 40)):
            rows.append([year, quarter, "Leicestershire", csp, "Burglary - residential", "Theft offences",
                         "Burglary", "28E", base + quarter])
            rows.append([year, quarter, "Leicestershire", csp, "Burglary - business", "Theft offences",
                         "Burglary", "30C", 10])
            rows.append([year, quarter, "Leicestershire", csp, "Robbery of personal property", "Robbery",
                         "Robbery", "34B", 3])
    return pd.DataFrame(rows, columns=HO_COLUMNS + [count_column])


# --- Home Office tables ----------------------------------------------------------------------

@pytest.mark.slow
def test_a_home_office_csv_gives_quarterly_counts_per_csp_and_offence_group(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "db")
    table = tmp_path / "prc-csp-2324.csv"
    ho_frame("2023/24", "Offence Count").to_csv(table, index=False)
    code, out, err = run_cli("import", "home-office", table, "--db", db)
    assert code == 0, err
    assert query(db, """
        select csp_name, financial_year, quarter, quarter_start, offence_group, offence_count
        from quarterly_offences order by csp_name, quarter, offence_group
    """) == [
        ("Charnwood", "2023/24", 1, dt.date(2023, 4, 1), "Robbery", 3),
        ("Charnwood", "2023/24", 1, dt.date(2023, 4, 1), "Theft offences", 51),
        ("Charnwood", "2023/24", 2, dt.date(2023, 7, 1), "Robbery", 3),
        ("Charnwood", "2023/24", 2, dt.date(2023, 7, 1), "Theft offences", 52),
        ("Leicester", "2023/24", 1, dt.date(2023, 4, 1), "Robbery", 3),
        ("Leicester", "2023/24", 1, dt.date(2023, 4, 1), "Theft offences", 111),
        ("Leicester", "2023/24", 2, dt.date(2023, 7, 1), "Robbery", 3),
        ("Leicester", "2023/24", 2, dt.date(2023, 7, 1), "Theft offences", 112),
    ]
    assert "12 rows, 8 counts by CSP, quarter and offence group, 2023/24 Q1 to 2023/24 Q2" in out
    assert query(db, "select source, row_count from provenance where source like 'Home Office%'") == [
        ("Home Office: prc-csp-2324.csv", 12)]
    again = every_table(db, ("loaded_at",))
    assert run_cli("import", "home-office", table, "--db", db)[0] == 0
    assert every_table(db, ("loaded_at",)) == again  # idempotent


@pytest.mark.parametrize("suffix, engine", [(".xlsx", "openpyxl"), (".ods", "odf")])
@pytest.mark.slow
def test_a_workbook_with_a_sheet_per_year_and_the_older_count_column_is_read(suffix, engine, demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "db")
    book = tmp_path / f"prc-csp-tables{suffix}"
    with pd.ExcelWriter(book, engine=engine) as writer:
        pd.DataFrame({"Notes": ["Police recorded crime by CSP", "Source: Home Office"]}).to_excel(
            writer, sheet_name="Notes", index=False)
        ho_frame("2014/15", "Number of Offences").to_excel(writer, sheet_name="2014-15", index=False)
        ho_frame("2015/16", "Number of Offences").to_excel(writer, sheet_name="2015-16", index=False)
    code, out, err = run_cli("import", "home-office", book, "--db", db)
    assert code == 0, err
    assert query(db, """
        select financial_year, sum(offence_count) from quarterly_offences group by all order by all
    """) == [("2014/15", 111 + 51 + 112 + 52 + 4 * 3), ("2015/16", 111 + 51 + 112 + 52 + 4 * 3)]


@pytest.mark.parametrize("change, message", [
    (lambda f: f.drop(columns=["Offence Count"]),
     "line 1: no count column: neither 'Offence Count' nor 'Number of Offences'"),
    (lambda f: f.assign(**{"Number of Offences": 1}),
     "line 1: both 'Offence Count' and 'Number of Offences'; which is the count is unclear"),
    (lambda f: f.drop(columns=["CSP Name"]), "line 1: missing column 'CSP Name'"),
    (lambda f: f.astype({"Financial Year": object}).assign(**{"Financial Year": ["2023/24"] * 5 + ["2023"] * 7}),
     "line 7: financial year '2023' is not like 2023/24"),
    (lambda f: f.assign(**{"Financial Quarter": [1] * 3 + [5] * 9}), "line 5: financial quarter '5' is not 1, 2, 3 or 4"),
    (lambda f: f.astype({"Offence Count": object}).assign(**{"Offence Count": [1] * 11 + ["n/a"]}),
     "line 13: offence count 'n/a' is not a whole number of 0 or more"),
])
def test_a_bad_home_office_table_is_refused_and_changes_nothing(change, message, demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "db")
    table = tmp_path / "ho.csv"
    change(ho_frame("2023/24", "Offence Count")).to_csv(table, index=False)
    assert refused_import("home-office", db, table) == f"error: {table} {message}"


@pytest.mark.slow
def test_a_home_office_file_of_another_kind_is_refused(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "db")
    text = tmp_path / "ho.txt"
    text.write_text("Financial Year\n")
    assert refused_import("home-office", db, text) == f"error: {text}: not a CSV, XLSX or ODS file (by its name)"
    fake = tmp_path / "ho.xlsx"
    fake.write_text("Financial Year,Offence Count\n")
    assert refused_import("home-office", db, fake).startswith(f"error: {fake}: not a readable XLSX workbook")


def test_quarters_run_from_april():
    assert [quarter_start("2023/24", q) for q in (1, 2, 3, 4)] == [
        dt.date(2023, 4, 1), dt.date(2023, 7, 1), dt.date(2023, 10, 1), dt.date(2024, 1, 1)]


# --- the office's returns --------------------------------------------------------------------

RETURNS = """measure,area,period,value,denominator
victim_satisfaction,leicestershire,2024-01,78.5,610
victim_satisfaction,City Centre,2024-01,74,80
calls_999_in_10s,leicestershire,2023-12,91.2,15000
calls_999_in_10s,leicestershire,2024-01,92.5,
"""


@pytest.mark.slow
def test_returns_replace_the_synthetic_values_of_their_measures_and_are_rated(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "db")
    returns = tmp_path / "returns.csv"
    returns.write_text(RETURNS)
    code, out, err = run_cli("import", "returns", returns, "--db", db)
    assert code == 0, err
    assert query(db, """
        select measure_id, area_id, strftime(month, '%Y-%m'), value, denominator from measure_values
        where measure_id in ('victim_satisfaction', 'calls_999_in_10s') order by all
    """) == [("calls_999_in_10s", "leicestershire", "2023-12", 91.2, 15000.0),
             ("calls_999_in_10s", "leicestershire", "2024-01", 92.5, None),
             ("victim_satisfaction", "city-centre", "2024-01", 74.0, 80.0),
             ("victim_satisfaction", "leicestershire", "2024-01", 78.5, 610.0)]
    # Measures the file does not have keep their synthetic values, and the notice says so.
    assert query(db, "select count(*) > 12 from measure_values where measure_id = 'public_confidence'") == [(True,)]
    [(demo,)] = query(db, "select description from provenance where source = 'demo'")
    assert "Public confidence" in demo and "Victim satisfaction" not in demo
    assert query(db, """
        select rag from ratings where measure_id = 'calls_999_in_10s' and area_id = 'leicestershire' and month = '2024-01-01'
    """) == [("not rated",)]  # two months are not enough to rate
    again = every_table(db, ("loaded_at",))
    assert run_cli("import", "returns", returns, "--db", db)[0] == 0
    assert every_table(db, ("loaded_at",)) == again


@pytest.mark.parametrize("line, message", [
    ("satisfaction,leicestershire,2024-01,78", "unknown measure 'satisfaction' (the plan's measures: all_crime, "),
    ("all_crime,leicestershire,2024-01,78", "all_crime is counted from crime records, not taken from returns"),
    ("victim_satisfaction,Atlantis,2024-01,78", "unknown area 'Atlantis'"),
    ("calls_999_in_10s,City Centre,2024-01,78", "calls_999_in_10s is reported for the whole force only, not for City Centre"),
    ("victim_satisfaction,leicestershire,Jan 2024,78", "period 'Jan 2024' is not a month in the form YYYY-MM"),
    ("victim_satisfaction,leicestershire,2024-01,178", "victim_satisfaction is a percentage, so 178 must be between 0 and 100"),
    ("victim_satisfaction,leicestershire,2024-01,high", "value 'high' is not a number"),
    ("victim_satisfaction,leicestershire,2024-01,78,0", "denominator 0 must be more than 0"),
    ("victim_satisfaction,leicestershire,2024-01,78.5,610", "victim_satisfaction for leicestershire in 2024-01 is also on line 2"),
])
def test_a_bad_return_is_refused_with_its_line_and_changes_nothing(line, message, demo_db, tmp_path):
    header, first = RETURNS.splitlines()[:2]
    returns, refusal = refused_file("returns", f"{header}\n{first}\n{line}\n", demo_db, tmp_path)
    assert refusal.startswith(f"error: {returns} line 3: {message}")


@pytest.mark.slow
def test_a_returns_file_with_wrong_columns_or_encoding_is_refused(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "db")
    returns = tmp_path / "returns.csv"
    returns.write_text("measure,place,period,value\n")
    assert refused_import("returns", db, returns) == (
        f"error: {returns} line 1: wrong columns (missing area; unexpected 'place'); a returns file has "
        "measure,area,period,value and optionally denominator")
    returns.write_bytes(RETURNS.encode() + "victim_satisfaction,Melton and Rutland,2024-01,7\xb75\n".encode("latin-1"))
    assert refused_import("returns", db, returns).startswith(f"error: {returns} line 6: not UTF-8 text (byte 0xB7")
    missing = tmp_path / "missing.duckdb"
    returns.write_text(RETURNS)
    code, _, err = run_cli("import", "returns", returns, "--db", missing)
    assert code == 2 and "no such database" in err and not missing.exists()


# --- area mappings and lookups ---------------------------------------------------------------

@pytest.mark.parametrize("rules, message", [
    ("district,Blaby,south,South\nborough,Melton,east,East", " line 3: level must be 'district' or 'lsoa', not 'borough'"),
    ("district,Blaby,south,South\nlsoa,E0101,south,South", " line 3: 'E0101' is not an LSOA code (E01... or W01...)"),
    ("district,Blaby,south,South\ndistrict,Melton,South Area,South", " line 3: area_id 'South Area' must be lower-case"),
    ("district,Blaby,south,South\ndistrict,Melton,south,Southern", " line 3: area south is called 'South' on an earlier line"),
    ("district,Blaby,south,South\ndistrict,E07000129,north,North", " line 3: district Blaby already has a rule, on line 2"),
    ("district,Blaby,south,South\ndistrict,Burnley,north,North", ": a mapping must be for one force"),
])
def test_a_bad_area_mapping_is_refused(rules, message, demo_db, tmp_path):
    mapping, refusal = refused_file("areas", f"level,code,area_id,area_name\n{rules}\n", demo_db, tmp_path)
    assert refusal.startswith(f"error: {mapping}{message}")


def test_remapping_a_force_that_was_never_imported_is_refused(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "db")
    assert refused_import("areas", db, AREAS_DIR / "llr_area_rules.csv").endswith(
        "the mapping is for leicestershire, whose data.police.uk records have not been imported")


def test_the_committed_area_lookups_are_what_the_real_files_give(real_data, tmp_path):
    derive(real_data, tmp_path)
    for path in sorted(tmp_path.glob("*.csv")):
        assert filecmp.cmp(path, AREAS_DIR / path.name, shallow=False), f"{path.name} differs from data/areas"
    assert len(list(tmp_path.glob("*.csv"))) == 2
