"""XmR charts drawn the "Making Data Count" way, for a projector, with a table alternative.

The data points are joined by a line; the average is a solid line, the process limits (the
normal range) dashed and the 2-sigma lines dotted. Special cause points are marked by colour AND
shape: improvement in turquoise with a triangle pointing the way that is better, concern in
orange with a diamond, each in its own named trace so the legend explains them.

Whether a special cause point is improvement or concern is the SPC engine's call (SpcPoint.kind);
the chart only draws it. Each phase (see step changes in `scrutiny.rate.spc`) has its own average
and limits, drawn apart, and each step change is a labelled vertical line. A lasting shift with no
step change recorded is noted above the chart, never re-based.

A month missing from the series breaks the line, as it breaks the run rules: joining the points
either side would draw a change nobody observed. Each run of missing months is shaded "No data".

A provisional month (outcomes still being recorded, scrutiny.rate.provisional) is a hollow circle
in a grey band labelled "Provisional", and "Yes" in the table's Provisional column: its figure is
shown, but it is not settled and not rated.
"""
from __future__ import annotations

import datetime as dt
import textwrap
from typing import Collection

import pandas as pd
import plotly.graph_objects as go

from scrutiny.show.charts import (DARK_BLUE, DARK_GREY, DARK_PINK, FONT, ORANGE, TURQUOISE, _layout,
                                  legend_under_ticks, month_axis, shade_missing_months)
from scrutiny.core.formatting import NO_FIGURE, measure_value
from scrutiny.core.months import Month, month_runs, months_of
from scrutiny.core.vocab import CONCERN, COUNT, HIGHER, IMPROVEMENT, IMPROVEMENT_DIRECTIONS, PERCENT, UNITS
from scrutiny.rate.spc import RuleLengths, SpcResult

_RULES = RuleLengths()  # the engine's lengths, so the words follow any change to them
RULE_DESCRIPTIONS = {
    "astronomical": "outside the normal range",
    "shift": f"{_RULES.shift} or more months in a row on one side of the average",
    "trend": f"{_RULES.trend} or more months in a row rising or falling",
    "two_in_three": f"{_RULES.two_in_three_needed} of {_RULES.two_in_three_window} months near a limit",
}

IMPROVEMENT_NAME = "Special cause: improvement"
CONCERN_NAME = "Special cause: concern"
AVERAGE_NAME = "Average"
LIMITS_NAME = "Normal range (process limits)"
TWO_SIGMA_NAME = "2-sigma lines"
DATA_NAME = "Each month"
PROVISIONAL_NAME = "Provisional: outcomes still being recorded"
NOTE_WIDTH = 28  # characters a line of a note on the chart: about 220 px, inside a tablet's 353 px plot beside its line
HALF_MONTH = dt.timedelta(days=15)  # a band reaches halfway to the months either side
CONCERN_SYMBOL = "diamond"
BASELINE_FILL = "#E8E8E8"  # light grey behind the baseline months; the points stay readable on it
LINE_WIDTH, MARKER_SIZE, SPECIAL_MARKER_SIZE = 3, 9, 15


def improvement_symbol(improvement: str) -> str:
    """A triangle pointing the way that is better: up when higher is better, down when lower."""
    return "triangle-up" if improvement == HIGHER else "triangle-down"


def describe_rules(rules) -> str:
    """('astronomical', 'shift') -> 'outside the normal range; 7 or more months ...'."""
    return "; ".join(RULE_DESCRIPTIONS[rule] for rule in rules)


def special_cause_kinds(result: SpcResult) -> list[str | None]:
    """For each point: 'improvement', 'concern', or None when no rule fires on it (the engine's)."""
    return [point.kind for point in result.points]


def lasting_shift_note(result: SpcResult) -> str | None:
    """'A lasting change since June 2021: consider recording a step change', or None."""
    if result.lasting_shift_since is None:
        return None
    return f"A lasting change since {result.lasting_shift_since.label}: consider recording a step change"


def step_change_label(reason: str) -> str:
    return f"Step change: {reason}" if reason else "Step change"


def spc_chart(
    result: SpcResult,
    *,
    improvement: str,
    title: str,
    subtitle: str,
    unit: str = COUNT,
    target: float | None = None,
    baseline: int | None = None,
    provisional: Collection[Month] = (),
) -> go.Figure:
    """The XmR chart of `result`. `target` draws a target line; `baseline=N` shades months 1..N;
    the `provisional` months are marked hollow, in a shaded band."""
    _check(improvement, unit)
    provisional = frozenset(months_of(provisional))  # as Months: text would match no point, silently
    points = result.points
    if baseline is not None and not 1 <= baseline <= len(points):
        raise ValueError(f"baseline must be between 1 and the {len(points)} points, not {baseline}")
    dates = [_first_day(p.period) for p in points]
    hover = [_hover(p, unit) for p in points]
    fig = go.Figure()
    line_x = _break_between_phases(points, dates)

    has_limits = bool(points) and points[0].mean is not None
    if has_limits:
        _line(fig, line_x, _phase_values(points, 'upper_2sigma'), TWO_SIGMA_NAME, "Upper 2-sigma line",
              unit, dict(color=DARK_GREY, width=2, dash="dot"), legend=True)
        _line(fig, line_x, _phase_values(points, 'lower_2sigma'), TWO_SIGMA_NAME, "Lower 2-sigma line",
              unit, dict(color=DARK_GREY, width=2, dash="dot"), legend=False)
        _line(fig, line_x, _phase_values(points, 'upper_limit'), LIMITS_NAME, "Upper process limit",
              unit, dict(color=DARK_GREY, width=LINE_WIDTH, dash="dash"), legend=True)
        _line(fig, line_x, _phase_values(points, 'lower_limit'), LIMITS_NAME, "Lower process limit",
              unit, dict(color=DARK_GREY, width=LINE_WIDTH, dash="dash"), legend=False)
        _line(fig, line_x, _phase_values(points, 'mean'), AVERAGE_NAME, AVERAGE_NAME,
              unit, dict(color=DARK_GREY, width=LINE_WIDTH), legend=True)
        if target is not None and points:
            _line(fig, [dates[0], dates[-1]], [target, target], f"Target: {measure_value(target, unit)}",
                  "Target", unit, dict(color=DARK_PINK, width=LINE_WIDTH, dash="dashdot"), legend=True)

    x, y, text = _break_at_missing_months([p.period for p in points], dates, [p.value for p in points], hover)
    fig.add_scatter(x=x, y=y, text=text, name=DATA_NAME, mode="lines+markers" if has_limits else "markers",
                    connectgaps=False, line=dict(color=DARK_BLUE, width=LINE_WIDTH),
                    marker=dict(color=DARK_BLUE, size=MARKER_SIZE, symbol="circle"),
                    hovertemplate="%{text}<extra></extra>")

    if has_limits:
        kinds = special_cause_kinds(result)
        for kind, name, colour, symbol in (
            (IMPROVEMENT, IMPROVEMENT_NAME, TURQUOISE, improvement_symbol(improvement)),
            (CONCERN, CONCERN_NAME, ORANGE, CONCERN_SYMBOL),
        ):
            chosen = [i for i, k in enumerate(kinds) if k == kind]
            if chosen:
                fig.add_scatter(
                    x=[dates[i] for i in chosen], y=[points[i].value for i in chosen],
                    text=[hover[i] for i in chosen], name=name, mode="markers",
                    marker=dict(color=colour, size=SPECIAL_MARKER_SIZE, symbol=symbol,
                                line=dict(color=DARK_GREY, width=1.5)),
                    hovertemplate="%{text}<extra>" + name + "</extra>")

    pending = [i for i, p in enumerate(points) if p.period in provisional]
    if pending:
        # Hollow: the figure is there but not settled. White inside, so it hides the solid marker.
        fig.add_scatter(x=[dates[i] for i in pending], y=[points[i].value for i in pending],
                        text=[hover[i] for i in pending], name=PROVISIONAL_NAME, mode="markers",
                        marker=dict(color="#FFFFFF", size=SPECIAL_MARKER_SIZE, symbol="circle",
                                    line=dict(color=DARK_BLUE, width=3)),
                        hovertemplate="%{text}<extra>Provisional</extra>")
        # one band a run of consecutive months, so that no band spans missing months
        for first, last in month_runs(points[i].period for i in pending):
            fig.add_vrect(x0=_first_day(first) - HALF_MONTH, x1=_first_day(last) + HALF_MONTH, fillcolor=BASELINE_FILL,
                          opacity=1, line_width=0, layer="below", annotation_text="Provisional",
                          annotation_position="top left", annotation_font=FONT)

    for phase in result.phases[1:]:
        if phase.step_change is not None:
            # wrapped, and on the side of the line with more room, so that it stays inside a tablet's chart
            fig.add_vline(x=_midpoint(dates, phase.first - 1), line=dict(color=DARK_GREY, width=2),
                          annotation_text="<br>".join(textwrap.wrap(step_change_label(phase.step_change.reason),
                                                                    NOTE_WIDTH)),
                          annotation_position="bottom right" if phase.first <= len(points) / 2 else "bottom left",
                          annotation_font=FONT, annotation_align="left",
                          # at the foot of the line, on white: at the top it sat on the upper limit
                          # and the points near it
                          annotation_bgcolor="rgba(255,255,255,0.9)")
    note = lasting_shift_note(result)
    if note:
        fig.add_annotation(text=note, xref="paper", yref="paper", x=0, y=1.0, xanchor="left",
                           yanchor="bottom", showarrow=False, font=FONT)

    if baseline is not None:
        fig.add_vrect(x0=_midpoint(dates, -1), x1=_midpoint(dates, baseline - 1),
                      fillcolor=BASELINE_FILL, opacity=1, line_width=0, layer="below",
                      annotation_text="Baseline", annotation_position="top left",
                      annotation_font=FONT)

    shade_missing_months(fig, [p.period for p in points])
    month_axis(fig)
    if unit == PERCENT:
        fig.update_yaxes(title="Percentage", ticksuffix="%")
    else:
        fig.update_yaxes(title="Number each month", tickformat=",", rangemode="tozero")
    return legend_under_ticks(_layout(fig, title, height=520, subtitle=subtitle))


def spc_table(result: SpcResult, provisional: Collection[Month] = ()) -> pd.DataFrame:
    """The chart as a table: one row a month. Average and limits are rounded to 1 decimal place.
    When some months are `provisional`, a Provisional column says which."""
    provisional = frozenset(months_of(provisional))  # as Months, as spc_chart takes them
    table = pd.DataFrame(
        {
            "Month": [p.period.label for p in result.points],
            "Value": [p.value for p in result.points],
            "Average": [p.mean for p in result.points],
            "Lower limit": [p.lower_limit for p in result.points],
            "Upper limit": [p.upper_limit for p in result.points],
            "Unusual": ["Yes" if p.special_cause else "No" for p in result.points],
            "Rules": [describe_rules(p.rules) for p in result.points],
        },
        columns=["Month", "Value", "Average", "Lower limit", "Upper limit", "Unusual", "Rules"],
    )
    numbers = ["Value", "Average", "Lower limit", "Upper limit"]
    table[numbers] = table[numbers].astype(float)
    table[numbers[1:]] = table[numbers[1:]].round(1)
    if any(p.period in provisional for p in result.points):
        table["Provisional"] = ["Yes" if p.period in provisional else "No" for p in result.points]
    return table




def spc_table_shown(table: pd.DataFrame, unit: str = COUNT) -> pd.DataFrame:
    """spc_table as people read it on screen (the CSV keeps the numbers): the value as every page
    writes a measure (a count whole with thousands separators, 7,518; a percentage with its
    decimal, 3.3%), the average and limits to one decimal place (7,518.3), and a dash, not
    "None", where there is no figure."""
    def one_decimal(number) -> str:
        return NO_FIGURE if pd.isna(number) else f"{float(number):,.1f}" + ("%" if unit == PERCENT else "")

    shown = table.copy()
    shown["Value"] = [NO_FIGURE if pd.isna(v) else measure_value(v, unit) for v in table["Value"]]
    for column in ("Average", "Lower limit", "Upper limit"):
        shown[column] = [one_decimal(v) for v in table[column]]
    return shown


# Helpers


def _check(improvement: str, unit: str) -> None:
    if improvement not in IMPROVEMENT_DIRECTIONS:
        raise ValueError(f"improvement must be 'lower' or 'higher', not {improvement!r}")
    if unit not in UNITS:
        raise ValueError(f"unit must be 'count' or 'percent', not {unit!r}")


def _break_between_phases(points, dates) -> list:
    """The x of the reference lines: a None between phases, so each phase's lines stand apart,
    and across missing months, so no line runs through the "No data" band."""
    x = []
    for i, (point, date) in enumerate(zip(points, dates)):
        if _breaks_before(points, i):
            x.append(None)
        x.append(date)
    return x


def _phase_values(points, attribute: str) -> list:
    """A line's values, with a None at each break (matching _break_between_phases)."""
    y = []
    for i, point in enumerate(points):
        if _breaks_before(points, i):
            y.append(None)
        y.append(getattr(point, attribute))
    return y


def _breaks_before(points, i: int) -> bool:
    """Whether the reference lines break before point i: a new phase, or a gap of missing months."""
    return i > 0 and (points[i].phase != points[i - 1].phase
                      or points[i - 1].period.plus(1) != points[i].period)


def _first_day(month: Month) -> dt.datetime:
    """The month's first day as the chart's x: a datetime, as plotly places it."""
    return dt.datetime(month.year, month.month, 1)


def _hover(point, unit: str) -> str:
    text = f"{point.period.label}: {measure_value(point.value, unit)}"
    if point.rules:
        text += "<br>Unusual: " + describe_rules(point.rules)
    return text


def _line(fig, x, y, name, label, unit, line, legend: bool) -> None:
    """A reference line; the lower of a pair shares the upper's legend entry."""
    fig.add_scatter(x=x, y=y, name=name, legendgroup=name, showlegend=legend, mode="lines",
                    line=line, text=[f"{label}: {measure_value(v, unit)}" if v is not None else "" for v in y],
                    hovertemplate="%{text}<extra></extra>")


def _break_at_missing_months(months: list[Month], dates, values, hover):
    """Insert an empty point in each gap of missing months so that the line breaks there: at the
    first missing month. `dates` are the months' x values."""
    x, y, text = [], [], []
    for i, (date, value, label) in enumerate(zip(dates, values, hover)):
        if i and months[i - 1].plus(1) != months[i]:
            x.append(_first_day(months[i - 1].plus(1)))
            y.append(None)
            text.append("")
        x.append(date)
        y.append(value)
        text.append(label)
    return x, y, text


def _midpoint(dates, i: int) -> dt.datetime:
    """Halfway between month i and month i+1 (half a month beyond the ends), for shading."""
    if i < 0:
        return dates[0] - dt.timedelta(days=15)
    if i + 1 >= len(dates):
        return dates[-1] + dt.timedelta(days=15)
    return dates[i] + (dates[i + 1] - dates[i]) / 2
