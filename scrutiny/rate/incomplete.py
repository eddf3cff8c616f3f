"""Months the files leave incomplete for the areas.

data.police.uk places a crime in an area by its location; a record with no location (or one
outside the force) counts for the force but for none of its areas. When a month's share of crimes
not placed is both over NOT_PLACED_WARNING_SHARE and over USUAL_SHARE_FACTOR times the force's usual
share (the median over the months loaded), the month is **incomplete for the areas**: its area
counts are too low by an unknown amount, unevenly (in March 2020, 1,168 of Leicestershire's 7,083
crimes had no location, and Harborough and Wigston shows 9 crimes). The force's own figures count
every record, so the month is complete for the force.

Why against the force's own usual share, not 5% alone: a force's share of crimes with no location
is its own habit. Leicestershire's usual share is 1.0% (December 2019 to May 2020, 5.6% to 16.5%,
and June 2022, 5.04%, stand out, and are incomplete under either rule); Lancashire's is 6.5%, so a
flat 5% left out 21 of its 36 months and no partnership was ever rated. A month's areas are
short of crimes compared with their other months only when the month stands out from the force's
usual share: twice it (Lancashire's 13.0%: February, March and July 2020, May to October 2021).

So, for an area (never for the force):
- a change on a year before that is for, or compares with, an incomplete month is not tested
  for being notable (its p-value and verdict are left blank, with the reason);
- an incomplete month is left out of the area's rating window, as a missing month (the moving
  range does not bridge it), and the rating's explanation names it; the month itself is not rated.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Iterable

import pandas as pd

from scrutiny.core import formatting, words
from scrutiny.core.months import Month

NOT_PLACED_WARNING_SHARE = 0.05  # at most this share of a month's crimes in no area: never incomplete
USUAL_SHARE_FACTOR = 2  # and over this many times the force's median share: incomplete for the areas
# A median of fewer months than this is not a usual level (two bad months of a new database would be
# "usual"): below it, the share alone decides.
USUAL_SHARE_MIN_MONTHS = 12


@dataclass(frozen=True)
class MonthQuality:
    """How many of a month's crime records (anti-social behaviour aside) are placed in an area."""
    force_name: str
    month: Month
    records: int
    placed: int
    not_placed: int
    usual_share: float = 0.0  # the force's median share not placed over the months loaded (qualities sets it)

    @property
    def share_not_placed(self) -> float:
        return self.not_placed / self.records if self.records else 0.0

    @property
    def needs_warning(self) -> bool:
        """Incomplete for the areas: more than NOT_PLACED_WARNING_SHARE of its crimes in no area,
        and more than USUAL_SHARE_FACTOR times the force's usual share."""
        return self.share_not_placed > max(NOT_PLACED_WARNING_SHARE, USUAL_SHARE_FACTOR * self.usual_share)

    def share_words(self) -> str:
        return share_words(100 * self.share_not_placed)

    def _figures(self) -> dict:
        return dict(force=self.force_name, month=self.month.label, records=formatting.count(self.records),
                    placed=formatting.count(self.placed), not_placed=formatting.count(self.not_placed),
                    share=self.share_words())

    def sentence(self) -> str:
        """'Leicestershire Police, March 2020: 7,083 crimes in the files, 5,915 placed in an area,
        1,168 not placed (16.5%)'."""
        return words.MONTH_QUALITY.format(**self._figures())

    def warning(self) -> str | None:
        """The warning beside the month's figures, or None when few enough are not placed; it
        names the force's usual share when the rule used one."""
        if not self.needs_warning:
            return None
        against = (words.USUAL_SHARE_AGAINST.format(factor=_factor_words(), usual=share_words(100 * self.usual_share))
                   if self.usual_share else "")
        return words.NOT_PLACED_WARNING.format(**self._figures(), against=against)

    def compared_warning(self) -> str | None:
        """The warning about the month a year before, which the chosen month is compared with."""
        return words.COMPARED_MONTH_WARNING.format(**self._figures()) if self.needs_warning else None

    def left_out(self) -> str:
        """'March 2020 is left out: 16.5% of the force's crimes that month have no area.'"""
        return words.MONTH_LEFT_OUT.format(**self._figures())


def share_words(share_pct: float) -> str:
    """'16.5%'; with two decimals where one would read as the threshold itself ('5.04%', not '5.0%')."""
    if round(share_pct, 1) == 100 * NOT_PLACED_WARNING_SHARE:
        return f"{share_pct:.2f}%"
    return formatting.percent(share_pct, signed=False)


def home_qualities(frame: pd.DataFrame) -> dict[Month, MonthQuality]:
    """qualities() of the home force: its rows of queries/common/month_qualities."""
    return qualities(frame[frame.is_home])


def qualities(frame: pd.DataFrame) -> dict[Month, MonthQuality]:
    """{month: its quality} from one force's rows of queries/common/month_qualities (every month loaded),
    each carrying the force's usual share not placed: the median of those months' shares (0 with
    fewer than USUAL_SHARE_MIN_MONTHS of them)."""
    rows = [row for row in frame.itertuples() if row.records]
    usual = (statistics.median(row.not_placed / row.records for row in rows)
             if len(rows) >= USUAL_SHARE_MIN_MONTHS else 0.0)
    return {Month.of(row.month): MonthQuality(row.force_name, Month.of(row.month), int(row.records),
                                              int(row.placed), int(row.not_placed), usual)
            for row in rows}


def rule_words() -> str:
    """The rule in the words the Methodology page, the pack and the README use."""
    return words.INCOMPLETE_MONTH_RULE.format(floor=f"{100 * NOT_PLACED_WARNING_SHARE:g}%",
                                              factor=_factor_words(),
                                              min_months=USUAL_SHARE_MIN_MONTHS)


def incomplete(found: dict[Month, MonthQuality]) -> dict[Month, MonthQuality]:
    """The months of `found` that are incomplete for the areas."""
    return {month: quality for month, quality in found.items() if quality.needs_warning}


def comparison_incomplete(month, incomplete_months: dict[Month, MonthQuality]) -> list[MonthQuality]:
    """The incomplete months among `month` and the same month a year before (its comparison), in
    that order: an area's change between them is not tested when this is not empty."""
    month = Month.of(month)
    return [incomplete_months[m] for m in (month, month.year_before) if m in incomplete_months]


def not_tested_reason(months: Iterable[MonthQuality]) -> str:
    """Why the areas' changes are not tested: 'March 2020 had 16.5% of its crimes not placed in
    an area, so the areas' counts are incomplete'."""
    return "; ".join(words.INCOMPLETE_MONTH_REASON.format(**m._figures()) for m in months)


def _factor_words() -> str:
    return "twice" if USUAL_SHARE_FACTOR == 2 else f"{USUAL_SHARE_FACTOR:g} times"
