"""The window a rating looks at, built in one place for the ratings, the Plan page's chart, the
meeting pack and the Trends page: the last RATING_WINDOW_MONTHS points of a series up to a month,
through the SPC engine with the measure's step changes. So a chart drawn beside a stored rating
is the analysis that rating came from."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Collection

import pandas as pd

from scrutiny.core.months import Month, months_of
from scrutiny.rate.rag import RATING_WINDOW_MONTHS
from scrutiny.rate.spc import SpcResult, StepChange, analyse


def rating_window(months: list[Month], values: list[float], improvement: str, *, up_to: Month | None = None,
                  target: float | None = None, step_changes=()) -> SpcResult:
    """The SPC analysis of the window ending at `up_to` (the series' last month when None).
    `months` are Months, ascending; the window is the RATING_WINDOW_MONTHS calendar months up to
    that month: the points among them (fewer when the figures start later, or months are missing;
    36 points could otherwise reach back years across a gap)."""
    up_to = None if up_to is None else Month.of(up_to)  # a plain date too: Months compare as dates
    end = len(months) if up_to is None else bisect_right(months, up_to)
    last = months[end - 1] if up_to is None else up_to
    start = bisect_left(months, last.plus(1 - RATING_WINDOW_MONTHS), 0, end)
    return analyse(months[start:end], values[start:end], improvement, target=target, step_changes=step_changes)


def spc_for_rating(series: pd.DataFrame, detail: pd.Series, step_changes: pd.DataFrame | None = None,
                   left_out: Collection[Month] = ()) -> SpcResult:
    """The SPC analysis behind a stored rating, from query results: `series` is
    plan/measure_series (month, value, up to the rating's month), `detail` plan/rating_detail and
    `step_changes` plan/step_changes, so chart and rating agree. `left_out`: the months the
    rating left out of an area's window (incomplete months, scrutiny.rate.incomplete), left out
    here too."""
    target = None if pd.isna(detail.target) else float(detail.target)
    steps = step_changes_of(step_changes)
    months, values = kept(series.month, series.value, left_out)
    return rating_window(months, values, detail.improvement, up_to=Month.of(detail.month), target=target,
                         step_changes=steps)


def kept(months, values, left_out: Collection[Month] = ()) -> tuple[list[Month], list[float]]:
    """(months, values) of a series, without the months left out: the months as Months, from a
    query result's month column (or any dates)."""
    left_out = set(months_of(left_out))
    pairs = [(m, float(v)) for m, v in zip(months_of(months), values) if m not in left_out]
    return [m for m, _ in pairs], [v for _, v in pairs]


def step_changes_of(frame: pd.DataFrame | None) -> tuple[StepChange, ...]:
    """The step changes of a plan/step_changes (or trends/step_changes) query result."""
    if frame is None:
        return ()
    return tuple(StepChange(month, reason) for month, reason in zip(months_of(frame.month), frame.reason))
