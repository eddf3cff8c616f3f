"""Places compared on a funnel plot (the Compare forces page): which places can be compared,
their funnel, and whether they differ beyond chance, so that the page only shows them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from scrutiny.core.months import missing_months, month_runs, months_of, ranges_in_words
from scrutiny.rate import funnel
from scrutiny.show import compare_view


@dataclass(frozen=True)
class Comparison:
    kept: pd.DataFrame      # the places with figures for every month of the period
    left_out: pd.DataFrame  # the others, with the reason (compare_view.left_out_note says it)
    method: str             # funnel.METHODS
    table: pd.DataFrame | None = None  # funnel.funnel_table's, once there are two places to compare
    fitted: funnel.Funnel | None = None

    @property
    def enough(self) -> bool:
        return self.table is not None

    @property
    def outside_998(self) -> int:
        return compare_view.outside_998(self.table)

    @property
    def by_chance(self) -> float:
        """How many places chance alone would put outside the 99.8% limits."""
        return funnel.expected_outside(len(self.table), "99.8%")

    @property
    def differ_beyond_chance(self) -> bool:
        """Limits of chance alone, and so many places outside them that they differ for reasons
        beyond chance: the page suggests the limits that allow for the usual differences."""
        return self.method == "poisson" and funnel.differ_beyond_chance(self.outside_998, len(self.table))


def compare(units: pd.DataFrame, method: str) -> Comparison:
    """`units`: a compare/*_rates query's rows. A funnel needs at least two places."""
    kept, left_out = funnel.comparable(units)
    if len(kept) < 2:
        return Comparison(kept, left_out, method)
    table, fitted = funnel.funnel_table(kept, method)
    return Comparison(kept, left_out, method, table, fitted)


@dataclass(frozen=True)
class OverPeriod:
    units: pd.DataFrame     # the rates query's rows for the months compared
    comparison: Comparison
    months: int             # the months compared: those chosen, or fewer (see `wanted`)
    wanted: Comparison      # the comparison over the months chosen, with who was left out and why


def compare_over(rates: Callable[[int], pd.DataFrame], months: int, periods: list[int], method: str) -> OverPeriod:
    """The places compared over `months` months to the chosen month, `rates(n)` giving the
    places' figures over n months. When fewer than two places have figures for all of them (a
    gap in the files: the real Leicestershire files have none from November 2022 to December
    2023, so the 12 months to April 2024 hold 4), the longest shorter period of `periods` that
    compares two places is used instead, rather than asking for a later month that does not
    exist. With none, the chosen period's comparison (not enough) and its reasons."""
    units = rates(months)
    wanted = compare(units, method)
    if wanted.enough:
        return OverPeriod(units, wanted, months, wanted)
    for shorter in sorted((p for p in periods if p < months), reverse=True):
        shorter_units = rates(shorter)
        compared = compare(shorter_units, method)
        if compared.enough:
            return OverPeriod(shorter_units, compared, shorter, wanted)
    return OverPeriod(units, wanted, months, wanted)


def missing_months_note(force_months: pd.DataFrame) -> str | None:
    """'Months with no figures: Leicestershire Police, 14 (November 2022 to December 2023);
    Lancashire Constabulary, 17 (June 2020, August 2020 to September 2020 and November 2022 to
    December 2023).' from compare/force_months: each compared force's own gaps between the first
    and the last month of any force loaded (the month picker names only the home force's).
    None when no force has a gap."""
    if force_months.empty:
        return None
    every = months_of(force_months.month)
    first, last = min(every), max(every)
    gaps = []
    for name, months in force_months.groupby("force_name", sort=False).month:
        if missing := missing_months(months, first, last):
            gaps.append(f"{name}, {len(missing)} ({ranges_in_words(month_runs(missing))})")
    return "Months with no figures: " + "; ".join(gaps) + "." if gaps else None
