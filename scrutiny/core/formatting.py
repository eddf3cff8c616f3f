"""Numbers and changes written for people: thousands separators, signs, counts beside percentages."""
from __future__ import annotations

import math

import pandas as pd


def is_missing(value) -> bool:
    """None, NaN or pandas' NA (what a query returns for a month with no figure a year before)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def count(value) -> str:
    return "not available" if is_missing(value) else f"{int(value):,}"


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


def change_phrase(now, then, change_pct) -> str:
    """'down 7.1% (1,203 against 1,295)': the direction in words, with both counts."""
    if is_missing(then) or is_missing(change_pct):
        return f"{count(now)} (no figure for a year before)"
    if change_pct == 0:
        direction = "no change"
    else:
        direction = ("up " if change_pct > 0 else "down ") + percent(change_pct, signed=False)
    return f"{direction} ({count(now)} against {count(then)})"
