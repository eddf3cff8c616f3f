"""A crime type's monthly series in an area (the Trends page): is the chosen month unusual?"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scrutiny.core import formatting
from scrutiny.core.months import Month, gaps_sentence, missing_months, missing_ranges, months_of
from scrutiny.core.vocab import LOWER
from scrutiny.rate.spc import MIN_POINTS, SpcResult
from scrutiny.show.spc_chart import describe_rules
from scrutiny.rate.window import kept, rating_window, step_changes_of


@dataclass(frozen=True)
class LatestWindow:
    result: SpcResult  # the SPC analysis of the window a rating of this month would look at

    @property
    def last_month(self) -> Month:
        return self.result.points[-1].period

    @property
    def span_words(self) -> str:
        """'22 months to April 2024 (14 missing)': the points charted, and the calendar months
        between them that have no figures, so a count of points is not read as a span of time."""
        periods = [p.period for p in self.result.points]
        missing = len(missing_months(periods))
        return f"{len(periods)} months to {self.last_month.label}" + (f" ({missing} missing)" if missing else "")

    def answer(self, chosen) -> str:
        """'Is the latest month unusual?' in one sentence, from the same SPC result as the chart:
        the latest month's figure, its normal range, and the special cause rules it is part of."""
        latest = self.result.points[-1]
        month = self.last_month
        which = (month.label if month == Month.of(chosen)
                 else f"{month.label}, the latest month with figures up to {Month.of(chosen).label},")
        figure = f"{formatting.measure_value(latest.value)} crimes"
        if self.result.variation is None:  # too few months for a rating (the chart may draw a rough range)
            return (f"Not yet known: {which} had {figure}, but telling the usual from the unusual needs at least "
                    f"{MIN_POINTS} months of figures and there are {len(self.result.points)}.")
        if latest.kind is not None:
            better = "an improvement (fewer crimes)" if latest.kind == "improvement" else "a concern (more crimes)"
            return (f"Yes: {which} had {figure}, a special cause that is {better}: "
                    f"{describe_rules(latest.rules)}.")
        low, high = formatting.measure_value(max(latest.lower_limit, 0)), formatting.measure_value(latest.upper_limit)
        return (f"No: {which} had {figure}, within the normal range of {low} to {high} a month, "
                "with no unusual pattern.")


def up_to(series: pd.DataFrame, month) -> pd.DataFrame:
    """A trends/monthly_series result cut at the chosen month: the Trends page shows the months
    to the one chosen in the sidebar, so its charts and titles speak of that month."""
    last = Month.of(month)
    return series[[m <= last for m in months_of(series.month)]].reset_index(drop=True)


def latest_window(series: pd.DataFrame, up_to, step_changes: pd.DataFrame | None = None,
                  left_out=()) -> LatestWindow | None:
    """The SPC analysis of a trends/monthly_series result up to the chosen month, over the same
    window a stored rating looks at, with the step changes the plan records for the measure of
    this crime type (trends/step_changes), so the Trends and Plan charts of one series agree.
    `left_out`: an area's incomplete months (meeting.left_out_months), which its ratings leave out.
    Fewer crimes is better. None when the series has no month up to `up_to`."""
    months, values = kept(series.month, series.crime_count, left_out)
    up_to = Month.of(up_to)
    if not months or months[0] > up_to:
        return None
    return LatestWindow(rating_window(months, values, LOWER, up_to=up_to, step_changes=step_changes_of(step_changes)))


def rolling_total_note(series: pd.DataFrame, month) -> str | None:
    """Why the 12-month total to `month` is blank, naming the months missing from the data:
    'There is no 12-month total to April 2024: not all 12 months are in the data. May 2023 to
    December 2023 are missing from the data.' None when there is a total. The total itself is
    trends/monthly_series's, over calendar months, never the sum of the last 12 rows."""
    month = Month.of(month)
    totals = dict(zip(months_of(series.month), series.rolling_12_month_total))
    total = totals.get(month)
    if total is not None and total == total:
        return None
    gaps = gaps_sentence(missing_ranges(totals, month.plus(-11), month))
    return (f"There is no 12-month total to {month.label}: not all 12 months are in the data."
            + (f" {gaps}" if gaps else ""))
