"""Compute and store a rating for every measure, area and month (so history is kept).

For each month, the series up to that month (at most RATING_WINDOW_MONTHS of it) goes through the
SPC engine with the measure's step changes (from the plan file), so the limits of a rating are its
latest phase's; its variation and assurance give the RAG by scrutiny.rate.rag.rag_for; the year-on-year
figures and an explanation are stored beside it. `python -m scrutiny spc` on the same window
gives the same variation and assurance (a test checks this).
"""
from __future__ import annotations

import json
import math

import duckdb
import pandas as pd

from scrutiny.core.months import parse_month
from scrutiny.core.vocab import COUNT
from scrutiny.rate import yoy
from scrutiny.rate.explain import Facts, Pattern, explain
from scrutiny.rate.rag import RATING_WINDOW_MONTHS, rag_for
from scrutiny.rate.spc import SpcResult, StepChange, analyse
from scrutiny.store import db, queries

RATING_COLUMNS = [
    "measure_id", "area_id", "month", "rag", "variation", "assurance", "decided_by", "value",
    "value_previous_year", "change_pct", "change_points", "p_value", "window_first", "window_last",
    "mean", "lower_limit", "upper_limit", "explanation", "evidence",
]


def latest_pattern(result: SpcResult) -> Pattern:
    """The pattern the latest point shows: the rule behind its variation rating (None for common
    cause) and how long that pattern is. Runs are counted within the latest point's own run, so
    months above the average are never added to months below it, nor rises to falls."""
    points = result.points
    latest = points[-1]
    rule = result.decided_by
    if rule == "trend":
        way = _sign(latest.value - points[-2].value)
        return Pattern(rule, way, _run_back(points, rule, way, lambda before, after: after.value - before.value))
    way = _sign(latest.value - latest.mean) if latest.mean is not None else 0
    if rule == "shift":  # the latest point, and each before it on the same side of the mean
        return Pattern(rule, way, 1 + _run_back(points, rule, way, lambda before, _: before.value - before.mean))
    if rule == "two_in_three":
        last_three = points[-3:]
        near = [p for p in last_three if _sign(p.value - (p.upper_2sigma if way > 0 else p.lower_2sigma)) == way]
        beyond = any(_sign(p.value - (p.upper_limit if way > 0 else p.lower_limit)) == way for p in near)
        return Pattern(rule, way, len(near), beyond)
    return Pattern(rule, way)


def _pairs_back(points):
    """(point before, point after) from the latest backwards, while they are consecutive months
    of one phase (no rule runs across a gap or a step change)."""
    for i in range(len(points) - 1, 0, -1):
        before, after = points[i - 1], points[i]
        consecutive = parse_month(before.period).plus(1) == parse_month(after.period)
        same_phase = getattr(before, "phase", None) == getattr(after, "phase", None) and before.mean == after.mean
        if not (consecutive and same_phase):
            return
        yield before, after


def _run_back(points, rule: str, way: int, difference) -> int:
    """How many pairs back from the latest point the run goes on: the earlier point of each is
    marked by `rule` and difference(before, after) has the sign `way`."""
    length = 0
    for before, after in _pairs_back(points):
        if rule not in before.rules or _sign(difference(before, after)) != way:
            break
        length += 1
    return length


def _sign(difference: float) -> int:
    """+1, -1, or 0 when the difference is nothing but rounding (scrutiny.rate.spc's tolerance)."""
    if math.isclose(difference, 0.0, abs_tol=1e-9):
        return 0
    return 1 if difference > 0 else -1


def rate_series(measure: dict, area_name: str, area_id: str, months: list[str], values: list[float],
                step_changes: tuple[StepChange, ...] = ()) -> list[dict]:
    """One rating per month of one measure in one area. `months` are 'YYYY-MM', ascending;
    `step_changes` are the measure's, from the plan file."""
    by_month = dict(zip(months, values))
    ratings = []
    for i, month in enumerate(months):
        start = max(0, i + 1 - RATING_WINDOW_MONTHS)
        window_months, window_values = months[start:i + 1], values[start:i + 1]
        result = analyse(window_months, window_values, measure["improvement"], target=measure["target"],
                         step_changes=step_changes)
        latest = result.points[-1]
        step = result.latest_phase.step_change
        rag, decided_by = rag_for(result.variation, result.assurance)
        value = values[i]
        this_month = parse_month(month)
        then = by_month.get(this_month.year_before.key)
        change_pct = change_points = p_value = None
        if then is not None and measure["unit"] == COUNT:
            change_pct = round(100.0 * (value - then) / then, 1) if then else None
            p_value = yoy.p_value(value, then)  # the exact test every page uses
        elif then is not None:
            change_points = round(value - then, 1)
        rating = {
            "measure_id": measure["measure_id"], "area_id": area_id, "month": month, "rag": rag,
            "variation": result.variation, "assurance": result.assurance, "decided_by": decided_by,
            "value": value, "value_previous_year": then, "change_pct": change_pct,
            "change_points": change_points, "p_value": p_value, "window_first": window_months[0],
            "window_last": window_months[-1], "mean": latest.mean, "lower_limit": latest.lower_limit,
            "upper_limit": latest.upper_limit,
        }
        pattern = latest_pattern(result) if result.variation is not None else None
        rating["explanation"] = explain(Facts(
            measure_name=measure["measure_name"], area_name=area_name, unit=measure["unit"],
            improvement=measure["improvement"], month=this_month, value=value,
            points=len(window_values), rag=rag, decided_by=decided_by, value_previous_year=then,
            change_pct=change_pct, change_points=change_points,
            window_first=parse_month(window_months[0]), window_last=parse_month(window_months[-1]),
            mean=latest.mean, lower_limit=latest.lower_limit, upper_limit=latest.upper_limit,
            target=measure["target"], pattern=pattern,
            step_change_month=parse_month(step.period) if step else None,
            step_change_reason=step.reason if step else None,
        ))
        rating["evidence"] = json.dumps({
            # rule: the rule that decided a variation rating; latest_pattern: the latest month's
            # pattern whatever decided (a target can decide while the month shows a pattern)
            "rule": pattern.rule if decided_by == "variation" else None,
            "latest_pattern": pattern.rule if pattern else None,
            "run_length": pattern.length if pattern else 0, "rules_on_latest": list(latest.rules),
            "points": len(window_values), "target": measure["target"],
            "improvement": measure["improvement"], "two_sigma": [latest.lower_2sigma, latest.upper_2sigma],
            "phase": latest.phase, "step_change": {"month": step.period, "reason": step.reason} if step else None,
            "lasting_shift_since": result.lasting_shift_since,
        }, sort_keys=True)
        ratings.append(rating)
    return ratings


def step_changes(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[StepChange, ...]]:
    """Each measure's recorded step changes, in month order."""
    found: dict[str, list[StepChange]] = {}
    for measure_id, month, reason in con.execute("""
        select measure_id, strftime(month, '%Y-%m'), reason from measure_step_changes order by measure_id, month
    """).fetchall():
        found.setdefault(measure_id, []).append(StepChange(month, reason))
    return {measure_id: tuple(steps) for measure_id, steps in found.items()}


def compute_ratings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    measures = con.execute("""
        select measure_id, measure_name, unit, improvement, target from measures order by measure_id
    """).df().to_dict("records")
    series = con.execute("""
        select s.measure_id, s.area_id, a.area_name, strftime(s.month, '%Y-%m') as month, s.value
        from measure_series s join areas a using (area_id)
        order by s.measure_id, s.area_id, s.month
    """).df()
    steps = step_changes(con)
    rows = []
    for measure in measures:
        measure["target"] = None if pd.isna(measure["target"]) else float(measure["target"])
        of_measure = series[series.measure_id == measure["measure_id"]]
        for (area_id, area_name), one in of_measure.groupby(["area_id", "area_name"], sort=True):
            rows += rate_series(measure, area_name, area_id, list(one.month), [float(v) for v in one.value],
                                steps.get(measure["measure_id"], ()))
    return pd.DataFrame(rows, columns=RATING_COLUMNS)


def store_ratings(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute every rating in the open database, replacing the old ones."""
    table = compute_ratings(con)
    db.run_schema_file(con, "04_ratings.sql")
    con.register("new_ratings", table)
    queries.write(con, "rate/new_ratings")
    con.unregister("new_ratings")
    return len(table)


def finish(con: duckdb.DuckDBPyConnection) -> int:
    """Rollups and every rating, after the data changed (every import ends with this). Returns
    the number of ratings stored."""
    db.run_schema_file(con, "02_rollups.sql")
    db.run_schema_file(con, "03_plan.sql")
    return store_ratings(con)
