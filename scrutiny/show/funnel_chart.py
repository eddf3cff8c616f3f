"""The funnel plot as a Plotly figure: each unit's rate against its population, with the average
and the 95% and 99.8% limits, so that "higher than its peers" is a judgement the chart supports.

The home force's units are orange diamonds with a dark edge and a text label (shape and colour,
never colour alone); the other units are dark blue circles. Units outside the 99.8% limits are
labelled by name (the most extreme MAX_OUTLIER_LABELS of them, so the chart stays readable when
many are); when there are only a few units (LABEL_ALL_UP_TO), every one is labelled. The title states the finding for the home force; the subtitle says what is shown.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from scrutiny.core import formatting
from scrutiny.show.charts import DARK_BLUE, DARK_GREY, DARK_PINK, FONT, ORANGE, TURQUOISE, _layout
from scrutiny.rate.funnel import Funnel, z_scores

MAX_OUTLIER_LABELS = 6
LABEL_ALL_UP_TO = 8  # with this many units or fewer (forces, usually), every point is labelled
CENTRE_NAME = "Average of all"
LIMIT_NAMES = {"95%": "95% limits: 1 in 20 outside by chance", "99.8%": "99.8% limits: 1 in 500 outside by chance"}
LIMIT_NAMES_OVERDISPERSED = {"95%": "95% limits, allowing for usual differences",
                             "99.8%": "99.8% limits, allowing for usual differences"}
OUTSIDE = ("above 99.8%", "below 99.8%")
# Pixels: the plot area on a laptop screen, and a label's line height and character width (15 px, bold).
ASSUMED_PLOT_WIDTH, ASSUMED_PLOT_HEIGHT, LABEL_HEIGHT, CHAR_WIDTH = 850, 400, 22, 8.5
# The title (20 px) is broken into lines of at most this many characters, about 600 px: a
# one-line finding of 90 characters was cut off at the right in the page's column at 1280 px.
TITLE_LINE_CHARS, TITLE_LINE_HEIGHT = 60, 26


def _phrases(funnel: Funnel) -> dict[str, str]:
    if funnel.uses_poisson:
        return {"above 99.8%": "higher than chance would give", "above 95%": "above average, but not clearly beyond chance",
                "within": "within what chance would give", "below 95%": "below average, but not clearly beyond chance",
                "below 99.8%": "lower than chance would give", "above": "above what chance would give"}
    return {"above 99.8%": "higher than the usual spread", "above 95%": "above average, within the usual spread",
            "within": "within the usual spread", "below 95%": "below average, within the usual spread",
            "below 99.8%": "lower than the usual spread", "above": "above the usual spread"}


def funnel_title(table: pd.DataFrame, funnel: Funnel, crime_type: str, unit_word: str, home_name: str) -> str:
    """The finding for the home force, e.g. "Leicestershire Police's burglary rate is within what
    chance would give among 6 forces"; for its several areas, how many are outside the 99.8%
    limits, e.g. "Leicestershire Police: 1 of 6 areas above what chance would give, 5 below"."""
    home, phrases = table[table.is_home], _phrases(funnel)
    if home.empty:
        outside = int(table.verdict.isin(OUTSIDE).sum())
        return f"{outside} of {len(table)} {unit_word} have {crime_type.lower()} rates outside the 99.8% limits"
    if len(home) == 1:
        return f"{home_name}'s {crime_type.lower()} rate is {phrases[home.verdict.iloc[0]]} among {len(table)} {unit_word}"
    above, below = int((home.verdict == "above 99.8%").sum()), int((home.verdict == "below 99.8%").sum())
    if above == below == 0:
        return f"{home_name}: all {len(home)} areas {phrases['within']}"
    return f"{home_name}: {above} of {len(home)} areas {phrases['above']}, {below} below"


def labelled_outliers(table: pd.DataFrame, funnel: Funnel) -> pd.Index:
    """The units outside the 99.8% limits that are not the home force's, most extreme first, at
    most MAX_OUTLIER_LABELS of them."""
    outside = table[table.verdict.isin(OUTSIDE) & ~table.is_home]
    extremeness = np.abs(z_scores(outside.crime_count, outside.population, funnel.rate))
    return outside.index[np.argsort(-extremeness, kind="stable")][:MAX_OUTLIER_LABELS]


def _points(fig: go.Figure, data: pd.DataFrame, name: str, marker: dict) -> None:
    fig.add_scatter(
        x=data.population, y=data.rate_per_1000, name=name, mode="markers", marker=marker,
        customdata=np.stack([data.unit_name, data.force_name, data.crime_count.map(formatting.count),
                             data.population.map(formatting.count), data.verdict], axis=-1),
        hovertemplate=("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Crimes: %{customdata[2]}"
                       f"<br>Residents: %{{customdata[3]}}<br>Rate per 1,000 residents: %{{y:{formatting.RATE_HOVER_FORMAT}}}"
                       "<br>%{customdata[4]}<extra></extra>"),
    )


@dataclass(frozen=True)
class Box:
    """Something on the chart, in chart units: from left to right, centred on height y."""
    left: float
    right: float
    y: float
    height: float

    def hits(self, other: "Box") -> bool:
        return (self.left < other.right and other.left < self.right
                and abs(self.y - other.y) < (self.height + other.height) / 2)


def place_labels(points: list[tuple[float, float]], widths: list[float], prefer_right: list[bool], *,
                 offset: float, gap: float, x_range: tuple[float, float], y_range: tuple[float, float],
                 obstacles: list[Box]) -> list[Box]:
    """A box for each label, beside its point (x, y) and `offset` away from it: on the preferred
    side at the point's height if that is free, otherwise the nearest free place, trying the other
    side too. Free means clear of the labels already placed and of the obstacles (the points), and
    inside the chart. Labels are placed in the order given, so put the most important first."""
    placed: list[Box] = []
    for (x, y), width, right_first in zip(points, widths, prefer_right):
        options = []
        for right in (right_first, not right_first):
            left = x + offset if right else x - offset - width
            if left < x_range[0] or left + width > x_range[1]:
                continue
            for k in range(-60, 61):
                height = y + k * gap / 4
                if y_range[0] + gap / 2 <= height <= y_range[1] - gap / 2:
                    options.append((abs(height - y) + (0 if right == right_first else 0.3 * gap), Box(left, left + width, height, gap)))
        options.sort(key=lambda option: option[0])
        fallback = Box(x + offset if right_first else x - offset - width, x + offset + width if right_first else x - offset, y, gap)
        box = next((b for _, b in options if not any(b.hits(o) for o in placed + obstacles)), fallback)
        placed.append(box)
    return placed


def _labels(fig: go.Figure, labelled: pd.DataFrame, everything: pd.DataFrame, lines: list[tuple[np.ndarray, np.ndarray]],
            x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
    """Each label beside its point, joined to it by a thin line when it had to move to keep clear
    of other labels and points. Widths are estimated for a plot about ASSUMED_PLOT_WIDTH pixels
    wide and ASSUMED_PLOT_HEIGHT high (a laptop screen)."""
    if labelled.empty:
        return
    span_x, span_y = x_range[1] - x_range[0], y_range[1] - y_range[0]
    px_x, px_y = span_x / ASSUMED_PLOT_WIDTH, span_y / ASSUMED_PLOT_HEIGHT
    points = [Box(r.population - 9 * px_x, r.population + 9 * px_x, r.rate_per_1000, 18 * px_y) for r in everything.itertuples()]
    for x, y in lines:  # the average and the limits, in 20 straight pieces each
        step = max(1, len(x) // 20)
        points += [Box(x[i], x[min(i + step, len(x) - 1)], (y[i] + y[min(i + step, len(x) - 1)]) / 2,
                       abs(y[min(i + step, len(x) - 1)] - y[i]) + 6 * px_y) for i in range(0, len(x) - 1, step)]
    boxes = place_labels(
        list(zip(labelled.population, labelled.rate_per_1000)),
        [len(name) * CHAR_WIDTH * px_x for name in labelled.unit_name],
        [r.population - x_range[0] < 0.6 * span_x for r in labelled.itertuples()],
        offset=14 * px_x, gap=LABEL_HEIGHT * px_y, x_range=x_range, y_range=y_range, obstacles=points)
    for row, box in zip(labelled.itertuples(), boxes):
        right = box.left > row.population
        fig.add_annotation(x=row.population, y=row.rate_per_1000, ax=box.left if right else box.right, ay=box.y,
                           axref="x", ayref="y", text=f"<b>{row.unit_name}</b>" if row.is_home else row.unit_name,
                           showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor=DARK_GREY,
                           xanchor="left" if right else "right", font=dict(FONT, size=15))


def funnel_chart(table: pd.DataFrame, funnel: Funnel, *, crime_type: str, period: str, unit_word: str,
                 home_name: str, others_name: str) -> go.Figure:
    """`table` is scrutiny.rate.funnel.funnel_table's: unit_name, force_name, is_home, crime_count,
    population, rate_per_1000, verdict. `period` is e.g. "12 months to January 2024"."""
    low, high = float(table.population.min()), float(table.population.max())
    grid = np.geomspace(low * 0.5, high * 1.08, 200)
    fig = go.Figure()
    fig.add_scatter(x=[grid[0], grid[-1]], y=[funnel.centre_per_1000] * 2, mode="lines",
                    name=f"{CENTRE_NAME}: {formatting.rate(funnel.centre_per_1000)} per 1,000",
                    line=dict(color=DARK_GREY, width=2), hoverinfo="skip")
    names = LIMIT_NAMES if funnel.uses_poisson else LIMIT_NAMES_OVERDISPERSED
    for level, colour, dash in (("95%", TURQUOISE, "dash"), ("99.8%", DARK_PINK, "solid")):
        lower, upper = funnel.rate_limits(grid, level)
        for side, values in (("upper", upper), ("lower", lower)):
            fig.add_scatter(x=grid, y=values, mode="lines", name=names[level], legendgroup=level,
                            showlegend=side == "upper", line=dict(color=colour, width=2.5, dash=dash),
                            hovertemplate=f"{level} {side} limit at %{{x:,.0f}} residents: %{{y:{formatting.RATE_HOVER_FORMAT}}}<extra></extra>")
    others, home = table[~table.is_home], table[table.is_home]
    _points(fig, others, others_name, dict(color=DARK_BLUE, size=11, symbol="circle"))
    _points(fig, home, home_name, dict(color=ORANGE, size=17, symbol="diamond", line=dict(color=DARK_GREY, width=1.5)))
    limits_at_grid = [v for level in ("95%", "99.8%") for v in funnel.rate_limits(grid[[0, -1]], level)]
    values = np.concatenate([table.rate_per_1000.to_numpy(dtype=float), np.concatenate(limits_at_grid)])
    pad = 0.1 * (values.max() - values.min() or 1.0)
    y_range = (max(0.0, values.min() - pad), values.max() + pad)
    x_range = (0.0, grid[-1] * 1.05)
    fig.update_yaxes(title="Crimes per 1,000 residents", range=list(y_range))
    fig.update_xaxes(title="Residents", tickformat=",", range=list(x_range))
    lines = [(grid, np.full_like(grid, funnel.centre_per_1000))] + [
        (grid, limit) for level in ("95%", "99.8%") for limit in funnel.rate_limits(grid, level)]
    labelled = list(home.index) + list(labelled_outliers(table, funnel))
    if len(table) <= LABEL_ALL_UP_TO:
        labelled += [i for i in others.index if i not in labelled]
    _labels(fig, table.loc[labelled], table, lines, x_range, y_range)
    method = "limits from chance alone (Poisson)" if funnel.uses_poisson else "limits allow for usual differences"
    subtitle = f"{crime_type} per 1,000 residents, {period}; {method}"
    title_lines = textwrap.wrap(funnel_title(table, funnel, crime_type, unit_word, home_name), TITLE_LINE_CHARS)
    fig = _layout(fig, "<br>".join(title_lines), height=680 + TITLE_LINE_HEIGHT * (len(title_lines) - 1),
                  subtitle=subtitle)
    fig.update_layout(legend=dict(orientation="h", y=-0.16, x=0, xanchor="left"),
                      margin=dict(t=110 + TITLE_LINE_HEIGHT * (len(title_lines) - 1), b=60))
    return fig
