"""A crime type's monthly series in an area (the Trends page): is the latest month unusual?"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scrutiny.core.months import months_of
from scrutiny.rate.rag import RATING_WINDOW_MONTHS
from scrutiny.rate.spc import SpcResult, analyse


@dataclass(frozen=True)
class LatestWindow:
    months: pd.DataFrame  # the series' last months, as many as a rating looks at
    result: SpcResult     # their SPC analysis; fewer crimes is better


def latest_window(series: pd.DataFrame) -> LatestWindow:
    """The last RATING_WINDOW_MONTHS rows of a trends/monthly_series result and their SPC
    analysis: the same window a stored rating looks at."""
    window = series.tail(RATING_WINDOW_MONTHS)
    return LatestWindow(window, analyse([m.key for m in months_of(window.month)],
                                        [float(v) for v in window.crime_count], "lower"))
