"""`import population`: Census populations from the real files give the areas' populations and
rates, a changed file changes them, and a broken file is refused with one line, changing nothing."""
from __future__ import annotations

import csv
import datetime as dt
import gzip
from pathlib import Path

import duckdb
import pytest

from scrutiny.store import queries
from scrutiny.core.paths import AREAS_DIR
from tests.ingest_helpers import copy_db, month_file, refused_import
from tests.helpers import run_cli

POP = "census2021-pop_cwthom"
LSOA_WIDE = f"{POP}/DERIVED_census21_usual_residents_lsoa21_llr_wide.csv"
LSOA_LONG = f"{POP}/census21_usual_residents_lsoa21_age6_ew.csv.gz"
DISTRICTS = f"{POP}/DERIVED_census21_usual_residents_lad22_ew.csv"
FORCES = f"{POP}/DERIVED_census21_usual_residents_pfa_ew.csv"
CITY = ("city-centre", "east-leicester", "west-leicester")


def query(path: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def populations(db: Path) -> dict[str, tuple]:
    return {a: tuple(rest) for a, *rest in query(db, """
        select area_id, population, population_source, population_year from areas order by area_id""")}


def imported(db: Path, *argv) -> str:
    code, out, err = run_cli("import", "population", *argv, "--db", db)
    assert code == 0, err
    return out


def wide_rows(real: Path) -> list[dict]:
    with (real / LSOA_WIDE).open(newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow  # imports populations into a copy of the demo, 2-6 s
def test_the_llr_lsoa_file_gives_the_demos_populations_and_says_where_they_came_from(demo_db, real_data, tmp_path):
    db = copy_db(demo_db, tmp_path)
    before = populations(db)
    out = imported(db, real_data / LSOA_WIDE)
    assert out == (f"{real_data / LSOA_WIDE}: 634 LSOA populations (Census 2021), 1,121,954 people; "
                   "9 areas' populations updated (0 changed, 9 with only a new source).\n")
    after = populations(db)
    source = ("Census 2021 usual residents (ONS), from DERIVED_census21_usual_residents_lsoa21_llr_wide.csv, "
              "summed from LSOAs")
    for area_id, (people, _, year) in before.items():
        if area_id.startswith("peer-"):
            assert after[area_id] == before[area_id]  # synthetic peers keep theirs
        else:
            assert after[area_id] == (people, source, 2021), area_id
    assert query(db, "select count(*), sum(population), min(year) from populations where level = 'lsoa'") == [(634, 1_121_954, 2021)]


# The Census 2021 usual residents of LLR's nine districts, as in data/areas/districts.csv.
LLR_DISTRICTS = {"E06000016": 368_558, "E06000017": 41_043, "E07000129": 102_920, "E07000130": 183_962,
                 "E07000131": 97_618, "E07000132": 113_649, "E07000133": 51_742, "E07000134": 104_713,
                 "E07000135": 57_749}


def district_file(path: Path, people: dict[str, int]) -> Path:
    path.write_text("code,total\n" + "".join(f"{code},{n}\n" for code, n in people.items()))
    return path


@pytest.mark.slow  # imports populations into a copy of the demo, 2-6 s
def test_a_file_with_the_same_figures_changes_no_area_only_its_source(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "db")
    before = populations(db)
    # The five county areas and the force take district figures (the city's three are split);
    # the demo's figures are the same Census 2021 counts, so only the source named changes.
    out = imported(db, district_file(tmp_path / "llr_districts_2021.csv", LLR_DISTRICTS))
    assert out.endswith("9 district populations (Census 2021), 1,121,954 people; "
                        "6 areas' populations updated (0 changed, 6 with only a new source).\n")
    assert {a: p[0] for a, p in populations(db).items()} == {a: p[0] for a, p in before.items()}
    # 100 more in Melton changes Melton and Rutland and the force; the other four keep their number.
    out = imported(db, district_file(tmp_path / "llr_districts_2021_revised.csv",
                                     LLR_DISTRICTS | {"E07000133": 51_842}))
    assert out.endswith("1,122,054 people; 6 areas' populations updated (2 changed, 4 with only a new source).\n")
    assert populations(db)["melton-rutland"][0] == 51_742 + 41_043 + 100


@pytest.mark.slow  # imports populations into a copy of the demo, 2-6 s
def test_the_summary_counts_only_areas_that_changed_and_a_reimport_changes_nothing(demo_db, real_data, tmp_path):
    db = copy_db(demo_db, tmp_path / "db")
    imported(db, real_data / DISTRICTS)
    # After the districts, the force's 1,121,954 is the sum of its nine districts; the force
    # file's own figure for Leicestershire is the same number, so only the force area's source
    # changes. Its five county areas keep district figures and are not counted as updated.
    out = imported(db, real_data / FORCES)
    assert out.endswith("43 police force area populations (Census 2021), 59,597,114 people; "
                        "1 area's population updated (0 changed, 1 with only a new source).\n")
    assert populations(db)["leicestershire"] == (1_121_954, "Census 2021 usual residents (ONS), from "
                                                 "DERIVED_census21_usual_residents_pfa_ew.csv", 2021)
    before = populations(db)
    out = imported(db, real_data / FORCES)
    assert out.endswith("59,597,114 people; no area's population changed.\n")
    assert populations(db) == before


@pytest.mark.slow  # imports populations into a copy of the demo, 2-6 s
def test_a_changed_file_changes_the_areas_populations(demo_db, real_data, tmp_path):
    db = copy_db(demo_db, tmp_path / "db")
    rows = wide_rows(real_data)
    charnwood = [r for r in rows if r["LSOA21NM"].startswith("Charnwood ")]
    with (AREAS_DIR / "llr_area_rules.csv").open(newline="") as f:
        in_city_centre = {r["code"] for r in csv.DictReader(f) if r["area_id"] == "city-centre"}
    city_centre_lsoa = next(r["LSOA21CD"] for r in rows if r["LSOA21CD"] in in_city_centre)
    for row in rows:
        if row is charnwood[0]:
            row["total"] = str(int(row["total"]) + 1_000)
        if row["LSOA21CD"] == city_centre_lsoa:
            row["total"] = str(int(row["total"]) + 77)
    path = tmp_path / "llr_lsoa_population_2022.csv"
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = populations(db)
    out = imported(db, path)
    after = populations(db)
    source = "Population 2022, from llr_lsoa_population_2022.csv, summed from LSOAs"
    assert after["charnwood"] == (before["charnwood"][0] + 1_000, source, 2022)
    assert after["city-centre"] == (before["city-centre"][0] + 77, source, 2022)
    assert after["leicestershire"] == (before["leicestershire"][0] + 1_077, source, 2022)
    assert after["melton-rutland"] == (before["melton-rutland"][0], source, 2022)
    assert "(Population 2022)" not in out and "634 LSOA populations (2022), 1,123,031 people" in out


@pytest.mark.slow  # imports populations into a copy of the demo, 2-6 s
def test_district_figures_cover_the_county_areas_but_not_the_split_city(demo_db, real_data, tmp_path):
    db = copy_db(demo_db, tmp_path)
    before = populations(db)
    out = imported(db, real_data / DISTRICTS)
    after = populations(db)
    assert "331 district populations (Census 2021), 59,597,114 people; 6 areas' populations updated" in out
    assert after["hinckley-blaby"] == (113_649 + 102_920, "Census 2021 usual residents (ONS), from "
                                       "DERIVED_census21_usual_residents_lad22_ew.csv, summed from districts", 2021)
    assert after["leicestershire"][0] == 1_121_954
    assert all(after[a] == before[a] for a in CITY)


@pytest.mark.slow  # imports populations into a copy of the demo, 2-6 s
def test_a_force_figure_is_the_force_areas_population(demo_db, real_data, tmp_path):
    db = copy_db(demo_db, tmp_path)
    imported(db, real_data / FORCES)
    assert populations(db)["leicestershire"] == (
        1_121_954, "Census 2021 usual residents (ONS), from DERIVED_census21_usual_residents_pfa_ew.csv", 2021)


@pytest.fixture(scope="module")
def january_with_populations_db(real_data, tmp_path_factory) -> Path:
    """January 2024 of Leicestershire from data.police.uk, then every LSOA of England and Wales
    from the long Census file (age bands summed)."""
    db = tmp_path_factory.mktemp("real") / "scrutiny.duckdb"
    code, _, err = run_cli("import", "police-uk", month_file(real_data, "2024-01"), "--db", db)
    assert code == 0, err
    out = imported(db, real_data / LSOA_LONG)
    assert ": 35,672 LSOA populations (Census 2021), 59,597,114 people; " in out
    return db


@pytest.mark.slow
def test_a_rate_per_1000_is_the_count_over_the_summed_lsoa_populations(january_with_populations_db, real_data):
    with gzip.open(real_data / LSOA_LONG, "rt", newline="") as f:
        charnwood = sum(int(r["usual_residents"]) for r in csv.DictReader(f) if r["lsoa21_name"].startswith("Charnwood "))
    assert charnwood == 183_962
    month = dt.date(2024, 1, 1)
    with duckdb.connect(str(january_with_populations_db), read_only=True) as con:
        (count,), = con.execute("""
            select sum(crime_count) from monthly_counts where area_id = 'charnwood' and month = ?
              and crime_type = 'Burglary'""", [month]).fetchall()
        table = queries.run(con, "areas/area_comparison", month=month, crime_type="Burglary")
        source = con.execute("select population_source from areas where area_id = 'charnwood'").fetchone()[0]
    rate = table.set_index("area_id").loc["charnwood", "rate_per_1000"]
    assert count > 0 and rate == pytest.approx(round(1000 * count / charnwood, 2))
    assert source.endswith("from census21_usual_residents_lsoa21_age6_ew.csv.gz, summed from LSOAs")


@pytest.mark.slow
def test_a_later_police_uk_import_keeps_the_imported_populations(january_with_populations_db, real_data, tmp_path):
    db = copy_db(january_with_populations_db, tmp_path)
    path = tmp_path / "census21_charnwood_plus_one.csv"
    rows = wide_rows(real_data)
    rows[0]["total"] = str(int(rows[0]["total"]) + 1)  # Leicester 003A, in West Leicester
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    imported(db, path)
    west = populations(db)["west-leicester"]
    code, _, err = run_cli("import", "police-uk", month_file(real_data, "2024-02"), "--db", db)
    assert code == 0, err
    assert populations(db)["west-leicester"] == west
    assert west[1].startswith("Census 2021 usual residents (ONS), from census21_charnwood_plus_one.csv")


# --- a partial LSOA file ---------------------------------------------------------------------------

PRESTON = "lancashire-preston"  # Preston: 87 LSOAs, 147,829 people (districts.csv and the Census files)


@pytest.fixture(scope="module")
def lancashire_db(real_data, tmp_path_factory) -> Path:
    """January 2024 of Lancashire from data.police.uk: a force with no shipped LSOA list."""
    db = tmp_path_factory.mktemp("lancashire") / "scrutiny.duckdb"
    code, _, err = run_cli("import", "police-uk", month_file(real_data, "2024-01", "lancashire"), "--db", db)
    assert code == 0, err
    return db


def preston_file(real: Path, path: Path, first: int | None = None, extra: int = 0) -> Path:
    """Preston's LSOAs from the long Census file (the first few, or all), one row each; `extra`
    people added to the first."""
    people: dict[str, list] = {}
    with gzip.open(real / LSOA_LONG, "rt", newline="") as f:
        for r in csv.DictReader(f):
            if r["lsoa21_name"].startswith("Preston "):
                people.setdefault(r["lsoa21_code"], [r["lsoa21_name"], 0])[1] += int(r["usual_residents"])
    rows = list(people.items())[:first]
    rows[0][1][1] += extra
    path.write_text("LSOA21CD,LSOA21NM,total\n" + "".join(f"{c},{n},{t}\n" for c, (n, t) in rows))
    return path


def test_some_of_a_districts_lsoas_leave_its_loaded_figure_and_are_named(lancashire_db, real_data, tmp_path):
    db = copy_db(lancashire_db, tmp_path / "db")
    imported(db, real_data / DISTRICTS)
    before = populations(db)
    assert before[PRESTON][:2] == (147_829, "Census 2021 usual residents (ONS), from "
                                   "DERIVED_census21_usual_residents_lad22_ew.csv, summed from districts")
    path = preston_file(real_data, tmp_path / "census21_preston_part.csv", first=10)
    out = imported(db, path)
    # 10 of Preston's 87 LSOAs, 15,129 people, were once taken for all of Preston.
    assert out == (f"{path}: 10 LSOA populations (Census 2021), 15,129 people; no area's population changed; "
                   "LSOA figures not used, being incomplete: Preston (10 LSOAs, 15,129 of its 147,829 "
                   "people).\n")
    assert populations(db) == before


def test_some_of_a_districts_lsoas_leave_its_shipped_figure(lancashire_db, real_data, tmp_path):
    db = copy_db(lancashire_db, tmp_path / "db")
    before = populations(db)
    path = preston_file(real_data, tmp_path / "census21_preston_part.csv", first=10)
    out = imported(db, path)
    assert out.endswith("; no area's population changed; LSOA figures not used, being incomplete: "
                        "Preston (10 LSOAs, 15,129 of its 147,829 people).\n")
    assert populations(db) == before


def test_all_of_a_districts_lsoas_count_but_its_own_figure_wins(lancashire_db, real_data, tmp_path):
    db = copy_db(lancashire_db, tmp_path / "db")
    # All 87, 1,000 people more than the district's figure: within 1%, so they are all of it.
    path = preston_file(real_data, tmp_path / "census21_preston.csv", extra=1_000)
    out = imported(db, path)
    assert "87 LSOA populations (Census 2021), 148,829 people; 1 area's population updated (1 changed).\n" in out
    assert populations(db)[PRESTON] == (148_829, "Census 2021 usual residents (ONS), from census21_preston.csv, "
                                        "summed from LSOAs", 2021)
    imported(db, real_data / DISTRICTS)  # Preston lies wholly in one area: its own figure is preferred
    assert populations(db)[PRESTON][0] == 147_829
    imported(db, path)
    assert populations(db)[PRESTON][0] == 147_829


# --- broken files --------------------------------------------------------------------------------

def refused(db: Path, *argv) -> str:
    return refused_import("population", db, *argv)


HEADER = "LSOA21CD,LSOA21NM,total\n"
BROKEN = {
    "a population that is not a number": (
        "census21_bad.csv", HEADER + "E01013600,Leicester 003A,2171\nE01013601,Leicester 003B,lots\n",
        " line 3: population 'lots' (total) is not a whole number"),
    "a population of zero": (
        "census21_zero.csv", HEADER + "E01013600,Leicester 003A,0\n",
        " line 2: population 0 for E01013600; a population must be above zero"),
    "a code twice": (
        "census21_twice.csv", HEADER + "E01013600,Leicester 003A,2171\nE01013600,Leicester 003A,2171\n",
        " line 3: code E01013600 is also on line 2; each must be once"),
    "a code twice in a wide file with age columns": (
        "census21_twice_wide.csv", "LSOA21CD,LSOA21NM,total,Aged 15 years and under,Aged 65 years and over\n"
        "E01013600,Leicester 003A,2171,634,234\nE01013600,Leicester 003A,2000,600,200\n",
        " line 3: code E01013600 is also on line 2; each must be once"),
    "a code and age group twice in a long file": (
        "census21_twice_long.csv", "lsoa21_code,lsoa21_name,age_group,usual_residents\n"
        "E01013600,Leicester 003A,Aged 15 years and under,634\nE01013600,Leicester 003A,Aged 65 years and over,234\n"
        "E01013600,Leicester 003A,Aged 15 years and under,634\n",
        " line 4: E01013600 age_group 'Aged 15 years and under' is also on line 2; each must be once"),
    "mixed levels": (
        "census21_mixed.csv", "code,total\nE01013600,2171\nE07000130,183962\n",
        " line 3: E07000130 is a district code, but line 2 has an LSOA code; a file must be of one level"),
    "no code column": (
        "census21_nocode.csv", "place,total\nLeicester 003A,2171\n",
        " line 1: no column of ONS codes of LSOAs, districts or police force areas (like LSOA21CD, LAD22CD, "
        "PFA21CD or lsoa21_code); its columns are place, total"),
    "no population column": (
        "census21_nototal.csv", "LSOA21CD,people\nE01013600,2171\n",
        " line 1: no population column (total, usual_residents, population or all ages); its columns are LSOA21CD, people"),
    "no year": (
        "lsoa_people.csv", HEADER + "E01013600,Leicester 003A,2171\n",
        ": the year these populations count is not in the file's name or header; give it with --year (2021 for the Census)"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_population_file_is_refused_with_one_line_and_changes_nothing(case, demo_db, tmp_path):
    name, text, message = BROKEN[case]
    db = copy_db(demo_db, tmp_path / "db")
    path = tmp_path / name
    path.write_text(text)
    assert refused(db, path) == f"error: {path}{message}"


@pytest.mark.slow  # imports populations into a copy of the demo, 2-6 s
def test_the_year_can_be_given(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "db")
    path = tmp_path / "lsoa_people.csv"
    path.write_text(HEADER + "E01013600,Leicester 003A,2171\n")
    before = populations(db)
    # One LSOA of Leicester is not all of West Leicester: no area's population changes.
    assert "1 LSOA population (2019), 2,171 people; no area's population changed;" in imported(db, path, "--year", 2019)
    assert query(db, "select code, population, year from populations") == [("E01013600", 2171, 2019)]
    assert populations(db) == before
