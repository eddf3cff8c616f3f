"""Places compared on a funnel plot (the Compare forces page): which places can be compared,
their funnel, and whether they differ beyond chance, so that the page only shows them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from scrutiny.core import words
from scrutiny.core.crime_types import ALL_CRIME
from scrutiny.core.months import missing_months, month_label, month_runs, months_of, ranges_in_words
from scrutiny.load.office_files import PEERS_SUFFIX, Peers, beside, read_peers
from scrutiny.rate import funnel, inspection
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


# --- the peer group (the file `setup` writes beside the database) ---------------------------------

def peer_group(database: Path) -> Peers:
    """The office's peer group for this database; every place when it has none."""
    return read_peers(beside(database, PEERS_SUFFIX))


def in_peer_group(units: pd.DataFrame, peers: Peers, level: str) -> pd.DataFrame:
    """The rates query's rows the peer group keeps: always the home force's; for forces, the
    forces listed (all with none listed); for partnerships, those listed by name, else those of
    the forces listed, else all."""
    keep = units.is_home.astype(bool)
    if level != "forces" and peers.partnerships:
        keep |= units.unit_name.isin(peers.partnerships)
    elif peers.forces:
        keep |= units.force_id.isin(peers.forces)
    else:
        return units
    return units[keep].reset_index(drop=True)


# --- the inspection trigger ---------------------------------------------------------------------------

def quarterly_figures(rates: Callable[[dt.date, dt.date], pd.DataFrame], first: dt.date, last: dt.date) -> pd.DataFrame:
    """Every place's figures in each complete financial quarter from `first` to `last`:
    `rates(first_month, last_month)` gives a compare/*_rates query's rows summed over those months."""
    frames = [rates(start, inspection.later_month(start, 2)).assign(quarter_start=start)
              for start in inspection.complete_quarters(first, last)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def inspection_watch(rates: Callable[[dt.date, dt.date], pd.DataFrame], first: dt.date, last: dt.date,
                     method: str = inspection.DEFAULT_METHOD,
                     level: str = inspection.DEFAULT_LEVEL) -> list[inspection.InspectionFlag]:
    """The places outside the range of similar areas for two or more financial quarters running,
    from `first` to `last` (months), latest first. For the briefing and the pack as for Compare
    forces, e.g. forces' recorded crime:
        inspection_watch(lambda a, b: run("compare/force_rates", crime_type="All crime",
                                          first_month=a, last_month=b), first_month, month)"""
    quarterly = quarterly_figures(rates, first, last)
    return inspection.inspection_flags(quarterly, method, level) if not quarterly.empty else []


def inspection_sentence(flag: inspection.InspectionFlag) -> str:
    """'Blackpool (Lancashire Constabulary) is outside the range of similar areas for two quarters
    running: ... Above the limits in Q3 2023-24 (October to December 2023): 4,983 crimes, 35.3 per
    1,000 residents (limits 9.3 to 32.3); above ...': the last two quarters' figures, and how long
    the run is when longer. Plain text: the page escapes it."""
    place = flag.unit_name if flag.unit_name == flag.force_name else f"{flag.unit_name} ({flag.force_name})"
    run = flag.quarters
    trigger = words.INSPECTION_TRIGGER.format(
        how_many="two" if len(run) == 2 else len(run),
        when="" if len(run) == 2 else f", from {run[0].label} to {run[-1].label}")
    latest = "; ".join(
        f"{q.side} the limits in {q.label}: {q.crime_count:,} crimes, {q.rate_per_1000:.1f} per 1,000 residents "
        f"(limits {q.lower:.1f} to {q.upper:.1f})" for q in run[-2:])
    return f"{place} is {trigger}. {latest[0].upper()}{latest[1:]}."


RATES_QUERIES = {"forces": "compare/force_rates", "csps": "compare/csp_rates"}  # by compare_view.LEVELS


def peer_rates(query, level: str, peers: Peers, crime_type: str, first_month: dt.date,
               last_month: dt.date) -> pd.DataFrame:
    """The peer group's places at `level` ('forces' or 'csps') with their counts and rates of
    `crime_type` over those months: what Compare forces, the briefing and the pack compare."""
    return in_peer_group(query(RATES_QUERIES[level], crime_type=crime_type, first_month=first_month,
                               last_month=last_month), peers, level)


def peers_over_periods(query, level: str, peers: Peers, crime_type: str, month: dt.date, months: int,
                       periods: tuple[int, ...], method: str) -> OverPeriod:
    """Compare forces' funnel: the peer group over the `months` to `month`, or the longest of the
    shorter `periods` every place has (compare_over). Query first, so the app works it out once
    for every session (ui.derived)."""
    return compare_over(lambda n: peer_rates(query, level, peers, crime_type, compare_view.first_month(month, n), month),
                        months, list(periods), method)


def peers_inspection_watch(query, level: str, peers: Peers, first: dt.date, last: dt.date) -> list[inspection.InspectionFlag]:
    """Compare forces' list of places outside the range of similar areas for two quarters running,
    by recorded crime among the peer group (inspection_watch); query first, as peers_over_periods."""
    return inspection_watch(lambda a, b: peer_rates(query, level, peers, ALL_CRIME, a, b), first, last)


def home_flags_now(query, month: dt.date, peers: Peers | None = None) -> list[inspection.InspectionFlag]:
    """The home force, and the partnerships of its area, outside the range of similar areas for two
    financial quarters running or more, up to the latest complete quarter by `month`: what the
    briefing and the pack say. (Compare forces lists every run, past ones too, for every place.)
    Recorded crime (all crime) among the peer group, with the limits Compare forces uses by default."""
    loaded = query("compare/force_months")
    if loaded.empty:
        return []
    first = min(loaded.month)
    first = dt.date(first.year, first.month, 1)
    quarters = inspection.complete_quarters(first, month)
    if not quarters:
        return []
    peers = peers or Peers()
    found = []
    for level in RATES_QUERIES:
        def rates(first_month, last_month, level=level):
            return peer_rates(query, level, peers, ALL_CRIME, first_month, last_month)
        found += [flag for flag in inspection_watch(rates, first, month)
                  if flag.is_home and flag.last_quarter == quarters[-1]]
    return found


def no_flags_sentence(unit_word: str, first: dt.date, last: dt.date) -> str:
    quarters = inspection.complete_quarters(first, last)
    if not quarters:
        return f"No complete financial quarter is loaded up to {month_label(last)}, so no place can be checked yet."
    return words.INSPECTION_NONE.format(unit_word=unit_word, were="were",
                                        first=inspection.quarter_label(quarters[0]),
                                        last=inspection.quarter_label(quarters[-1]))
