"""Places compared on a funnel plot (the Compare forces page): which places can be compared,
their funnel, and whether they differ beyond chance, so that the page only shows them."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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
