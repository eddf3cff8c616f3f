"""A crime type's monthly series in an area (the Trends page): is the chosen month unusual?"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scrutiny.core.months import Month, months_of
from scrutiny.core.vocab import LOWER
from scrutiny.rate.spc import SpcResult
from scrutiny.rate.window import rating_window, step_changes_of


@dataclass(frozen=True)
class LatestWindow:
    result: SpcResult  # the SPC analysis of the window a rating of this month would look at

    @property
    def last_month(self) -> Month:
        return Month.of(self.result.points[-1].period)


def latest_window(series: pd.DataFrame, up_to, step_changes: pd.DataFrame | None = None) -> LatestWindow | None:
    """The SPC analysis of a trends/monthly_series result up to the chosen month, over the same
    window a stored rating looks at, with the step changes the plan records for the measure of
    this crime type (trends/step_changes), so the Trends and Plan charts of one series agree.
    Fewer crimes is better. None when the series has no month up to `up_to`."""
    months = [m.key for m in months_of(series.month)]
    up_to = Month.of(up_to).key
    if not months or months[0] > up_to:
        return None
    return LatestWindow(rating_window(months, [float(v) for v in series.crime_count], LOWER, up_to=up_to,
                                      step_changes=step_changes_of(step_changes)))
