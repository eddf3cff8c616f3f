"""2011 LSOA names of districts abolished or renamed since ("Daventry 001A", "Shepway 001A") are
placed by the district that replaced them (data/areas/former_districts.csv), so a record in
another force's former district is "outside the force", not "unknown district"."""
from __future__ import annotations

import csv
import gzip
import re

import duckdb
import pytest

from scrutiny.core.paths import AREAS_DIR
from tests.helpers import run_cli

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
          "Crime type,Last outcome category,Context")
SUFFIX = re.compile(r" [0-9]{3}[A-Z]$")


def street_file(folder, force_name: str, force_id: str, records: list[tuple[str, str]]):
    path = folder / f"2021-01-{force_id}-street.csv"
    path.write_text("\n".join([HEADER] + [
        f"id-{i},2021-01,{force_name},{force_name},-1.0,52.3,On or near High Street,{code},{name},"
        f"Burglary,Under investigation," for i, (code, name) in enumerate(records)]) + "\n")
    return path


def rows(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_records_in_former_districts_of_another_force_are_outside_it_not_unknown(tmp_path):
    # 2 in Charnwood (placed), 2 in Daventry and 1 in Kettering (Northamptonshire since 2021:
    # outside), 1 in Shepway (Folkestone and Hythe since 2018, Kent: outside) and 1 in a place
    # that never was a district (the only unknown one).
    path = street_file(tmp_path, "Leicestershire Police", "leicestershire", [
        ("E01025626", "Charnwood 001A"), ("E01025626", "Charnwood 001A"),
        ("E01027100", "Daventry 001A"), ("E01027101", "Daventry 001B"),
        ("E01027200", "Kettering 002B"), ("E01024500", "Shepway 001A"),
        ("E01099999", "Atlantis 001A")])
    db = tmp_path / "former.duckdb"
    code, out, err = run_cli("import", "police-uk", path, "--db", db)
    assert code == 0, err
    assert rows(db, "select reason, sum(crime_count)::integer from unplaced_counts group by all order by all") == [
        ("outside the force", 4), ("unknown district", 1)]
    assert rows(db, "select area_id, sum(crime_count)::integer from monthly_counts where crime_count > 0 group by all") == [("charnwood", 2)]
    assert "4 outside the force, 1 unknown district" in out


def test_a_former_district_of_the_force_itself_is_placed_in_its_successor(tmp_path):
    # Northamptonshire gets its CSPs as areas; Daventry and Northampton are West Northamptonshire's,
    # Corby North Northamptonshire's.
    path = street_file(tmp_path, "Northamptonshire Police", "northamptonshire", [
        ("E01027100", "Daventry 001A"), ("E01027300", "Northampton 010C"), ("E01027000", "Corby 003A")])
    db = tmp_path / "northants.duckdb"
    code, _, err = run_cli("import", "police-uk", path, "--db", db)
    assert code == 0, err
    assert rows(db, """select a.area_name, sum(m.crime_count)::integer from monthly_counts m join areas a using (area_id)
                       group by all order by all""") == [("North Northamptonshire", 1), ("West Northamptonshire", 2)]
    assert rows(db, "select count(*) from unplaced_counts") == [(0,)]


def test_each_former_district_names_a_district_of_the_lookup():
    with (AREAS_DIR / "districts.csv").open(newline="", encoding="utf-8") as f:
        districts = {d["district_code"]: d for d in csv.DictReader(f)}
    with (AREAS_DIR / "former_districts.csv").open(newline="", encoding="utf-8") as f:
        former = list(csv.DictReader(f))
    assert len(former) == 27
    for row in former:
        assert districts[row["district_code"]]["district_name"] == row["district_name"]
        assert row["former_name"] not in {d["lsoa_prefix"] for d in districts.values()}
        assert row["change"] in {"merged", "renamed"}


def test_every_2011_lsoa_name_begins_with_a_district_or_a_former_district(real_data):
    """The ONS 2011 LSOA centroids name all 34,753 LSOAs of England and Wales: each name's district
    is in districts.csv or former_districts.csv, so no 2011 LSOA is an unknown district."""
    with (AREAS_DIR / "districts.csv").open(newline="", encoding="utf-8") as f:
        known = {d["lsoa_prefix"] for d in csv.DictReader(f)}
    with (AREAS_DIR / "former_districts.csv").open(newline="", encoding="utf-8") as f:
        former = {d["former_name"] for d in csv.DictReader(f)}
    centroids = real_data / "ons-lsoa11-pwc_iainfletcher" / \
        "Lower_Layer_Super_Output_Areas_December_2011_Population_Weighted_Centroids.csv.gz"
    with gzip.open(centroids, "rt", encoding="utf-8", newline="") as f:
        prefixes = {SUFFIX.sub("", row["lsoa11nm"]) for row in csv.DictReader(f)}
    assert len(prefixes) == 348  # 2011's districts of England and Wales
    assert prefixes - known == former


def test_former_districts_agree_with_the_ons_lookup_where_it_still_names_them(real_data):
    """The ONS LAD to CSP lookup (2021 LAD codes) keeps the old districts' names for some CSPs
    ("Corby" in North Northamptonshire): there, its district is the one former_districts.csv gives."""
    with (AREAS_DIR / "former_districts.csv").open(newline="", encoding="utf-8") as f:
        successor = {d["former_name"]: d["district_code"] for d in csv.DictReader(f)}
    with (real_data / "ons-lad-csp-pfa_macoj" / "lad_to_csp.csv").open(newline="", encoding="utf-8") as f:
        named = {row["csp-name"]: row["lad-code"] for row in csv.DictReader(f, delimiter=";")
                 if row["csp-name"] in successor}
    assert sorted(named) == ["Aylesbury Vale", "Bournemouth", "Chiltern", "Corby", "East Northamptonshire",
                             "Kettering", "Northampton", "Poole", "Shepway", "South Bucks", "Suffolk Coastal",
                             "Waveney", "Wellingborough", "Wycombe"]
    assert {name: successor[name] for name in named} == named
