"""Every force's and every partnership's rating, for every street measure and month ("is it just
us?"), computed set-wise (scrutiny.rate.setwise) and stored in place_ratings.

The places are each force (its force-level area) and each partnership unit (the view
partnership_units, the same units as Compare forces); a series is the unit's count of the measure's
crime types in every month its force has figures for. The home force's rules carry over:
- a force's months incomplete for its areas (scrutiny.rate.incomplete, judged for every force by
  its own usual share not placed) are left out of its partnerships' series, as gaps, and are not
  rated themselves (decided_by 'incomplete_month'); the force's own series keeps them;
- the step changes of the plan's measure adding up the same crime types apply to every place, so
  that the home force and its peers are judged against their usual level over the same months (see
  _steps_of_series). Targets do not apply: the plan sets them for the home force's plan ratings, not
  for a place compared.
Every street measure is a count for which lower is better.
"""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from scrutiny.core.crime_types import STREET_MEASURES, street_measure
from scrutiny.core.months import Month
from scrutiny.core.vocab import INCOMPLETE_MONTH, NOT_RATED
from scrutiny.rate import incomplete, setwise
from scrutiny.store import db, queries

PLACE_COLUMNS = ["unit_id", "level", "force_id", "measure_id", "month", "value", "rag", "variation", "decided_by",
                 "way", "points", "mean", "lower_limit", "upper_limit"]
LOWER_IS_BETTER = -1  # setwise's `good` for a crime count


def street_measure_types() -> pd.DataFrame:
    """(measure_id, crime_type) of every street measure."""
    return pd.DataFrame([(measure_id, crime_type) for measure_id, _, types in STREET_MEASURES for crime_type in types],
                        columns=["measure_id", "crime_type"])


def place_series(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """store/sql/rate/place_series: unit_id, level, force_id, measure_id, month, value."""
    con.register("street_measure_types", street_measure_types())
    try:
        return queries.write(con, "rate/place_series").df()
    finally:
        con.unregister("street_measure_types")


def incomplete_months(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """(force_id, month) of every force's months incomplete for its areas, by the home force's rule."""
    qualities = queries.run(con, "common/month_qualities")
    found = [(force_id, pd.Timestamp(month))
             for force_id, of_force in qualities.groupby("force_id", sort=True)  # one per force, not per series
             for month in incomplete.incomplete(incomplete.qualities(of_force))]
    return pd.DataFrame(found, columns=["force_id", "month"]).astype({"month": "datetime64[us]"})


def home_step_changes(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[Month, ...]]:
    """{street measure_id: its step change months}: those of the plan's crime measures adding up
    exactly the same crime types (crime_types.street_measure)."""
    plan_types: dict[str, set[str]] = {}
    for measure_id, crime_type in con.execute("""
        select ct.measure_id, ct.crime_type from measure_crime_types ct join measures m using (measure_id)
        where m.source = 'crime'
    """).fetchall():
        plan_types.setdefault(measure_id, set()).add(crime_type)
    steps: dict[str, set[Month]] = {street_id: set() for street_id, _, _ in STREET_MEASURES}
    for measure_id, month in con.execute("select measure_id, month from measure_step_changes").fetchall():
        if (matched := street_measure(plan_types.get(measure_id, ()))) is not None:
            steps[matched[0]].add(Month.of(month))
    return {street_id: tuple(sorted(months)) for street_id, months in steps.items()}


def compute_place_ratings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every place's rating of every street measure and month: place_ratings' columns."""
    series = place_series(con)
    series["month"] = series.month.astype("datetime64[us]")
    left = incomplete_months(con).assign(left_out=True)
    series = series.merge(left, on=["force_id", "month"], how="left", sort=False)
    series["left_out"] = series.left_out.fillna(False).astype(bool) & (series.level == "csp")
    series["code"] = series.groupby(["unit_id", "measure_id"], sort=False).ngroup()
    keys = series.drop_duplicates("code")[["code", "force_id", "measure_id"]]

    rated, left_out = series[~series.left_out], series[series.left_out]
    result = setwise.rate_latest(setwise.Series(
        series=rated.code.to_numpy(), month=setwise.month_number(rated.month), value=rated.value.to_numpy(float),
        good=np.full(len(keys), LOWER_IS_BETTER), steps=_steps_of_series(con, keys)))
    place = ["unit_id", "level", "force_id", "measure_id", "month", "value"]
    rated = pd.concat([rated[place].reset_index(drop=True), result.drop(columns="assurance")], axis=1)
    # a partnership's month left out is not rated: its figure is kept, with no window or limits
    left_out = left_out[place].assign(rag=NOT_RATED, variation=None, decided_by=INCOMPLETE_MONTH, way=None,
                                      points=0, mean=np.nan, lower_limit=np.nan, upper_limit=np.nan)
    out = pd.concat([rated, left_out], ignore_index=True) if len(left_out) else rated
    # text columns as strings, not Python objects: DuckDB reads them far faster
    return out.astype({"rag": "str", "variation": "str", "decided_by": "str", "way": "Int64",
                       "points": "int32"})[PLACE_COLUMNS]


def _steps_of_series(con: duckdb.DuckDBPyConnection, keys: pd.DataFrame):
    """setwise's steps (series codes, month numbers): every place's series get the step changes the
    home force's plan records for that measure (home_step_changes), so that the home force and its peers
    are each judged against their usual level over the same months. (Peers rated on 36 months while the
    home force's usual level starts at its step change said "all peers show the same rise" where, on
    the same months, most did not.) None when there are none."""
    steps = pd.DataFrame([(measure_id, month) for measure_id, months in home_step_changes(con).items()
                          for month in months], columns=["measure_id", "month"])
    found = keys.merge(steps, on="measure_id")
    return (found.code.to_numpy(np.int64), setwise.month_number(found.month)) if len(found) else None


def store_place_ratings(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute every place rating in the open database, replacing the old ones; one insert."""
    table = compute_place_ratings(con)
    db.run_schema_file(con, "10_place_ratings.sql")
    con.execute("delete from place_ratings")
    con.register("new_place_ratings", table)
    try:
        queries.write(con, "rate/new_place_ratings")
    finally:
        con.unregister("new_place_ratings")
    return len(table)
