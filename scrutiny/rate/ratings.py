"""Compute and store a rating for every measure, area and month (so history is kept).

For each month, the series up to that month (at most RATING_WINDOW_MONTHS of it: the window of
scrutiny.rate.window) goes through the SPC engine with the measure's step changes (from the plan
file), so the limits of a rating are its latest phase's; its variation and assurance give the RAG
by scrutiny.rate.rag.rag_for; the year-on-year figures (scrutiny.rate.yoy) and an explanation
are stored beside it. `python -m scrutiny spc` on the same window
gives the same variation and assurance (a test checks this).
"""
from __future__ import annotations

import json

import duckdb
import pandas as pd

from scrutiny.core.months import Month, missing_months, months_of
from scrutiny.core.formatting import measure_value as figure
from scrutiny.core import words
from scrutiny.core.vocab import COUNT, INCOMPLETE_MONTH, NOT_RATED, OUTCOMES_PENDING, VARIATION
from scrutiny.rate import incomplete, provisional, yoy
from scrutiny.rate.incomplete import MonthQuality
from scrutiny.rate.place_ratings import store_place_ratings
from scrutiny.rate.provisional import Pending
from scrutiny.rate.explain import Facts, explain
from scrutiny.rate.rag import rag_for
from scrutiny.rate.spc import StepChange
from scrutiny.rate.window import kept, rating_window
from scrutiny.store import db, queries

RATING_COLUMNS = [
    "measure_id", "area_id", "month", "rag", "variation", "assurance", "decided_by", "value",
    "value_previous_year", "change_pct", "change_points", "p_value", "window_first", "window_last",
    "mean", "lower_limit", "upper_limit", "explanation", "evidence",
]


def rate_series(measure: dict, area_name: str, area_id: str, months: list[Month], values: list[float],
                step_changes: tuple[StepChange, ...] = (), pending: dict[Month, Pending] | None = None,
                left_out: dict[Month, MonthQuality] | None = None) -> list[dict]:
    """One rating per month of one measure in one area. `months` are Months, ascending;
    `step_changes` are the measure's, from the plan file; `pending` the provisional months of a
    measure made from outcomes (scrutiny.rate.provisional), which are not rated; `left_out` the
    months incomplete for an area (scrutiny.rate.incomplete; never given for the force), which
    are missing months for every window and year-before comparison, and are not rated themselves."""
    # keyed by Month: a key given as text or a date would otherwise match no month, silently
    pending = {Month.of(month): why for month, why in (pending or {}).items()}
    left_out = {Month.of(month): quality for month, quality in (left_out or {}).items()}
    shares = tuple((quality.month, 100 * quality.share_not_placed) for _, quality in sorted(left_out.items()))
    kept_months, kept_values = kept(months, values, left_out)  # as the chart beside the rating does
    by_month = dict(zip(kept_months, kept_values))
    ratings = []
    for month, value in zip(months, values):
        if month in left_out:
            ratings.append(_left_out_rating(measure, area_name, area_id, month, value, left_out[month]))
            continue
        result = rating_window(kept_months, kept_values, measure["improvement"], up_to=month, target=measure["target"],
                               step_changes=step_changes)
        latest = result.points[-1]
        window_first, window_last = result.points[0].period, month
        step = result.latest_phase.step_change
        rag, decided_by = rag_for(result.variation, result.assurance)
        variation, assurance = result.variation, result.assurance
        if month in pending:  # outcomes still being recorded: the figure is shown, not rated
            rag, decided_by, variation, assurance = NOT_RATED, OUTCOMES_PENDING, None, None
        then = yoy.year_before(by_month, month)
        change_pct = change_points = p_value = None
        if then is not None and measure["unit"] == COUNT:
            change_pct = yoy.change_pct(value, then)
            p_value = yoy.p_value(value, then)  # the exact test every page uses
        elif then is not None:
            change_points = round(value - then, yoy.CHANGE_DECIMALS)
        rating = {
            "measure_id": measure["measure_id"], "area_id": area_id, "month": month, "rag": rag,
            "variation": variation, "assurance": assurance, "decided_by": decided_by,
            "value": value, "value_previous_year": then, "change_pct": change_pct,
            "change_points": change_points, "p_value": p_value, "window_first": window_first,
            "window_last": window_last, "mean": latest.mean, "lower_limit": latest.lower_limit,
            "upper_limit": latest.upper_limit,
        }
        pattern = result.pattern  # the engine's, None when not rated
        explanation = explain(Facts(
            measure_name=measure["measure_name"], area_name=area_name, unit=measure["unit"],
            improvement=measure["improvement"], month=month, value=value,
            points=len(result.points), rag=rag, decided_by=decided_by, value_previous_year=then,
            change_pct=change_pct, change_points=change_points,
            window_first=window_first, window_last=window_last,
            mean=latest.mean, lower_limit=latest.lower_limit, upper_limit=latest.upper_limit,
            target=measure["target"], pattern=pattern,
            step_change_month=step.period if step else None,
            step_change_reason=step.reason if step else None,
            missing_months=tuple(missing_months([p.period for p in result.points] + list(left_out),
                                                step.period if step else window_first, month)),
            left_out=shares,
        ))
        if month in pending:
            explanation = (f"{measure['measure_name']} in {area_name} was {figure(value, measure['unit'])} in "
                           f"{month.label}. {pending[month].reason(month.label)}")
        rating["explanation"] = explanation
        rating["evidence"] = json.dumps({
            # rule: the rule that decided a variation rating; latest_pattern: the latest month's
            # pattern whatever decided (a target can decide while the month shows a pattern)
            "rule": pattern.rule if decided_by == VARIATION else None,
            "latest_pattern": pattern.rule if pattern else None,
            "run_length": pattern.length if pattern else 0, "rules_on_latest": list(latest.rules),
            "points": len(result.points), "target": measure["target"],
            "improvement": measure["improvement"], "two_sigma": [latest.lower_2sigma, latest.upper_2sigma],
            # a month in the evidence's JSON is 'YYYY-MM' text
            "phase": latest.phase, "step_change": {"month": step.period.key, "reason": step.reason} if step else None,
            "lasting_shift_since": None if result.lasting_shift_since is None else result.lasting_shift_since.key,
            "outcomes_pending": ({"share": pending[month].share, "settled": pending[month].settled}
                                 if month in pending else None),
        }, sort_keys=True)
        ratings.append(rating)
    return ratings


def _left_out_rating(measure: dict, area_name: str, area_id: str, month: Month, value: float,
                     quality: MonthQuality) -> dict:
    """The rating of an area's month that is incomplete (scrutiny.rate.incomplete): not rated, with
    the reason; its figure is kept, and no window, limits or year-on-year test are given."""
    share = quality.share_words()
    explanation = (f"{measure['measure_name']} in {area_name} was {figure(value, measure['unit'])} in "
                   f"{month.label}. " + words.INCOMPLETE_NOT_RATED.format(share=share, month=month.label))
    rating = {column: None for column in RATING_COLUMNS}
    rating.update({
        "measure_id": measure["measure_id"], "area_id": area_id, "month": month, "rag": NOT_RATED,
        "decided_by": INCOMPLETE_MONTH, "value": value, "window_first": month, "window_last": month,
        "explanation": explanation,
        "evidence": json.dumps({"incomplete_month": {"records": quality.records, "not_placed": quality.not_placed},
                                "points": 0, "target": measure["target"], "improvement": measure["improvement"]},
                               sort_keys=True),
    })
    return rating


def step_changes(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[StepChange, ...]]:
    """Each measure's recorded step changes, in month order."""
    found: dict[str, list[StepChange]] = {}
    for measure_id, month, reason in con.execute("""
        select measure_id, month, reason from measure_step_changes order by measure_id, month
    """).fetchall():
        found.setdefault(measure_id, []).append(StepChange(Month.of(month), reason))
    return {measure_id: tuple(steps) for measure_id, steps in found.items()}


def compute_ratings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every measure's rating in every area and month: RATING_COLUMNS, the months (month,
    window_first, window_last) as Months, which DuckDB reads as DATEs."""
    measures = con.execute("""
        select measure_id, measure_name, unit, improvement, target from measures order by measure_id
    """).df().to_dict("records")
    series = con.execute("""
        select s.measure_id, s.area_id, a.area_name, s.month, s.value
        from measure_series s join areas a using (area_id)
        order by s.measure_id, s.area_id, s.month
    """).df()
    steps = step_changes(con)
    pending = provisional.pending_by_force(con)
    # the home force's months incomplete for its areas; the force's own series keeps them
    left_out = incomplete.incomplete(incomplete.home_qualities(queries.run(con, "common/month_qualities")))
    forces = {area_id for (area_id,) in con.execute("select area_id from areas where area_level = 'force'").fetchall()}
    rows = []
    for measure in measures:
        measure["target"] = None if pd.isna(measure["target"]) else float(measure["target"])
        of_measure = series[series.measure_id == measure["measure_id"]]
        for (area_id, area_name), one in of_measure.groupby(["area_id", "area_name"], sort=True):
            rows += rate_series(measure, area_name, area_id, months_of(one.month), [float(v) for v in one.value],
                                steps.get(measure["measure_id"], ()),
                                pending.get(area_id) if measure["measure_id"] in provisional.OUTCOME_MEASURES else None,
                                None if area_id in forces else left_out)
    return pd.DataFrame(rows, columns=RATING_COLUMNS)


def store_ratings(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute every rating in the open database, replacing the old ones: the plan's ratings of
    the home force's areas (their number is returned) and, set-wise, every force's and
    partnership's ratings of the street measures (scrutiny.rate.place_ratings)."""
    table = compute_ratings(con)
    db.run_schema_file(con, "04_ratings.sql")
    con.register("new_ratings", table)
    queries.write(con, "rate/new_ratings")
    con.unregister("new_ratings")
    store_place_ratings(con)
    return len(table)


def finish(con: duckdb.DuckDBPyConnection) -> int:
    """Rollups and every rating, after the data changed (every import ends with this). Returns
    the number of ratings stored."""
    db.run_schema_file(con, "02_rollups.sql")
    db.run_schema_file(con, "03_plan.sql")
    return store_ratings(con)
