"""Year on year: the change on the same month a year before, and is it notable?

`change_pct` is the one percentage change in Python, rounded as the SQL macro `change_pct`
(store/schema/08_macros.sql) rounds it for the queries; `year_before` finds the figure a year
before by its month, never by its position (a missing month would shift every position).

Is a month's count notably different from the same month a year before?
The one test every page, slide, the pack, the ratings and the command line use. Both counts are
random, so the question is whether they differ by more than chance would make them: given
n = now + then crimes in the two months, and nothing changed, each crime is as likely to fall in
either month, so `now` follows Binomial(n, 1/2). The two-sided p-value is the chance of a split
at least as uneven as the one seen; the change is notable when p < 0.05. This is exactly
`scipy.stats.binomtest(now, n, 0.5).pvalue` (tests/test_yoy.py proves it over a grid of counts).

(The dashboard once used a Z score of the square roots of the two counts, notable at 2 or more in size. With both counts random
that Z has a standard deviation of sqrt(2), not 1, so it called about one month in six
"notable" when nothing had changed, and 0 against 3 notable though p = 0.25.)

There is no test when either count is missing (no figure a year before), or both are 0.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.stats import binom

from scrutiny.core.months import Month

NOTABLE_BELOW = 0.05  # two-sided p-value under which a change is called notable
CHANGE_DECIMALS = 1  # as the change_pct macro rounds


def change_pct(now, then) -> float | None:
    """The percentage change from `then` to `now`, to CHANGE_DECIMALS places; None when there is
    no figure a year before or it was 0 (no percentage of nothing)."""
    if _missing(now) or _missing(then) or then == 0:
        return None
    return round(100.0 * (now - then) / then, CHANGE_DECIMALS)


def year_before(by_month: Mapping[Month, float], month):
    """The figure of the same month a year before, looked up by its month in `by_month`; None
    when that month has none (missing, or NaN)."""
    then = by_month.get(Month.of(month).year_before)
    return None if _missing(then) else then


def p_values(now, then) -> np.ndarray:
    """Two-sided p-values of the exact test for arrays of counts; NaN where there is no test.

    For p = 1/2 the binomial distribution is symmetric, so the outcomes at most as likely as
    `now` are those at least as far from n/2: p = 2 P(X <= min(now, then)), capped at 1.
    """
    now = np.asarray(now, dtype=float)
    then = np.asarray(then, dtype=float)
    total = now + then
    testable = np.isfinite(total) & (now >= 0) & (then >= 0) & (total > 0)
    smaller = np.where(testable, np.minimum(now, then), 0)
    with np.errstate(invalid="ignore"):
        p = np.minimum(1.0, 2 * binom.cdf(smaller, np.where(testable, total, 1), 0.5))
    return np.where(testable, p, np.nan)


def p_value(now, then) -> float | None:
    """The p-value for one pair of counts, or None when there is no test."""
    if _missing(now) or _missing(then):
        return None
    p = float(p_values([now], [then])[0])
    return None if np.isnan(p) else p


def is_notable(p: float | None) -> bool | None:
    """True or False; None when there was no test."""
    return None if _missing(p) else bool(p < NOTABLE_BELOW)


def with_test(table: pd.DataFrame, now: str = "crime_count", then: str = "count_previous_year") -> pd.DataFrame:
    """A copy of `table` with `p_value` (NaN: no test) and `notable` (True, False or None)."""
    p = p_values(pd.to_numeric(table[now], errors="coerce"), pd.to_numeric(table[then], errors="coerce"))
    notable = pd.Series([is_notable(v) for v in p], index=table.index, dtype=object)
    return table.assign(p_value=p, notable=notable)


def by_strength(table: pd.DataFrame) -> pd.DataFrame:
    """The rows from the strongest evidence of change (smallest p) to the weakest; untested last."""
    return table.assign(_size=table.change_pct.abs()).sort_values(
        ["p_value", "_size"], ascending=[True, False], na_position="last", kind="stable").drop(columns="_size")


def notable_word(notable) -> str:
    """'Yes', 'No', or '' when there was no test: for tables."""
    return "" if _missing(notable) or notable != notable else ("Yes" if notable else "No")


def notable_note(notable, before: str = ", ", say_not: bool = False) -> str:
    """The test's verdict as a note after a change: `before` + 'notable' when it is; + 'not
    notable' when it is not and `say_not` (a hover, which lists every area); '' otherwise."""
    if notable is True:
        return f"{before}notable"
    return f"{before}not notable" if notable is False and say_not else ""


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
