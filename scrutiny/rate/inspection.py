"""The inspection trigger: a force or partnership outside its comparison limits for two
financial quarters running.

The Leicestershire plan refresh of 2013 (shared/seeds/003) says why panels watch for it: the Home
Office monitors forces and Community Safety Partnerships against similar areas, and "if recorded
crime figures fall outside parameters set by the Home Office on two consecutive quartiles then
scrutiny will be applied by the HMIC". The Home Office's own parameters are not published, so the
comparison limits here are the funnel's (funnel.py): each financial quarter (April to June is
Q1), every place with figures for all three months is compared with the others on a funnel of
its recorded crime per resident, and a place beyond the limits in two or more consecutive
quarters is flagged. By default the limits allow for the usual differences between places
("overdispersed", funnel.py) at 95%, about two standard deviations either side of similar areas,
the band the Home Office's comparisons with most similar groups have used. With limits of chance
alone nearly every large place is outside every quarter (202 of 212 partnership-quarters of the
real Leicestershire and Lancashire files); at 99.8% none of them was. A place inside the usual
spread is outside the 95% limits one quarter in twenty by chance, two running about one in 400.

The input is quarterly figures, one row per place and quarter, summed from the monthly counts by
the compare/*_rates queries (present/comparison.py gathers them); no Streamlit, no database here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from scrutiny.core.months import add_months, month_label
from scrutiny.rate import funnel

DEFAULT_METHOD = "overdispersed"
DEFAULT_LEVEL = "95%"
OUTSIDE = {"95%": ("above 99.8%", "above 95%", "below 95%", "below 99.8%"),
           "99.8%": ("above 99.8%", "below 99.8%")}


def later_month(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months later, as a plain date."""
    later = add_months(month, count)
    return dt.date(later.year, later.month, 1)


def financial_quarter(month: dt.date) -> tuple[int, int]:
    """(the year the financial year starts, quarter 1-4): April to June 2023 is (2023, 1),
    January to March 2024 is (2023, 4)."""
    year = month.year if month.month >= 4 else month.year - 1
    return year, (month.month - 4) % 12 // 3 + 1


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 4, 1) if quarter == 1 else later_month(dt.date(year, 4, 1), 3 * (quarter - 1))


def quarter_label(start: dt.date) -> str:
    """'Q1 2023-24 (April to June 2023)'."""
    year, quarter = financial_quarter(start)
    end = later_month(start, 2)
    return (f"Q{quarter} {year}-{(year + 1) % 100:02d} "
            f"({start.strftime('%B')} to {month_label(end)})")


def complete_quarters(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first months of the financial quarters whose three months all lie from `first` to `last`."""
    year, quarter = financial_quarter(first)
    start = quarter_start(year, quarter)
    if start < dt.date(first.year, first.month, 1):
        start = later_month(start, 3)
    starts = []
    while later_month(start, 2) <= dt.date(last.year, last.month, 1):
        starts.append(start)
        start = later_month(start, 3)
    return starts


@dataclass(frozen=True)
class QuarterFigure:
    quarter_start: dt.date
    crime_count: int
    population: int
    rate_per_1000: float
    lower: float          # the limits at the place's population, per 1,000 residents
    upper: float
    side: str             # 'above' or 'below'

    @property
    def label(self) -> str:
        return quarter_label(self.quarter_start)


@dataclass(frozen=True)
class InspectionFlag:
    unit_id: str
    unit_name: str
    force_name: str
    is_home: bool
    quarters: tuple[QuarterFigure, ...]   # two or more consecutive quarters, each outside the limits

    @property
    def last_quarter(self) -> dt.date:
        return self.quarters[-1].quarter_start


def verdicts_by_quarter(quarterly: pd.DataFrame, method: str = DEFAULT_METHOD,
                        level: str = DEFAULT_LEVEL) -> pd.DataFrame:
    """Each place's funnel verdict in each quarter, among the places with figures for its three
    months (funnel.comparable): the rows of `quarterly` kept, with lower, upper, verdict, outside.
    `quarterly`: quarter_start, unit_id, unit_name, force_name, is_home, crime_count, population,
    rate_per_1000, months_with_data, months_in_period."""
    lower, upper = ("lower_99_8", "upper_99_8") if level == "99.8%" else ("lower_95", "upper_95")
    tables = []
    for start, rows in quarterly.groupby("quarter_start", sort=True):
        kept, _left_out = funnel.comparable(rows)
        if len(kept) < 2:
            continue
        table, _fitted = funnel.funnel_table(kept, method)
        tables.append(table.assign(quarter_start=start, lower=table[lower], upper=table[upper],
                                   outside=table.verdict.isin(OUTSIDE[level])))
    if not tables:
        return quarterly.iloc[0:0].assign(lower=[], upper=[], verdict=[], outside=[])
    return pd.concat(tables, ignore_index=True)


def inspection_flags(quarterly: pd.DataFrame, method: str = DEFAULT_METHOD,
                     level: str = DEFAULT_LEVEL) -> list[InspectionFlag]:
    """Every run of two or more consecutive financial quarters in which a place was outside its
    comparison limits, latest first. A quarter a place was not compared in (a month missing)
    breaks the run."""
    verdicts = verdicts_by_quarter(quarterly, method, level)
    flags = []
    for unit_id, rows in verdicts.groupby("unit_id", sort=False):
        run: list[QuarterFigure] = []
        previous = None
        for row in rows.sort_values("quarter_start").itertuples():
            start = pd.Timestamp(row.quarter_start).date()
            follows = previous is not None and later_month(previous, 3) == start
            if not row.outside or not follows:
                _close(run, rows.iloc[0], flags)
                run = []
            if row.outside:
                run.append(QuarterFigure(start, int(row.crime_count), int(row.population), float(row.rate_per_1000),
                                         float(row.lower), float(row.upper),
                                         "above" if row.verdict.startswith("above") else "below"))
            previous = start
        _close(run, rows.iloc[0], flags)
    return sorted(flags, key=lambda f: (-f.last_quarter.toordinal(), not f.is_home, f.unit_name))


def _close(run: list[QuarterFigure], place, flags: list[InspectionFlag]) -> None:
    if len(run) >= 2:
        flags.append(InspectionFlag(str(place.unit_id), str(place.unit_name), str(place.force_name),
                                    bool(place.is_home), tuple(run)))
