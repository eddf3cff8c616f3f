"""Compute and store a rating for every measure, area and month (so history is kept).

For each month, the series up to that month (at most RATING_WINDOW_MONTHS of it) goes through the
SPC engine; its variation and assurance give the RAG by scrutiny.rate.rag.rag_for; the year-on-year
figures and an explanation are stored beside it. `python -m scrutiny spc` on the same window
gives the same variation and assurance (a test checks this).
"""
from __future__ import annotations

import json
import math

import duckdb
import pandas as pd

from scrutiny.store import db
from scrutiny.rate.explain import explain
from scrutiny.rate.rag import RATING_WINDOW_MONTHS, rag_for
from scrutiny.rate.spc import analyse, which_rule_decided

RATING_COLUMNS = [
    "measure_id", "area_id", "month", "rag", "variation", "assurance", "decided_by", "value",
    "value_previous_year", "change_pct", "change_points", "z", "window_first", "window_last",
    "mean", "lower_limit", "upper_limit", "explanation", "evidence",
]


def _run_length(points, rule: str) -> int:
    """How many of the latest points in a row take part in `rule`."""
    length = 0
    for point in reversed(points):
        if rule not in point.rules:
            break
        length += 1
    return length


def rate_series(measure: dict, area_name: str, area_id: str, months: list[str], values: list[float]) -> list[dict]:
    """One rating per month of one measure in one area. `months` are 'YYYY-MM', ascending."""
    by_month = dict(zip(months, values))
    ratings = []
    for i, month in enumerate(months):
        start = max(0, i + 1 - RATING_WINDOW_MONTHS)
        window_months, window_values = months[start:i + 1], values[start:i + 1]
        result = analyse(window_months, window_values, measure["improvement"], target=measure["target"])
        latest = result.points[-1]
        rag, decided_by = rag_for(result.variation, result.assurance)
        rule = which_rule_decided(result) if decided_by == "variation" else None
        value = values[i]
        year_before = f"{int(month[:4]) - 1}{month[4:]}"
        then = by_month.get(year_before)
        change_pct = change_points = z = None
        if then is not None and measure["unit"] == "count":
            change_pct = round(100.0 * (value - then) / then, 1) if then else None
            z = round(2 * (math.sqrt(value) - math.sqrt(then)), 2)
        elif then is not None:
            change_points = round(value - then, 1)
        rating = {
            "measure_id": measure["measure_id"], "area_id": area_id, "month": month, "rag": rag,
            "variation": result.variation, "assurance": result.assurance, "decided_by": decided_by,
            "value": value, "value_previous_year": then, "change_pct": change_pct,
            "change_points": change_points, "z": z, "window_first": window_months[0],
            "window_last": window_months[-1], "mean": latest.mean, "lower_limit": latest.lower_limit,
            "upper_limit": latest.upper_limit,
        }
        facts = {
            **rating, "measure_name": measure["measure_name"], "area_name": area_name,
            "unit": measure["unit"], "target": measure["target"], "points": len(window_values),
            "decided_rule": rule, "run_length": _run_length(result.points, rule) if rule else 0,
            "latest_above_mean": latest.mean is not None and value > latest.mean,
            "trend_rising": len(window_values) > 1 and window_values[-1] > window_values[-2],
        }
        rating["explanation"] = explain(facts)
        rating["evidence"] = json.dumps({
            "rule": rule, "run_length": facts["run_length"], "rules_on_latest": list(latest.rules),
            "points": len(window_values), "target": measure["target"],
            "improvement": measure["improvement"], "two_sigma": [latest.lower_2sigma, latest.upper_2sigma],
        }, sort_keys=True)
        ratings.append(rating)
    return ratings


def compute_ratings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    measures = con.execute("""
        select measure_id, measure_name, unit, improvement, target from measures order by measure_id
    """).df().to_dict("records")
    series = con.execute("""
        select s.measure_id, s.area_id, a.area_name, strftime(s.month, '%Y-%m') as month, s.value
        from measure_series s join areas a using (area_id)
        order by s.measure_id, s.area_id, s.month
    """).df()
    rows = []
    for measure in measures:
        measure["target"] = None if pd.isna(measure["target"]) else float(measure["target"])
        of_measure = series[series.measure_id == measure["measure_id"]]
        for (area_id, area_name), one in of_measure.groupby(["area_id", "area_name"], sort=True):
            rows += rate_series(measure, area_name, area_id, list(one.month), [float(v) for v in one.value])
    return pd.DataFrame(rows, columns=RATING_COLUMNS)


def store_ratings(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute every rating in the open database, replacing the old ones."""
    table = compute_ratings(con)
    db.run_schema_file(con, "04_ratings.sql")
    con.register("new_ratings", table)
    con.execute("""
        insert into ratings
        select measure_id, area_id, strptime(month, '%Y-%m')::date, rag, variation, assurance, decided_by,
               value, value_previous_year, change_pct, change_points, z,
               strptime(window_first, '%Y-%m')::date, strptime(window_last, '%Y-%m')::date,
               mean, lower_limit, upper_limit, explanation, evidence::json
        from new_ratings order by measure_id, area_id, month
    """)
    con.unregister("new_ratings")
    return len(table)


def finish(con: duckdb.DuckDBPyConnection) -> int:
    """Rollups and every rating, after the data changed (every import ends with this). Returns
    the number of ratings stored."""
    db.run_schema_file(con, "02_rollups.sql")
    db.run_schema_file(con, "03_plan.sql")
    return store_ratings(con)
