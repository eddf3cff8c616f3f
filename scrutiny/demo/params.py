"""Derive the demo data's parameters from real data.police.uk files for Leicestershire.

Run once by a developer (`python -m scrutiny derive-demo --real PATH`) and the output committed
to data/demo/, so that building the demo needs nothing outside the repository. A test re-runs
this against the real files and checks that the committed parameters are what they give.
See data/demo/README.md for the method in words.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path

import duckdb

from scrutiny.core.crime_types import ANTI_SOCIAL_BEHAVIOUR, CRIME_TYPES
from scrutiny.core.months import Month
from scrutiny.core.paths import AREAS_DIR
from scrutiny.geography.areas import LLR_FORCE_ID
from scrutiny.store import db

LLR_AREA_RULES = "llr_area_rules.csv"  # the NPA mapping, in data/areas/ (see its README)

# Leicester Clock Tower: the middle of the city centre.
CLOCK_TOWER_LAT, CLOCK_TOWER_LON = 52.6363, -1.1332
CITY_CENTRE_RADIUS_KM = 1.5

# County NPAs are whole districts (local authority districts = CSPs in LLR).
COUNTY_NPAS = {
    "charnwood": ("Charnwood", ["Charnwood"]),
    "harborough-wigston": ("Harborough and Wigston", ["Harborough", "Oadby and Wigston"]),
    "hinckley-blaby": ("Hinckley and Blaby", ["Hinckley and Bosworth", "Blaby"]),
    "melton-rutland": ("Melton and Rutland", ["Melton", "Rutland"]),
    "north-west-leicestershire": ("North West Leicestershire", ["North West Leicestershire"]),
}
CITY_NPAS = {
    "city-centre": "City Centre",
    "east-leicester": "East Leicester",
    "west-leicester": "West Leicester",
}
AREA_ORDER = [
    "city-centre", "east-leicester", "west-leicester", "charnwood", "harborough-wigston",
    "hinckley-blaby", "melton-rutland", "north-west-leicestershire",
]
# Level and area mix come from the latest complete year in the real files.
SHARE_YEAR = ("2021-11-01", "2022-10-01")
# Months whose counts the pandemic moved; left out when working out the usual seasonal pattern.
PANDEMIC = (Month(2020, 3), Month(2021, 6))
DEMO_FIRST_MONTH, DEMO_LAST_MONTH = "2019-01-01", "2024-01-01"


def city_npa(lat: float, lon: float) -> str:
    """Approximate city NPA of a Leicester LSOA from its population-weighted centroid."""
    dy = (lat - CLOCK_TOWER_LAT) * 111.2
    dx = (lon - CLOCK_TOWER_LON) * 111.2 * math.cos(math.radians(CLOCK_TOWER_LAT))
    if math.hypot(dx, dy) <= CITY_CENTRE_RADIUS_KM:
        return "city-centre"
    return "west-leicester" if lon < CLOCK_TOWER_LON else "east-leicester"


def _district_npa(district: str) -> str | None:
    for area_id, (_, districts) in COUNTY_NPAS.items():
        if district in districts:
            return area_id
    return None


def lsoa_rules(real: Path) -> list[dict]:
    """Area mapping rules: one per county district, one per Leicester LSOA (2011 and 2021 codes)."""
    rules = []
    for area_id, (_, districts) in COUNTY_NPAS.items():
        rules += [{"level": "district", "code": d, "area_id": area_id, "area_name": COUNTY_NPAS[area_id][0]}
                  for d in districts]
    seen = set()
    sources = [
        (real / "ons-lsoa11-pwc_iainfletcher/DERIVED_lsoa11_pwc_llr.csv", "LSOA11CD", "LAD19NM", "lat", "lon"),
        (real / "ons-lsoa21-pwc_onsvisual/DERIVED_lsoa21_llr_pwc_bestfit_lsoa11.csv", "LSOA21CD", "LAD22NM", "pwc_lat", "pwc_lon"),
    ]
    for path, code_col, lad_col, lat_col, lon_col in sources:
        with path.open(newline="") as f:
            for row in csv.DictReader(f):
                if row[lad_col] != "Leicester" or row[code_col] in seen:
                    continue
                seen.add(row[code_col])
                npa = city_npa(float(row[lat_col]), float(row[lon_col]))
                rules.append({"level": "lsoa", "code": row[code_col], "area_id": npa, "area_name": CITY_NPAS[npa]})
    return rules


def _area_rules_table(con: duckdb.DuckDBPyConnection, rules: list[dict]) -> None:
    """The rules in an area_rules table, with the schema's LSOA-to-area rule (the macros of
    08_macros.sql) to read them, as an import would."""
    db.run_schema_file(con, "05_imports.sql")
    db.run_schema_file(con, "08_macros.sql")
    con.executemany("insert into area_rules values (?, ?, ?, ?, ?, 'npa')",
                    [(LLR_FORCE_ID, r["level"], r["code"], r["area_id"], r["area_name"]) for r in rules])


def derive(real: Path, out: Path, rules_path: Path = AREAS_DIR / LLR_AREA_RULES) -> None:
    """Write the demo parameters to `out`, and the LLR area mapping (which the importer uses
    too, so it lives in data/areas/) to `rules_path`."""
    con = duckdb.connect()
    rules = lsoa_rules(real)
    _area_rules_table(con, rules)
    street = str(real / "police-uk_*/*/*-leicestershire-street.csv.gz")
    types = ", ".join(f"'{t}'" for t in CRIME_TYPES)  # constants of this module, not user text
    con.execute(f"""
        create temp table crimes as
        with raw as (
            select strptime("Month", '%Y-%m')::date as month, "Crime type" as crime_type,
                   "LSOA code" as lsoa, "LSOA name" as lsoa_name
            from read_csv('{street}', header = true, all_varchar = true)
            -- a few published rows are shifted by a column; they carry no usable crime type
            where "Crime type" in ({types})
        )
        select month, crime_type, area_of_lsoa('{LLR_FORCE_ID}', lsoa, lsoa_district(lsoa_name)) as area_id
        from raw
    """)
    _write_area_tables(con, real, rules, out)
    _write_seasonality_and_paths(con, out)
    _write_csv(rules_path, ["level", "code", "area_id", "area_name"], rules)


def _write_area_tables(con, real: Path, rules: list[dict], out: Path) -> None:
    # Shares of each crime type's force total by area, over the latest complete year.
    shares = con.execute(f"""
        with counted as (
            select area_id, crime_type, count(*) as n
            from crimes
            where area_id is not null and month between '{SHARE_YEAR[0]}' and '{SHARE_YEAR[1]}'
            group by all
        )
        select area_id, crime_type, n / sum(n) over (partition by crime_type) as share
        from counted order by crime_type, area_id
    """).fetchall()
    _write_csv(out / "area_shares.csv", ["area_id", "crime_type", "share"],
               [{"area_id": a, "crime_type": t, "share": f"{s:.6f}"} for a, t, s in shares])

    # Census 2021 usual residents, summed by NPA with the same rules as the crimes.
    city_rule = {r["code"]: r["area_id"] for r in rules if r["level"] == "lsoa"}
    population = {area_id: 0 for area_id in AREA_ORDER}
    with (real / "census2021-pop_cwthom/DERIVED_census21_usual_residents_lsoa21_llr_wide.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            area_id = city_rule.get(row["LSOA21CD"]) if row["LAD22NM"] == "Leicester" else _district_npa(row["LAD22NM"])
            population[area_id] += int(row["total"])

    csp = {}
    with (real / "ons-lad-csp-pfa_macoj/lad_to_csp.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            if row["PFA21NM"] == "Leicestershire":
                csp[row["lad-name"]] = row
    areas, districts = [], []
    for order, area_id in enumerate(AREA_ORDER, start=1):
        if area_id in CITY_NPAS:
            name, district_names = CITY_NPAS[area_id], ["Leicester"]
        else:
            name, district_names = COUNTY_NPAS[area_id]
        areas.append({"area_id": area_id, "area_name": name, "sort_order": order, "population": population[area_id]})
        for d in district_names:
            districts.append({
                "area_id": area_id, "district_code": csp[d]["lad-code"], "district_name": d,
                "csp_code": csp[d]["csp-code"], "csp_name": csp[d]["csp-name"],
            })
    _write_csv(out / "areas.csv", ["area_id", "area_name", "sort_order", "population"], areas)
    _write_csv(out / "area_districts.csv",
               ["area_id", "district_code", "district_name", "csp_code", "csp_name"], districts)


def _write_seasonality_and_paths(con, out: Path) -> None:
    monthly = con.execute("""
        select crime_type, month, count(*) as n from crimes group by all order by all
    """).fetchall()
    by_type: dict[str, dict] = {}
    for crime_type, month, n in monthly:
        by_type.setdefault(crime_type, {})[Month.of(month)] = n

    # Seasonality: two patterns (recorded crime, anti-social behaviour), each the average ratio of
    # a calendar month's count to the mean of all months, leaving out the pandemic months.
    # Two patterns, not fourteen: small crime types are too noisy to have their own.
    def series_total(asb: bool) -> dict:
        total: dict = {}
        for crime_type, months in by_type.items():
            if (crime_type == ANTI_SOCIAL_BEHAVIOUR) == asb:
                for m, n in months.items():
                    total[m] = total.get(m, 0) + n
        return total

    rows_season, factors = [], {}
    for group, asb in (("recorded_crime", False), ("anti_social_behaviour", True)):
        total = series_total(asb)
        months = sorted(total)
        mean_all = sum(total.values()) / len(total)
        ratios: dict[int, list] = {m: [] for m in range(1, 13)}
        for m in months:
            if PANDEMIC[0] <= m <= PANDEMIC[1]:
                continue
            ratios[m.month].append(total[m] / mean_all)
        raw = {m: sum(v) / len(v) for m, v in ratios.items()}
        norm = sum(raw.values()) / 12
        factors[group] = {m: raw[m] / norm for m in range(1, 13)}
        rows_season += [{"series": group, "month_of_year": m, "factor": f"{factors[group][m]:.4f}"} for m in range(1, 13)]
    _write_csv(out / "seasonality.csv", ["series", "month_of_year", "factor"], rows_season)

    # Force-wide path of each crime type: seasonally adjusted monthly count, smoothed over three
    # months. The demo interpolates between the real months and holds the first value before them.
    rows_path = []
    for crime_type in CRIME_TYPES:
        group = "anti_social_behaviour" if crime_type == ANTI_SOCIAL_BEHAVIOUR else "recorded_crime"
        months = sorted(by_type[crime_type])
        adjusted = [by_type[crime_type][m] / factors[group][m.month] for m in months]
        for i, m in enumerate(months):
            window = [adjusted[j] for j in (i - 1, i, i + 1)
                      if 0 <= j < len(months) and abs((months[j] - m).days) <= 31]
            rows_path.append({"crime_type": crime_type, "month": m.key,
                              "adjusted_count": f"{sum(window) / len(window):.1f}"})
    _write_csv(out / "force_paths.csv", ["crime_type", "month", "adjusted_count"], rows_path)


def _write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
