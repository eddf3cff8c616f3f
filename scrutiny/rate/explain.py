"""One short paragraph, for every rating, that a panel member can read aloud.

It says what the latest figure is against the same month a year before (counts and percent),
whether that is within the normal range and where that range comes from, which pattern (if any)
was found and what it means, where the figure stands against the target, and so the rating.
It avoids statistical jargon: the Plan and Methodology pages explain the terms.
"""
from __future__ import annotations

from scrutiny.core import formatting
from scrutiny.core.months import month_label, parse_month
from scrutiny.rate.rag import AMBER, GREEN, NOT_RATED, RED
from scrutiny.rate.spc import MIN_POINTS

REASONS = {
    (RED, "variation"): "Rated red: the change is for the worse.",
    (RED, "assurance"): "Rated red: the target will not be met without change.",
    (GREEN, "variation"): "Rated green: the change is for the better.",
    (GREEN, "assurance"): "Rated green: the target is met every month.",
    (AMBER, "common_cause"): "Rated amber: no clear change.",
}


def figure(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:.1f}%"
    return formatting.count(round(value))


def _year_on_year(r: dict) -> str:
    then = r["value_previous_year"]
    if then is None:
        return "There is no figure for a year before."
    if r["unit"] == "percent":
        points = r["change_points"]
        if abs(points) < 0.05:
            return f"That is the same as a year before ({figure(then, 'percent')})."
        direction = "up" if points > 0 else "down"
        return f"That is {direction} {abs(points):.1f} points on {figure(then, 'percent')} a year before."
    change = r["change_pct"]
    if change is None:
        return f"A year before it was {figure(then, 'count')}."
    if change == 0:
        return f"That is the same as a year before ({figure(then, 'count')})."
    direction = "up" if change > 0 else "down"
    return f"That is {direction} {abs(change):.1f}% on {figure(then, 'count')} a year before."


def _normal_range(r: dict) -> str:
    lower, upper, unit = r["lower_limit"], r["upper_limit"], r["unit"]
    span = f"{month_label(parse_month(r['window_first']))} to {month_label(parse_month(r['window_last']))}"
    if unit != "percent" and lower <= 0:
        band = f"up to {figure(upper, unit)}"
    else:
        band = f"{figure(max(lower, 0), unit)} to {figure(upper, unit)}"
    per = "" if unit == "percent" else " a month"
    since = f"From {span}"
    if r.get("step_change_month"):  # the limits are those of the phase since the step change
        since = f"Since the step change in {month_label(parse_month(r['step_change_month']))} ({r['step_change_reason']})"
    return f"{since}, the normal range was {band}{per}."


def _pattern(r: dict) -> str:
    rule, run, above = r["decided_rule"], r["run_length"], r["latest_above_mean"]
    side = "above" if above else "below"
    if rule == "astronomical":
        return f"This month was {side} that range, which is very unlikely by chance."
    if rule == "two_in_three":
        return f"Two of the last three months were near the {'top' if above else 'bottom'} of it, which is unlikely by chance."
    if rule == "shift":
        return f"The last {run} months were all {side} the average of {figure(r['mean'], r['unit'])}, which is unlikely by chance."
    if rule == "trend":
        return f"It has {'risen' if r['trend_rising'] else 'fallen'} {run} months in a row, which is unlikely by chance."
    return "This month was within that range, with no unusual pattern."


def _target(r: dict) -> str:
    target, assurance = r["target"], r["assurance"]
    if target is None:
        return "There is no target."
    t = figure(target, r["unit"])
    if assurance == "pass":
        return f"The whole range is on the right side of the {t} target."
    if assurance == "fail":
        return f"The whole range is on the wrong side of the {t} target."
    return f"The {t} target is inside the range, so it is met in some months only."


def explain(r: dict) -> str:
    """r: a rating's figures (see scrutiny.rate.ratings.rate_series) with the measure's name and unit."""
    opening = f"{r['measure_name']} in {r['area_name']} was {figure(r['value'], r['unit'])} in {month_label(parse_month(r['month']))}."
    if r["rag"] == NOT_RATED:
        have = "There is 1 month of figures" if r["points"] == 1 else f"There are {r['points']} months of figures"
        return f"{opening} {have} so far, and a rating needs {MIN_POINTS}. So it is not rated yet."
    parts = [opening, _year_on_year(r), _normal_range(r), _pattern(r), _target(r),
             REASONS[r["rag"], r["decided_by"]]]
    return " ".join(parts)
