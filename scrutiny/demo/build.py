"""Build the demonstration database from the small committed inputs in data/demo/.

The monthly counts are synthetic: levels, crime mix by area and seasonality come from real
data.police.uk files for Leicestershire (see data/demo/README.md and scrutiny/demo/params.py),
with Poisson noise from a fixed seed, and January 2024 is calibrated so that every area's
year-on-year change in all crime is the one published in the panel's minutes.
The Police and Crime Plan comes from data/demo/plan.yaml; its measures that come from the
office's returns (victim satisfaction, call handling ...) get synthetic values from
scrutiny/demo/measures.py, because there is no public monthly source for them.
The build is deterministic: the same inputs give the same database contents.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from scrutiny.store import db, queries
from scrutiny.core.crime_types import ANTI_SOCIAL_BEHAVIOUR, CRIME_TYPES, counts_as_recorded_crime
from scrutiny.geography.areas import LLR_AREA_NAME, LLR_FORCE_ID
from scrutiny.demo.measures import synthetic_measure_values
from scrutiny.demo.peers import write_peers
from scrutiny.core.months import add_months, month_range, parse_month
from scrutiny.plan.plan_file import load_plan
from scrutiny.plan.questions_file import beside, load_questions
from scrutiny.plan.tables import write_plan, write_questions
from scrutiny.rate.ratings import store_ratings

FORCE_ID = LLR_FORCE_ID  # the demo is of Leicester, Leicestershire and Rutland
FORCE_AREA_NAME = LLR_AREA_NAME
FIRST_MONTH = dt.date(2019, 1, 1)
LAST_MONTH = dt.date(2024, 1, 1)
CALIBRATED_MONTH = dt.date(2024, 1, 1)
SEED = 20240201  # the date of the panel meeting whose figures the demo reproduces
POPULATION_SOURCE = "Census 2021 usual residents (ONS), summed from LSOAs"
POPULATION_YEAR = 2021
DEMO_INPUTS = (
    "areas.csv", "area_districts.csv", "area_shares.csv", "seasonality.csv",
    "force_paths.csv", "published_changes.csv",
)
PLAN_FILE = "plan.yaml"  # the Police and Crime Plan: themes, objectives and measures


def _read(demo_dir: Path, name: str) -> list[dict]:
    with (demo_dir / name).open(newline="") as f:
        return list(csv.DictReader(f))


def percent_change(now: int, then: int) -> Decimal:
    """Change in percent, rounded to one decimal place half away from zero, as published."""
    exact = Decimal(now - then) * 100 / Decimal(then)
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def force_path(rows: list[dict], months: list[dt.date]) -> dict[tuple[str, dt.date], float]:
    """Seasonally adjusted force count per crime type and month: the real months, linear
    interpolation across gaps, the first real value before them and the last after them."""
    path = {}
    for crime_type in CRIME_TYPES:
        known = sorted((parse_month(r["month"]), float(r["adjusted_count"]))
                       for r in rows if r["crime_type"] == crime_type)
        known_x = np.array([m.year * 12 + m.month for m, _ in known], dtype=float)
        known_y = np.array([v for _, v in known])
        wanted = np.array([m.year * 12 + m.month for m in months], dtype=float)
        for month, value in zip(months, np.interp(wanted, known_x, known_y)):
            path[crime_type, month] = float(value)
    return path


def expected_rate_per_resident(demo_dir: Path, months: list[dt.date], population: int) -> dict[tuple[str, dt.date], float]:
    """The home force's expected count per resident, by crime type and month, before any noise:
    what the synthetic peer forces (scrutiny/demo/peers.py) are scaled from."""
    season = {(r["series"], int(r["month_of_year"])): float(r["factor"]) for r in _read(demo_dir, "seasonality.csv")}
    path = force_path(_read(demo_dir, "force_paths.csv"), months)
    return {(t, m): path[t, m] * season["anti_social_behaviour" if t == ANTI_SOCIAL_BEHAVIOUR else "recorded_crime", m.month]
            / population for t in CRIME_TYPES for m in months}


def simulate_counts(demo_dir: Path) -> pd.DataFrame:
    months = month_range(FIRST_MONTH, LAST_MONTH)
    areas = [r["area_id"] for r in sorted(_read(demo_dir, "areas.csv"), key=lambda r: int(r["sort_order"]))]
    shares = {(r["area_id"], r["crime_type"]): float(r["share"]) for r in _read(demo_dir, "area_shares.csv")}
    season = {(r["series"], int(r["month_of_year"])): float(r["factor"]) for r in _read(demo_dir, "seasonality.csv")}
    path = force_path(_read(demo_dir, "force_paths.csv"), months)

    rows = []
    for a, area_id in enumerate(areas):
        for t, crime_type in enumerate(CRIME_TYPES):
            series = "anti_social_behaviour" if crime_type == ANTI_SOCIAL_BEHAVIOUR else "recorded_crime"
            expected = np.array([
                shares.get((area_id, crime_type), 0.0) * path[crime_type, m] * season[series, m.month]
                for m in months
            ])
            # One generator per area and crime type, so adding an area leaves the others unchanged.
            rng = np.random.Generator(np.random.PCG64([SEED, a, t]))
            counts = rng.poisson(expected)
            rows += [(area_id, crime_type, m, int(c)) for m, c in zip(months, counts)]
    return pd.DataFrame(rows, columns=["area_id", "crime_type", "month", "crime_count"])


def calibrate(counts: pd.DataFrame, published: list[dict]) -> pd.DataFrame:
    """Rescale each area's January 2024 recorded crime so its change on January 2023 rounds to
    the published figure, keeping the crime mix (largest-remainder rounding)."""
    counts = counts.copy()
    previous_month = add_months(CALIBRATED_MONTH, -12)
    recorded = counts["crime_type"].map(counts_as_recorded_crime)
    for row in published:
        area, target = row["area_id"], Decimal(row["change_pct"])
        then_rows = (counts.area_id == area) & (counts.month == previous_month) & recorded
        now_rows = (counts.area_id == area) & (counts.month == CALIBRATED_MONTH) & recorded
        then = int(counts.loc[then_rows, "crime_count"].sum())
        wanted = _total_matching(then, target)
        while wanted is None:
            # With a small base not every change to 0.1% is reachable: move January 2023 by one
            # crime in its commonest type and try again.
            commonest = counts.loc[then_rows, "crime_count"].idxmax()
            counts.loc[commonest, "crime_count"] += 1
            then += 1
            wanted = _total_matching(then, target)
        counts.loc[now_rows, "crime_count"] = _share_out(counts.loc[now_rows, "crime_count"].to_numpy(), wanted)
    return counts


def _share_out(current: np.ndarray, total: int) -> np.ndarray:
    """Scale counts to a new total, keeping their proportions, by largest remainders."""
    scaled = current * total / current.sum()
    new = np.floor(scaled).astype(int)
    for i in np.argsort(-(scaled - new), kind="stable")[: total - int(new.sum())]:
        new[i] += 1
    return new


def _total_matching(then: int, target: Decimal) -> int | None:
    """The count whose change on `then` rounds to the target and is not on a rounding boundary
    (so any sensible rounding of the change gives the published figure), or None."""
    centre = round(then * (1 + float(target) / 100))
    for now in (centre, centre - 1, centre + 1):
        exact = Decimal(now - then) * 100 / Decimal(then)
        if percent_change(now, then) == target and abs(exact - target) < Decimal("0.045"):
            return now
    return None


def _sha256_of_inputs(demo_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in DEMO_INPUTS:
        digest.update((demo_dir / name).read_bytes())
    return digest.hexdigest()


def write_demo(con: duckdb.DuckDBPyConnection, demo_dir: Path) -> None:
    areas = sorted(_read(demo_dir, "areas.csv"), key=lambda r: int(r["sort_order"]))
    counts = calibrate(simulate_counts(demo_dir), _read(demo_dir, "published_changes.csv"))

    con.execute("insert into forces values (?, ?, true, false)", [FORCE_ID, "Leicestershire Police"])
    total_population = sum(int(r["population"]) for r in areas)
    con.execute("insert into areas values (?, ?, 'force', null, ?, ?, ?, 0, ?)",
                [FORCE_ID, FORCE_AREA_NAME, FORCE_ID, total_population, POPULATION_SOURCE, POPULATION_YEAR])
    con.executemany(
        "insert into areas values (?, ?, 'npa', ?, ?, ?, ?, ?, ?)",
        [(r["area_id"], r["area_name"], FORCE_ID, FORCE_ID, int(r["population"]), POPULATION_SOURCE,
          int(r["sort_order"]), POPULATION_YEAR) for r in areas],
    )
    districts = _read(demo_dir, "area_districts.csv")
    splits = {d["district_code"]: sum(1 for x in districts if x["district_code"] == d["district_code"]) for d in districts}
    con.executemany(
        "insert into area_districts values (?, ?, ?, ?, ?, ?)",
        [(d["area_id"], d["district_code"], d["district_name"], d["csp_code"], d["csp_name"],
          1.0 / splits[d["district_code"]]) for d in districts],
    )
    con.executemany("insert into crime_types values (?, ?, ?)",
                    [(t, counts_as_recorded_crime(t), i) for i, t in enumerate(CRIME_TYPES, start=1)])
    con.register("demo_counts", counts)
    con.execute("insert into monthly_counts select * from demo_counts order by all")
    con.unregister("demo_counts")
    con.execute(
        "insert into provenance values (?, ?, ?, ?, ?, ?, null)",
        ["demo", "Demonstration data calibrated to published figures, not official statistics. "
         "Synthetic monthly counts shaped by real data.police.uk files for Leicestershire.",
         len(counts), FIRST_MONTH, LAST_MONTH, _sha256_of_inputs(demo_dir)],
    )
    months = month_range(FIRST_MONTH, LAST_MONTH)
    write_peers(con, demo_dir, months, expected_rate_per_resident(demo_dir, months, total_population))
    db.run_schema_file(con, "02_rollups.sql")  # after the peers, so their totals are rolled up too
    _write_plan_and_returns(con, demo_dir, [r["area_id"] for r in areas])


def _write_plan_and_returns(con: duckdb.DuckDBPyConnection, demo_dir: Path, npa_ids: list[str]) -> None:
    """The plan, and synthetic values for its measures that come from the office's returns."""
    plan_path = demo_dir / PLAN_FILE
    plan = load_plan(plan_path)
    db.run_schema_file(con, "03_plan.sql")  # after 02_rollups.sql: measure_series reads its table
    write_plan(con, plan)
    write_questions(con, load_questions(beside(plan_path), plan))
    values = synthetic_measure_values(plan, npa_ids, FORCE_ID, month_range(FIRST_MONTH, LAST_MONTH))
    con.register("demo_measure_values", values)
    queries.write(con, "demo/measure_values")
    con.unregister("demo_measure_values")
    con.execute(
        "insert into provenance values (?, ?, ?, ?, ?, ?, null)",
        ["demo", "Synthetic demonstration values, not official statistics, for the plan's measures "
         "that come from the office's returns (victim satisfaction, 999 and 101 calls, public "
         "confidence, charge or summons rate); the measures and objectives are from " + PLAN_FILE + ".",
         len(values), FIRST_MONTH, LAST_MONTH, hashlib.sha256(plan_path.read_bytes()).hexdigest()],
    )


def build_demo(target: Path, demo_dir: Path) -> None:
    with db.new_database(target) as con:
        write_demo(con, demo_dir)
        store_ratings(con)
