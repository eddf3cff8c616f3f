"""One short paragraph, for every rating, that a panel member can read aloud.

It says what the latest figure is against the same month a year before (counts and percent),
whether that is within the normal range and where that range comes from, which pattern (if any)
the latest month shows and what it means, where the target stands against the range, and so the
rating. It avoids statistical jargon: the Plan and Methodology pages explain the terms.

The paragraph is written from typed facts (`Facts`, and the SPC engine's `Pattern` of the latest
month), which scrutiny.rate.ratings takes from the SPC result; this module only words them.
Every number is written by scrutiny.core.formatting, the same formatter as the chart and the
table beside it.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from scrutiny.core import formatting, words
from scrutiny.core.formatting import measure_value as figure  # the one formatter of a value
from scrutiny.core.months import Month, gaps_sentence, month_label, month_runs, ranges_in_words
from scrutiny.core.vocab import (AMBER, ASSURANCE, COMMON_CAUSE, GREEN, HIGHER, NOT_RATED, PERCENT, RED,
                                 VARIATION)
from scrutiny.rate.incomplete import share_words
from scrutiny.rate.rag import RATING_WINDOW_MONTHS
from scrutiny.rate.spc import MIN_POINTS, Pattern  # Pattern: re-exported, a field of Facts

REASONS = {
    (RED, VARIATION): "Rated red: the change is for the worse.",
    (RED, ASSURANCE): "Rated red: the target will not be met without change.",
    (GREEN, VARIATION): "Rated green: the change is for the better.",
    (GREEN, ASSURANCE): "Rated green: the target is met every month.",
    (AMBER, COMMON_CAUSE): "Rated amber: no clear change.",
}


@dataclass(frozen=True)
class Facts:
    """Everything a rating's explanation states, for one measure, area and month."""
    measure_name: str
    area_name: str
    unit: str                  # scrutiny.core.vocab.UNITS
    improvement: str           # scrutiny.core.vocab.IMPROVEMENT_DIRECTIONS
    month: dt.date
    value: float
    points: int                # months in the window the rating looks at
    rag: str
    decided_by: str            # 'variation', 'assurance', 'common_cause' or 'too_few_points'
    value_previous_year: float | None = None
    change_pct: float | None = None     # counts: % change on the year before (None when it was 0)
    change_points: float | None = None  # percent measures: the change in percentage points
    window_first: dt.date | None = None
    window_last: dt.date | None = None
    mean: float | None = None
    lower_limit: float | None = None
    upper_limit: float | None = None
    target: float | None = None
    pattern: Pattern | None = None
    step_change_month: dt.date | None = None  # the latest phase's step change, if any
    step_change_reason: str | None = None
    # the calendar months of the range's span (window_first or the step change, to window_last)
    # with no figures: the range comes from the months either side, and the reader should know
    missing_months: tuple[dt.date, ...] = ()
    # an area's months left out of the window because too many of the force's crimes that month
    # have no area (scrutiny.rate.incomplete): (month, % of the force's crimes not placed)
    left_out: tuple[tuple[dt.date, float], ...] = ()


def explain(facts: Facts) -> str:
    opening = (f"{facts.measure_name} in {facts.area_name} was {figure(facts.value, facts.unit)} "
               f"in {month_label(facts.month)}.")
    if facts.rag == NOT_RATED:
        have = "There is 1 month of figures" if facts.points == 1 else f"There are {facts.points} months of figures"
        left_out = _left_out_months(facts, Month.of(facts.month).plus(1 - RATING_WINDOW_MONTHS), year_before_too=True)
        return " ".join([opening, f"{have} so far, and a rating needs {MIN_POINTS}.", *left_out, "So it is not rated yet."])
    parts = [opening, _year_on_year(facts), _normal_range(facts), _pattern(facts), _target(facts),
             REASONS[facts.rag, facts.decided_by]]
    return " ".join(parts)


def _year_on_year(f: Facts) -> str:
    then = f.value_previous_year
    year_before = dict(f.left_out).get(_year_before(f.month))
    if then is None and year_before is not None:
        return _left_out_sentence(_year_before(f.month), year_before).replace(" is left out:", ", a year before, is left out:")
    if then is None:
        return "There is no figure for a year before."
    if f.unit == PERCENT:
        points = f.change_points
        if points == 0:
            return f"That is the same as a year before ({figure(then, f.unit)})."
        size = formatting.measure_value(abs(points))
        noun = "percentage point" if size == "1" else "percentage points"
        return f"That is {_up_or_down(points)} {size} {noun} on {figure(then, f.unit)} a year before."
    if f.change_pct is None:
        return f"A year before it was {figure(then, f.unit)}."
    if f.change_pct == 0:
        return f"That is the same as a year before ({figure(then, f.unit)})."
    change = formatting.percent(f.change_pct, signed=False)
    return f"That is {_up_or_down(f.change_pct)} {change} on {figure(then, f.unit)} a year before."


def _up_or_down(change: float) -> str:
    return "up" if change > 0 else "down"


def _normal_range(f: Facts) -> str:
    span = f"{month_label(f.window_first)} to {month_label(f.window_last)}"
    if f.unit != PERCENT and f.lower_limit <= 0:  # a count cannot go below 0
        band = f"up to {figure(f.upper_limit, f.unit)}"
    else:
        band = f"{figure(max(f.lower_limit, 0), f.unit)} to {figure(f.upper_limit, f.unit)}"
    per = "" if f.unit == PERCENT else " a month"
    since = f"From {span}"
    if f.step_change_month is not None:  # the limits are those of the phase since the step change
        since = f"Since the step change in {month_label(f.step_change_month)} ({f.step_change_reason})"
    gap = gaps_sentence(month_runs(f.missing_months))
    # the calendar window (or the phase since the step change): its first points may be left out
    first = f.step_change_month or Month.of(f.window_last).plus(1 - RATING_WINDOW_MONTHS)
    return " ".join([f"{since}, the normal range was {band}{per}.", *([gap] if gap else []), *_left_out_months(f, first)])


def _left_out_months(f: Facts, first: dt.date, year_before_too: bool = False) -> list[str]:
    """The sentence naming the months from `first` to the rated month left out of the window, or
    none; the year before, when left out, is named by the year-on-year sentence of a rating already."""
    found = [(m, share) for m, share in f.left_out
             if first <= m <= f.month and (year_before_too or m != _year_before(f.month))]
    if len(found) == 1:
        return [_left_out_sentence(*found[0])]
    if not found:
        return []
    shares = sorted(share for _, share in found)
    return [words.MONTHS_LEFT_OUT.format(months=ranges_in_words(month_runs([m for m, _ in found])),
                                         low=share_words(shares[0]), high=share_words(shares[-1]))]


def _left_out_sentence(month: dt.date, share: float) -> str:
    """'March 2020 is left out: 16.5% of the force's crimes that month have no area.'"""
    return words.MONTH_LEFT_OUT.format(month=month_label(month), share=share_words(share))


def _year_before(month: dt.date) -> dt.date:
    return dt.date(month.year - 1, month.month, 1)


def _pattern(f: Facts) -> str:
    """The latest month's pattern, whatever decided the rating (a target may decide it while the
    month itself is beyond the range)."""
    p = f.pattern
    above = p.way > 0
    if p.rule == "astronomical":
        return f"This month was {'above' if above else 'below'} that range, which is very unlikely by chance."
    if p.rule == "two_in_three":
        edge = "top" if above else "bottom"
        beyond = f", or {'above' if above else 'below'} it" if p.beyond_range else ""
        which = "The last three months were all" if p.length == 3 else "Two of the last three months were"
        return f"{which} near the {edge} of it{beyond}, which is unlikely by chance."
    if p.rule == "shift":
        return (f"The last {p.length} months were all {'above' if above else 'below'} the average of "
                f"{figure(f.mean, f.unit)}, which is unlikely by chance.")
    if p.rule == "trend":
        return (f"Each of the last {p.length} months was {'higher' if above else 'lower'} than the month "
                "before, which is unlikely by chance.")
    return "This month was within that range, with no unusual pattern."


def _target(f: Facts) -> str:
    """Where the target stands against the normal range, read from the numbers themselves."""
    if f.target is None:
        return "There is no target."
    t = figure(f.target, f.unit)
    on_lower, on_upper = _same(f.target, f.lower_limit), _same(f.target, f.upper_limit)
    if on_lower and on_upper:  # no variation at all: every month had the same figure
        return f"Every month was exactly on the {t} target."
    if on_lower or on_upper:
        return f"The {t} target is at the edge of the range."
    if f.lower_limit < f.target < f.upper_limit:
        return f"The {t} target is inside the range, so it is met in some months only."
    range_above = f.lower_limit > f.target
    good = range_above == (f.improvement == HIGHER)
    return f"The whole range is on the {'right' if good else 'wrong'} side of the {t} target."


def _same(a: float, b: float) -> bool:
    """Equal up to rounding: the tolerance scrutiny.rate.spc uses for its lines."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
