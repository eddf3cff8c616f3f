"""The Compare forces page's figures and words, worked out here so the page only arranges them.

`table` below is `scrutiny.rate.funnel.funnel_table`'s (one row per force or partnership area,
with its rate, limits and verdict). Texts come back plain (names from the data unescaped): the
page escapes them for Markdown.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from scrutiny.core.months import add_months, month_key, month_label
from scrutiny.rate.rag import place_rating_label

LEVELS = {"forces": "Forces", "csps": "Community Safety Partnerships"}
PERIODS = {"12": 12, "3": 3, "1": 1}  # as spelt in the link: ?period=3
LIMITS = {"poisson": "Chance alone", "overdispersed": "Allowing for the usual differences between places"}
VERDICT_WORDS = {"above 99.8%": "\u25B2\u25B2 Above the 99.8% limit", "above 95%": "\u25B2 Above the 95% limit",
                 "within": "\u25CF Within both limits", "below 95%": "\u25BC Below the 95% limit",
                 "below 99.8%": "\u25BC\u25BC Below the 99.8% limit"}
NO_RATING = "No rating"  # a place the rating engine has not rated that month
OUTSIDE_998 = ["above 99.8%", "below 99.8%"]
DOWNLOAD_COLUMNS = ["unit_name", "force_name", "is_home", "is_demo_peer", "csps", "npas", "crime_type",
                    "first_month", "last_month", "crime_count", "population", "rate_per_1000", "lower_95",
                    "upper_95", "lower_99_8", "upper_99_8", "verdict", "limits"]


def first_month(month: dt.date, months: int) -> dt.date:
    return add_months(month, -(months - 1))


def period_label(month: dt.date, months: int) -> str:
    """'January 2024' for one month, else '12 months to January 2024'."""
    return month_label(month) if months == 1 else f"{months} months to {month_label(month)}"


def period_words(month: dt.date, months: int) -> str:
    """The period in a sentence: 'the 3 months to January 2024 (November 2023 to January 2024)'."""
    if months == 1:
        return month_label(month)
    return (f"the {period_label(month, months)} "
            f"({month_label(first_month(month, months))} to {month_label(month)})")


def unit_word(level: str) -> str:
    return "forces" if level == "forces" else "partnership areas"


def others_name(level: str, kept: pd.DataFrame) -> str:
    """The legend's name for every point but the home force's: '(synthetic)' when all are invented."""
    others = kept[~kept.is_home]
    name = f"Other {unit_word(level)}" if level == "forces" else "Other forces' partnership areas"
    return name + (" (synthetic)" if not others.empty and others.is_demo_peer.all() else "")


def and_list(names: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def outside_998(table: pd.DataFrame) -> int:
    """How many places are beyond the 99.8% limits, either side."""
    return int(table.verdict.isin(OUTSIDE_998).sum())


def force_shapes(shapes: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Force outlines with the unit each one draws (none for a force not compared, drawn grey)."""
    return shapes.assign(unit_id=shapes.code.where(shapes.code.isin(table.unit_id)),
                         name=shapes.get("name", shapes.code))


def partnership_shapes(area_shapes: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """District (area) outlines, each tagged with the partnership area it belongs to: a
    partnership of the home force may be several of its areas (`area_ids`, '; '-separated)."""
    members = (table[["unit_id", "area_ids"]].dropna()
               .assign(code=lambda t: t.area_ids.str.split("; ")).explode("code"))
    shapes = area_shapes.merge(members[["unit_id", "code"]], on="code", how="left")
    return shapes.assign(name=shapes.code)


def not_drawn(table: pd.DataFrame, shapes: pd.DataFrame) -> list[str]:
    """Names of the places compared that have no outline on the map."""
    drawn = set(shapes.unit_id.dropna())
    return sorted(set(table.unit_name[~table.unit_id.isin(drawn)]))


def home_grouping_note(table: pd.DataFrame) -> str | None:
    """How a force's NPAs were grouped into whole partnerships, or None if no force's were. The
    sentence names the force the NPAs belong to (each, if more than one), not the home force."""
    if table.npas.isna().all():
        return None
    notes = []
    for force_name, units in table[table.npas.notna()].groupby("force_name", sort=False):
        made = [f"{r.unit_name} is {and_list(r.npas.split('; '))}" for r in units.itertuples()
                if r.npas != r.unit_name]
        covers = [f"{r.unit_name} covers {and_list(r.csps.split('; '))} partnerships" for r in units.itertuples()
                  if isinstance(r.csps, str) and "; " in r.csps]
        notes.append(f"{force_name}'s figures are kept by neighbourhood policing area (NPA), so here its NPAs are "
                     "grouped into whole Community Safety Partnerships: " + "; ".join(made + covers) + ".")
    return " ".join(notes)


def figures_table(table: pd.DataFrame, level: str, ratings: dict[str, tuple[str, str | None]] | None = None,
                  rating_month: str = "", rating_of: str = "") -> pd.DataFrame:
    """The figures behind every point, highest rate first, with the page's column names. `ratings`:
    {unit_id: (rag, decided_by)}, each place's rating of the crime type `rating_of` in the chosen
    month (place_ratings), shown as its icon and words; a place with none says so. The column's
    name says whose rating it is, as the grid above it may show another measure's."""
    columns = {"unit_name": "Name", "crime_count": "Crimes", "population": "Residents",
               "rate_per_1000": "Rate per 1,000 residents", "verdict": "Against the limits", "force_name": "Force"}
    if level == "forces":
        del columns["force_name"]
    shown = table.sort_values("rate_per_1000", ascending=False).assign(verdict=lambda t: t.verdict.map(VERDICT_WORDS))
    if ratings is not None:
        columns["rating"] = ", ".join(filter(None, (f"{rating_of} rating" if rating_of else "Rating", rating_month)))
        shown = shown.assign(rating=[place_rating_label(*ratings[u]) if u in ratings else NO_RATING for u in shown.unit_id])
    return shown[list(columns)].rename(columns=columns)


def population_sources(table: pd.DataFrame) -> str:
    """'ONS mid-2022 (Leicestershire); ...': each population's source and the forces it covers."""
    by_source = table.fillna({"population_source": "source not recorded"}).groupby("population_source", sort=False)
    return "; ".join(f"{source} ({and_list(sorted(set(group.force_name)))})" for source, group in by_source)


def left_out_note(left_out: pd.DataFrame) -> str | None:
    if left_out.empty:
        return None
    return "Left out, because their rates would not be comparable: " + "; ".join(
        f"{r.unit_name} ({r.reason})" for r in left_out.itertuples()) + "."


def download_table(table: pd.DataFrame, month: dt.date, months: int, crime_type: str, method: str) -> pd.DataFrame:
    """The figures with each place's limits and what was compared, for the CSV download."""
    return table.assign(first_month=month_key(first_month(month, months)), last_month=month_key(month),
                        crime_type=crime_type, limits=method).round(
        {c: 2 for c in ("rate_per_1000", "lower_95", "upper_95", "lower_99_8", "upper_99_8")})[DOWNLOAD_COLUMNS]


def download_name(level: str, crime_type: str, months: int, month: dt.date) -> str:
    return f"compare-{level}-{crime_type.lower().replace(' ', '-')}-{months}m-{month_key(month)}.csv"


def shorter_period_note(left_out: pd.DataFrame, unit_word: str, wanted: str, used: str) -> str:
    """Why a shorter period than the one chosen is compared: who lacks figures for the chosen one."""
    return (f"Fewer than two {unit_word} have figures for every month of the {wanted} "
            f"({_by_reason(left_out)}), "
            f"so this compares the {used} instead.")


def nothing_to_compare(left_out: pd.DataFrame, unit_word: str, month: dt.date, months: int) -> str:
    """Why nothing is compared over the months chosen, nor over the chosen month alone (the
    shortest period, tried last): the places and what they lack over the months chosen."""
    reasons = f" ({_by_reason(left_out)})" if not left_out.empty else ""
    alone = "" if months == 1 else f", nor for {month_label(month)} alone"
    every = "" if months == 1 else "every month of "
    return (f"Fewer than two {unit_word} have figures for {every}{period_words(month, months)}{alone}, "
            f"so there is nothing to compare{reasons}.")


def chance_count(expected: float) -> str:
    """How many places chance alone would put outside the limits, in words: 'about 0.0' read as if
    there were a figure, so below one it is 'fewer than one'."""
    return "fewer than one" if expected < 0.95 else f"about {expected:.0f}"


def _by_reason(left_out: pd.DataFrame) -> str:
    """'figures for 4 of 12 months: Leicestershire Police and Lancashire Constabulary': the places
    grouped by what they lack, so twenty places with the same gap read as one reason."""
    names = left_out.groupby("reason", sort=False).unit_name.agg(list)
    return "; ".join(f"{reason}: {and_list(places)}" for reason, places in names.items())
