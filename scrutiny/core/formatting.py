"""Numbers and changes written for people: thousands separators, signs, counts beside percentages."""
from __future__ import annotations

import math

import pandas as pd

from scrutiny.core.vocab import COUNT, PERCENT


def is_missing(value) -> bool:
    """None, NaN, pandas' NA (what a query returns for a month with no figure a year before) or
    NaT (a month-less row of a left join, such as a place with no ratings in the peers' grid)."""
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def count(value) -> str:
    return "not available" if is_missing(value) else f"{int(value):,}"


def measure_value(value, unit: str = COUNT) -> str:
    """A measure's value as every page, chart, table, explanation and the pack show it.

    At most one decimal place, dropped when it is 0 (1234.0 -> '1,234', 1234.56 -> '1,234.6',
    12.04 -> '12'); a percent measure adds '%' (12.0 -> '12%', 90.14 -> '90.1%'). Rounding
    comes first, so a value shows the same whichever page rounds it.
    """
    if is_missing(value):
        return "not available"
    text = f"{float(value):,.1f}".removesuffix(".0")
    if text == "-0":  # a tiny negative rounded away: no sign on nothing
        text = "0"
    return text + ("%" if unit == PERCENT else "")


RATE_DECIMALS = 2  # as the rate_per_1000 macro stores a rate
NO_FIGURE = "\u2013"  # an en dash in a table cell with no figure (Streamlit would draw a missing one as "None")
RATE_COLUMN_FORMAT = f"%.{RATE_DECIMALS}f"  # the same, for a table's number column (printf style)
RATE_HOVER_FORMAT = f".{RATE_DECIMALS}f"  # and for a Plotly hover (d3 style)


def rate(value) -> str:
    """A rate per 1,000 residents as every map, hover and table shows it: 12.345 -> '12.35',
    1234.5 -> '1,234.50'."""
    return "not available" if is_missing(value) else f"{float(value):,.{RATE_DECIMALS}f}"


def signed_count(value) -> str:
    """-475 -> '−475', 12 -> '+12'."""
    if is_missing(value):
        return "not available"
    return ("+" if value > 0 else "\u2212" if value < 0 else "") + f"{abs(int(value)):,}"


def percent(value, signed: bool = True) -> str:
    """-3.7 -> '−3.7%' (a true minus sign, which screen readers and projectors show clearly)."""
    if is_missing(value):
        return "not available"
    text = f"{abs(value):.1f}%"
    if not signed or value == 0:
        return text
    return ("+" if value > 0 else "\u2212") + text


def change_words(change_pct) -> str:
    """'down 7.1%', 'up 3.0%' or 'no change': a change on a year before in words, for a sentence
    that gives the counts its own way; '' when there is no percentage (no figure, or 0, before)."""
    if is_missing(change_pct):
        return ""
    if change_pct == 0:
        return "no change"
    return ("up " if change_pct > 0 else "down ") + percent(change_pct, signed=False)


def change_phrase(now, then, change_pct) -> str:
    """'down 7.1% (1,203 against 1,295)': the direction in words, with both counts."""
    if is_missing(then) or is_missing(change_pct):
        return f"{count(now)} (no figure for a year before)"
    return f"{change_words(change_pct)} ({count(now)} against {count(then)})"


def day(value) -> str:
    """A date as people write it: '5 March 2024' (a date, a datetime, a Timestamp or an ISO string)."""
    return f"{pd.Timestamp(value):%-d %B %Y}"
