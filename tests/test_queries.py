"""Every query file runs against the demo database (the maps' queries against the demo with real
boundaries and a month of real records), and the figures it returns are right."""
import datetime as dt
import shutil

import duckdb
import pytest
from scipy.stats import binomtest

from scrutiny.present import meeting
from scrutiny.geography.areas import DISTRICTS_FILE, FORMER_DISTRICTS_FILE, LSOA_POPULATION_GLOB
from scrutiny.core.paths import AREAS_DIR
from scrutiny.store import queries
from tests.ingest_helpers import month_file
from tests.helpers import run_cli

# A value for every parameter name that any query uses. A new parameter without a sample here
# makes test_every_query_runs fail, which is the point.
SAMPLE_PARAMETERS = {"month": dt.date(2024, 1, 1), "crime_type": "Burglary", "area": "city-centre",
                     "area_id": "city-centre",
                     "measure": "burglary", "since": dt.date(2023, 10, 1),
                     "first_month": dt.date(2023, 2, 1), "last_month": dt.date(2024, 1, 1), "level": "force"}


def test_there_are_query_files():
    assert len(queries.query_names()) >= 7


@pytest.fixture(scope="module")
def mapped_db(demo_with_boundaries, real_data, tmp_path_factory):
    """The demo with the real district, LSOA and force boundaries, and January 2024's real
    Leicestershire records (kept by LSOA, which the demo's counts are not)."""
    db = tmp_path_factory.mktemp("mapped") / "scrutiny.duckdb"
    shutil.copyfile(demo_with_boundaries, db)
    code, _, err = run_cli("import", "police-uk", month_file(real_data, "2024-01"), db=db)
    assert code == 0, err
    return db


@pytest.fixture(scope="module")
def mapped_con(mapped_db):
    con = duckdb.connect(str(mapped_db), read_only=True)
    yield con
    con.close()


# Queries of what only real street files have (the demo places every record in an area).
NEED_REAL_RECORDS = {"areas/not_placed"}


@pytest.mark.parametrize("name", queries.query_names())
def test_every_query_runs_and_returns_rows(demo_con, request, name):
    real = name.startswith("maps/") or name in NEED_REAL_RECORDS
    con = request.getfixturevalue("mapped_con") if real else demo_con
    params = {p: SAMPLE_PARAMETERS[p] for p in queries.parameters_of(name)}
    result = queries.run(con, name, **params)
    assert len(result) > 0


@pytest.mark.parametrize("name", queries.query_names())
def test_every_query_file_says_what_it_returns_on_its_first_line(name):
    assert queries.load(name).startswith("-- Returns ")


# The write statements (scrutiny/store/sql/, and the reads that only the importers make) run
# against a copy of the mapped demo, each in a transaction that is rolled back. A value for every parameter any of them uses, and what each
# needs done first, as its caller does it.
WRITE_PARAMETERS = {"force": "leicestershire", "path": str(DISTRICTS_FILE), "former_path": str(FORMER_DISTRICTS_FILE),
                    "files": sorted(str(p) for p in AREAS_DIR.glob(LSOA_POPULATION_GLOB)),
                    "area_ids": ["city-centre"], "populations": [1], "sources": ["test"], "years": [2021],
                    # a data.police.uk file of the month the mapped demo has imported
                    "kinds": ["street"], "names": ["another name"], "forces": ["leicestershire"],
                    "firsts": [dt.date(2024, 1, 1)], "lasts": [dt.date(2024, 1, 1)], "rows": [1], "sha": ["0" * 64],
                    "loaded": [dt.datetime(2024, 3, 1)], "by_month": True,
                    "measure": "charge_summons_rate", "charged": ["Awaiting court outcome", "Suspect charged"],
                    "not_charged": ["Investigation complete; no suspect identified", "Unable to prosecute suspect"],
                    # an area rule, a population file's and a boundary file's rows, of one LSOA of Blaby
                    "levels": ["lsoa"], "codes": ["E01025600"], "districts": ["Blaby"], "area_level": "npa",
                    "level": "lsoa", "people": [1500], "year": 2021, "source": "test.csv", "ons": ["E01025600"],
                    "geometries": ['{"type": "Point", "coordinates": [-1.2, 52.6]}'], "types": ["Point"],
                    "lons": [-1.2], "lats": [52.6], "vertices": [1], "parents": False, "dissolved": "dissolved from ",
                    "force_name": "Leicestershire Police",
                    # a return's value, and a Home Office table's count
                    "measure_ids": ["test_measure"], "months": [dt.date(2030, 1, 1)], "values": [25.0],
                    "denominators": [40.0], "force_names": ["Leicestershire Police"], "csps": ["Blaby"],
                    "financial_years": ["2023/24"], "quarters": [1], "starts": [dt.date(2023, 4, 1)],
                    "groups": ["Burglary"], "counts": [3],
                    # a plan's objective and measure, of a theme of the demo's plan, and a crime type
                    "theme_ids": ["reducing-offending"], "objective_ids": ["test-objective"],
                    "objective_names": ["A test objective"], "office_rags": ["amber"],
                    "office_reasons": ["a reason"], "office_dates": [dt.date(2024, 1, 1)], "sort_orders": [99],
                    "units": ["count"], "improvements": ["lower"], "descriptions": [None], "targets": [None],
                    "measure_areas": ["all"], "measure_sources": ["returns"],
                    "crime_types": ["A test crime type"], "in_all_crime": [True]}
NEW_FILES = "create or replace temp table new_files as select * from imported_files limit 0"
# The statements that run in the staging database itself read its tables by their own names
STAGED_HERE = [f"create or replace temp table {table} as select * from staging.{table}"
               for table in ("street_groups", "outcome_groups", "file_forces")]
WRITE_FIRST = {
    "geography/districts": ["delete from districts"],
    "geography/former_districts": ["delete from former_districts"],
    "geography/lsoa_populations": ["delete from lsoa_populations"],
    "geography/area_districts": ["delete from area_districts"],
    "geography/monthly_counts": ["geography/placed_records",
                                 "delete from monthly_counts where area_id in "
                                 "(select area_id from areas where force_id = 'leicestershire')"],
    "geography/unplaced_counts": ["geography/placed_records", "delete from unplaced_counts"],
    "load/lsoa_counts": ["load/staged_months", "load/staged_names"],
    "load/unlocated_counts": ["load/staged_months", "load/staged_names"],
    "load/outcome_counts": ["load/staged_months"],
    "load/new_files": [NEW_FILES],
    "load/replaced_files": [NEW_FILES, "load/new_files"],
    # the staged counts written, which the next import of their force-months replaces
    "load/replaced_lsoa_counts": ["load/staged_months", "load/staged_names", "load/lsoa_counts"],
    "load/replaced_unlocated_counts": ["load/staged_months", "load/staged_names", "load/unlocated_counts"],
    "load/replaced_outcome_counts": ["load/staged_months", "load/outcome_counts"],
    # another force's area in new_areas: the clash that stops a remapping
    "geography/clashing_areas": ["create or replace temp table new_areas as "
                                 "select * from areas where force_id <> 'leicestershire' limit 1"],
    "geography/areas": ["create or replace temp table new_areas as select 'test-area' as area_id, "
                        "'Test area' as area_name, 'npa' as area_level, 'leicestershire' as parent_id, "
                        "1500 as population, 99 as sort_order"],
    "load/replaced_values": ["create or replace temp table new_values as select * from measure_values limit 1"],
    "load/replaced_offences": ["load/new_offences", "insert into quarterly_offences select * from new_offences"],
    "load/file_records": ["insert into imported_files values ('returns', 'returns.csv', null, "
                          "'2024-01-01', '2024-01-01', 1, '0', '2024-03-01')"],
    "load/force_months": STAGED_HERE, "load/staged_facts": STAGED_HERE,
    # the months as DATEs, as DuckDB reads compute_ratings' Months
    "rate/new_ratings": ["create or replace temp table new_ratings as select * replace (evidence::varchar as evidence) "
                         "from ratings limit 1", "delete from ratings"],
    "rate/new_place_ratings": ["create or replace temp table new_place_ratings as select * from place_ratings limit 1",
                               "delete from place_ratings"],
    "rate/place_series": ["create or replace temp table street_measure_types as "
                          "select * from (values ('burglary', 'Burglary')) as t(measure_id, crime_type)"],
    "demo/measure_values": ["create or replace temp table demo_measure_values as select * from measure_values limit 1",
                            "delete from measure_values v using demo_measure_values d where v.measure_id = "
                            "d.measure_id and v.area_id = d.area_id and v.month = d.month"],
    "demo/peer_counts": ["create or replace temp table peer_counts as select * from monthly_counts limit 1",
                         "delete from monthly_counts c using peer_counts p where c.area_id = p.area_id "
                         "and c.crime_type = p.crime_type and c.month = p.month"],
}


@pytest.fixture(scope="module")
def staging_db(tmp_path_factory):
    """A data.police.uk import's staging database (load/police_uk.py) with one street file and
    one outcomes file of January 2030, grouped as the importer groups them: three burglaries in
    an LSOA of Blaby, two with no location, five of them by last outcome, four outcomes."""
    path = tmp_path_factory.mktemp("staging") / "staging.duckdb"
    con = duckdb.connect(str(path))
    con.execute("""
        create table street_groups as select * from (values
            ('a.csv', '2030-01', null, 'E01025600', 'Blaby 001A', 'Burglary', null, true, 3, 0),
            ('a.csv', '2030-01', null, null, null, 'Burglary', null, true, 2, 0),
            ('a.csv', '2030-01', 'Leicestershire Police', null, null, 'Burglary', 'Under investigation', false, 5, 0))
            t(file, month_text, falls_within, lsoa_code, lsoa_name, crime_type, outcome, by_lsoa, n, read_check);
        create table outcome_groups as select * from (values
            ('b.csv', '2030-01', 'Leicestershire Police', 'Local resolution', 4, 0))
            t(file, month_text, falls_within, outcome, n, read_check);
        create table file_forces as select * from (values
            ('a.csv', 'leicestershire', 'street'), ('b.csv', 'leicestershire', 'outcomes')) t(file, force_id, kind);
        create table force_months as select * from (values
            ('street', 'leicestershire', '2030-01-01'::date), ('outcomes', 'leicestershire', '2030-01-01'::date))
            t(kind, force_id, month)
    """)
    con.close()
    return path


@pytest.fixture(scope="module")
def writable_con(mapped_db, staging_db, tmp_path_factory):
    copy = tmp_path_factory.mktemp("writable") / "scrutiny.duckdb"
    shutil.copyfile(mapped_db, copy)
    con = duckdb.connect(str(copy))
    con.execute(f"attach '{staging_db}' as staging (read_only)")  # ATTACH takes no parameters
    yield con
    con.close()


def test_there_are_write_statements():
    assert "geography/placed_records" in queries.statement_names()


@pytest.mark.parametrize("name", queries.statement_names())
def test_every_write_statement_runs_and_writes_rows(writable_con, name):
    def write(statement):
        params = {p: WRITE_PARAMETERS[p] for p in queries.statement_parameters(statement)}
        return queries.write(writable_con, statement, **params).fetchall()

    writable_con.begin()
    try:
        for first in WRITE_FIRST.get(name, []):
            write(first) if "/" in first else writable_con.execute(first)
        result = write(name)
    finally:
        writable_con.rollback()
    # rows, or for a write DuckDB's [(rows written,)]
    assert result and result[0][0] not in (0, None), result


@pytest.mark.parametrize("name", queries.statement_names())
def test_every_write_statement_says_what_it_writes_or_returns_on_its_first_line(name):
    assert queries.load_statement(name).startswith(("-- Writes ", "-- Returns "))


def test_a_query_refuses_to_run_without_its_parameters(demo_con):
    with pytest.raises(TypeError, match="needs"):
        queries.run(demo_con, "areas/area_comparison", month=dt.date(2024, 1, 1))


def test_a_query_name_cannot_escape_the_queries_folder():
    with pytest.raises(ValueError):
        queries.load("../scrutiny/store/schema/01_tables")


def test_area_comparison_computes_change_and_rate_from_the_counts(demo_con):
    table = queries.run(demo_con, "areas/area_comparison", month=dt.date(2023, 7, 1), crime_type="Burglary")
    populations = dict(demo_con.execute("select area_id, population from areas").fetchall())
    assert len(table) == 8
    for row in table.itertuples():
        now, then = demo_con.execute("""
            select sum(crime_count) filter (where month = '2023-07-01'), sum(crime_count) filter (where month = '2022-07-01')
            from monthly_counts where area_id = ? and crime_type = 'Burglary'
        """, [row.area_id]).fetchone()
        assert (row.crime_count, row.count_previous_year) == (now, then)
        assert row.change_pct == pytest.approx(round(100 * (now - then) / then, 1))
        assert row.rate_per_1000 == pytest.approx(round(1000 * now / populations[row.area_id], 2))
    assert list(table.change_pct) == sorted(table.change_pct)
    # counts only: whether a change is notable is scrutiny.rate.yoy's to say, not the query's
    assert not {"z", "p_value", "notable"} & set(table.columns)


def test_monthly_series_has_last_year_and_a_rolling_total(demo_con):
    series = queries.run(demo_con, "trends/monthly_series", area="leicestershire", crime_type="All crime")
    assert len(series) == 61
    assert series.rolling_12_month_total.isna().sum() == 11
    assert series.rolling_12_month_total.iloc[-1] == series.crime_count.iloc[-12:].sum()
    assert series.count_previous_year.iloc[-1] == series.crime_count.iloc[-13]
    assert series.count_previous_year.iloc[:12].isna().all()


def test_crime_type_changes_puts_all_crime_first_then_the_strongest_evidence_of_change(demo_con):
    table = meeting.crime_type_changes(meeting.runner(demo_con), "leicestershire", dt.date(2024, 1, 1))
    assert table.crime_type.iloc[0] == "All crime"
    assert len(table) == 15
    for row in table.itertuples():
        expected = binomtest(int(row.crime_count), int(row.crime_count + row.count_previous_year), 0.5).pvalue
        assert row.p_value == pytest.approx(expected, rel=1e-9)
        assert row.notable is bool(expected < 0.05)
    rest = table.p_value.iloc[1:].tolist()
    assert rest == sorted(rest)


def test_the_staged_counts_are_written_by_lsoa_with_their_district_and_without_a_location(writable_con):
    writable_con.begin()
    try:
        for statement in ("load/staged_months", "load/staged_names", "load/lsoa_counts", "load/unlocated_counts",
                          "load/outcome_counts"):
            queries.write(writable_con, statement)
        january_2030 = [dt.date(2030, 1, 1)]
        lsoas = writable_con.execute("select * from lsoa_counts where month = ?", january_2030).fetchall()
        unlocated = writable_con.execute("select * from unlocated_counts where month = ?", january_2030).fetchall()
        outcomes = writable_con.execute("select * from outcome_counts where month = ? order by basis",
                                        january_2030).fetchall()
    finally:
        writable_con.rollback()
    assert lsoas == [("leicestershire", dt.date(2030, 1, 1), "E01025600", "Blaby 001A", "Blaby", "Burglary", 3)]
    assert unlocated == [("leicestershire", dt.date(2030, 1, 1), "Burglary", 2)]
    assert outcomes == [("leicestershire", dt.date(2030, 1, 1), "last outcome", "Burglary", "Under investigation", 5),
                        ("leicestershire", dt.date(2030, 1, 1), "outcomes file", None, "Local resolution", 4)]
