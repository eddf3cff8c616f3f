"""Derive the small geography lookups in data/areas/ from public ONS files (developers only).

`python -m scrutiny derive-areas --real PATH` writes them; a test re-runs it against the real
files and checks the committed files are exactly what they give (see data/areas/README.md).

- districts.csv: every local authority district (LAD) of England and Wales with its Community
  Safety Partnership (CSP), police force area and Census 2021 usual residents.
- lsoa21_population_llr.csv: Census 2021 usual residents of Leicester, Leicestershire and
  Rutland's 2021 LSOAs, so that NPAs made of LSOAs (the city's) get a population.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

from scrutiny.geography import shipped_boundaries
from scrutiny.geography.areas import LLR_AREA_NAME, LLR_FORCE_ID

LAD_CSP_PFA = "ons-lad-csp-pfa_macoj/lad_to_csp.csv"
LAD_POPULATION = "census2021-pop_cwthom/DERIVED_census21_usual_residents_lad22_ew.csv"
LSOA_POPULATION_LLR = "census2021-pop_cwthom/DERIVED_census21_usual_residents_lsoa21_llr_wide.csv"

# LSOA names begin with the district's short name; these three LADs have a longer official name.
LSOA_PREFIX = {
    "Bristol, City of": "Bristol",
    "Herefordshire, County of": "Herefordshire",
    "Kingston upon Hull, City of": "Kingston upon Hull",
}
# data.police.uk's force ids are the police force area names in lower case with hyphens, except
# these two.
FORCE_ID = {"Metropolitan Police": "metropolitan", "London, City of": "city-of-london"}
# The name the area's own panel uses for the whole force area, where it differs from the PFA's.
FORCE_AREA_NAME = {LLR_FORCE_ID: LLR_AREA_NAME, "city-of-london": "City of London"}

DISTRICT_COLUMNS = ["district_code", "district_name", "lsoa_prefix", "csp_code", "csp_name",
                    "force_id", "force_area_name", "population"]
LSOA_COLUMNS = ["lsoa_code", "lsoa_name", "district_name", "population"]


def force_id_of(pfa_name: str) -> str:
    """'Devon & Cornwall' -> 'devon-and-cornwall', as data.police.uk names forces."""
    if pfa_name in FORCE_ID:
        return FORCE_ID[pfa_name]
    return re.sub(r"[^a-z0-9]+", "-", pfa_name.lower().replace("&", "and")).strip("-")


def district_rows(real: Path) -> list[dict]:
    with (real / LAD_POPULATION).open(newline="", encoding="utf-8") as f:
        population = {r["LAD22CD"]: int(r["total"]) for r in csv.DictReader(f)}
    by_code: dict[str, list[dict]] = {}
    with (real / LAD_CSP_PFA).open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            by_code.setdefault(row["lad-code"], []).append(row)
    rows = []
    for code, lookups in sorted(by_code.items()):
        first = lookups[0]
        force_id = force_id_of(first["PFA21NM"])
        # A LAD formed by merging districts (Buckinghamshire, North Northamptonshire ...) is listed
        # once per former CSP, some under old names: its own name is the honest CSP name.
        single_csp = len(lookups) == 1
        rows.append({
            "district_code": code,
            "district_name": first["lad-name"],
            "lsoa_prefix": LSOA_PREFIX.get(first["lad-name"], first["lad-name"]),
            "csp_code": first["csp-code"] if single_csp else "",
            "csp_name": first["csp-name"] if single_csp else first["lad-name"],
            "force_id": force_id,
            "force_area_name": FORCE_AREA_NAME.get(force_id, first["PFA21NM"]),
            "population": population.get(code, ""),
        })
    return rows


def lsoa_rows(real: Path) -> list[dict]:
    with (real / LSOA_POPULATION_LLR).open(newline="", encoding="utf-8") as f:
        return [{"lsoa_code": r["LSOA21CD"], "lsoa_name": r["LSOA21NM"], "district_name": r["LAD22NM"],
                 "population": r["total"]} for r in sorted(csv.DictReader(f), key=lambda r: r["LSOA21CD"])]


def derive(real: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "districts.csv", DISTRICT_COLUMNS, district_rows(real))
    _write(out / "lsoa21_population_llr.csv", LSOA_COLUMNS, lsoa_rows(real))
    shipped_boundaries.derive(real, out, out / "districts.csv")


def _write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
