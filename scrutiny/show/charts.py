"""Plotly figures for the dashboard. Titles state the finding; labels are horizontal and whole;
colours come from the Analysis Function palette; every figure's data is also shown as a table."""
from __future__ import annotations

import datetime as dt
import html
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from scrutiny.core import formatting
from scrutiny.core.months import Month, missing_ranges, month_range, months_of
from scrutiny.rate import yoy

DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE = (
    "#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
FONT = dict(family="Arial, Helvetica, sans-serif", size=16, color=DARK_GREY)


def _layout(fig: go.Figure, title: str, height: int, subtitle: str | None = None) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, font=dict(size=20, color="#0B0C0C"),
                   subtitle=dict(text=subtitle or "", font=dict(size=16, color=DARK_GREY))),
        font=FONT, height=height, template="simple_white",
        margin=dict(l=10, r=30, t=80 + 36 * (subtitle or "").count("<br>"), b=40),
        hoverlabel=dict(font_size=16), legend=dict(orientation="h", y=-0.15),
    )
    fig.update_xaxes(tickfont=FONT, title_font=FONT)
    fig.update_yaxes(tickfont=FONT, title_font=FONT)
    return fig


# Month ticks: abbreviated ("Jan 2024", about 70 px at 16 px), horizontal, as many as the chart's
# width holds. The server cannot know that width (a column at 1280 px, a tablet's 436 px, the paper),
# so Plotly chooses them where it draws: its automatic ticks are at least 80 px apart on a date axis,
# every 1, 2, 3, 6 or 12 months. A fixed six ticks ran together at a tablet's width. The hover text
# names each month in full.
MONTH_TICK_FORMAT = "%b %Y"


def month_axis(fig: go.Figure) -> None:
    """The x axis of a chart by month: horizontal labels, as many as fit; the axis takes the room
    its labels need under the plot (automargin), which the legend under it then adds to."""
    fig.update_xaxes(title=None, tickformat=MONTH_TICK_FORMAT, tickangle=0, automargin=True)


def legend_under_ticks(fig: go.Figure) -> go.Figure:
    """The legend in rows under the x axis's tick labels, never on them, however many rows it takes
    at the width it is drawn. Placed at the foot of the figure (`yref="container"`), the legend is
    room Plotly adds to what the tick labels need below the plot; placed in fractions of the plot's
    height under it, it rose onto the labels whenever it took more rows than the margin held (a
    tablet; a page printed from a narrow window)."""
    fig.update_layout(margin=dict(b=0), legend=dict(
        orientation="h", x=0, xanchor="left", yref="container", y=0, yanchor="bottom"))
    return fig


BIG_SCREEN_TEXT = 22  # px: readable from the back of a council chamber at 1920 x 1080


def for_big_screen(fig: go.Figure, height: int | None = None, show_title: bool = True) -> go.Figure:
    """A copy of any figure above for a projector: every text at least BIG_SCREEN_TEXT px, the
    title larger, heavier lines. `show_title=False` when the slide's heading already says it."""
    big = go.Figure(fig)
    size = BIG_SCREEN_TEXT
    big.update_layout(
        font=dict(size=size, color="#0B0C0C"), hoverlabel=dict(font_size=size),
        legend=dict(font=dict(size=size)), height=height or big.layout.height,
        title=dict(font=dict(size=size + 10), subtitle=dict(font=dict(size=size))),
        margin=dict(t=110 if show_title else 20, b=60),
    )
    if not show_title:
        big.update_layout(title=dict(text="", subtitle=dict(text="")))
    big.update_xaxes(tickfont=dict(size=size), title_font=dict(size=size))
    big.update_yaxes(tickfont=dict(size=size), title_font=dict(size=size))
    big.update_annotations(font=dict(size=size))
    return big


SLIDE_ANNOTATION_WIDTH = 28  # characters a line: a note on a slide's chart (a step change's reason) stays inside it
SLIDE_LEGEND_TEXT = BIG_SCREEN_TEXT  # px: a legend is read from the back of the room as the axes are
SLIDE_MONTH_STEP = "M12"      # one label a year: they never overlap on a chart 400 px wide (1024 px screen)


def for_slide(fig: go.Figure) -> go.Figure:
    """A copy of a figure for a slide: as `for_big_screen` without its title, and with no height of
    its own, so that it fills the box the Present page sizes to the screen (Plotly's autosize; the
    server cannot know the screen's height). Month axes get one label a year, and notes are wrapped,
    so that neither overlaps nor runs out of the chart on the narrowest screen (1024 px)."""
    slide = for_big_screen(fig, show_title=False)
    slide.layout.height = None
    slide.update_layout(autosize=True, margin=dict(t=20, b=20))
    if slide.layout.xaxis.tickformat in (MONTH_TICK_FORMAT, "%B %Y"):  # a month axis, abbreviated or not
        # A fixed range, half a month beyond the first and last points: Plotly's own range grows to
        # hold a long note's text, which left a year and a half of empty axis on the right.
        months = pd.to_datetime(pd.Series([x for t in slide.data if t.x is not None for x in t.x]), errors="coerce")
        half_month = pd.Timedelta(days=15)
        slide.update_xaxes(dtick=SLIDE_MONTH_STEP, tick0="2000-01-01", automargin=True,
                           range=[months.min() - half_month, months.max() + half_month])
    # The legend above the chart (under it, it covered the month labels); the slide shortens its
    # entries' names so that it takes one or two rows.
    slide.update_layout(legend=dict(font=dict(size=SLIDE_LEGEND_TEXT), orientation="h", x=0, y=1.02, yanchor="bottom",
                                    yref="paper"))
    for note in slide.layout.annotations:
        if note.text and "<br>" not in note.text and len(note.text) > SLIDE_ANNOTATION_WIDTH:
            note.text = "<br>".join(textwrap.wrap(note.text, SLIDE_ANNOTATION_WIDTH))
    return slide


def area_comparison_title(table: pd.DataFrame, crime_type: str, month) -> tuple[str, str]:
    """('All crime fell in 8 of 8 areas', 'January 2024 ... biggest change ...'), as plain text."""
    known = table.dropna(subset=["change_pct"])
    month = Month.of(month)
    subtitle = f"{month.label} against {month.year_before.label}"
    if known.empty:
        return f"{crime_type} by area", subtitle
    fell, rose = int((known.change_pct < 0).sum()), int((known.change_pct > 0).sum())
    summary = (f"fell in {fell} of {len(known)} areas" if fell >= rose
               else f"rose in {rose} of {len(known)} areas")
    untested = known.not_tested.dropna() if "not_tested" in known else known.iloc[0:0]
    if not untested.empty:  # an incomplete month (scrutiny.rate.incomplete): no area's change is singled out
        return (f"{crime_type} {summary}",
                f"{subtitle}; {untested.iloc[0]}, so the areas\u2019 changes are not tested")
    biggest = known.loc[known.change_pct.abs().idxmax()]
    return (f"{crime_type} {summary}",
            f"{subtitle}; the biggest change was in {biggest.area_name} ({formatting.percent(biggest.change_pct)})")


def figure_text(text: str) -> str:
    """Plain text (a title or subtitle above) for a Plotly figure, which reads a little HTML: escaped,
    with a line break after its first '; ' so a long subtitle fits a tablet. Slides and the pack
    take the plain text as it is."""
    return ";<br>".join(html.escape(part, quote=False) for part in text.split("; ", 1))


def area_comparison_chart(table: pd.DataFrame, crime_type: str, month) -> go.Figure:
    """Horizontal bars of the % change by area, sorted, each labelled with both counts.
    The figures are part of each area's label (name, then change and counts below it), so they
    are never cut off or covered, however narrow the screen: a tablet, a projector or a phone."""
    # Plotly draws the first bar at the bottom: ascending order puts the biggest rise at the top.
    data = table.dropna(subset=["change_pct"]).sort_values("change_pct", ascending=True)
    labels = [
        f"<b>{html.escape(row.area_name)}</b><br>{formatting.percent(row.change_pct)} "
        f"({formatting.count(row.crime_count)} vs {formatting.count(row.count_previous_year)})"
        f"{yoy.notable_note(row.notable)}"
        for row in data.itertuples()
    ]
    # `notable` comes from scrutiny.rate.yoy (the exact test), added to the table by its caller.
    data = data.assign(notable_word=[yoy.notable_word(v) or "no test" for v in data.notable])
    fig = go.Figure(go.Bar(
        x=data.change_pct, y=data.area_name, orientation="h", marker_color=DARK_BLUE,
        customdata=data[["crime_count", "count_previous_year", "rate_per_1000", "notable_word"]],
        hovertemplate=("<b>%{y}</b><br>Change: %{x:.1f}%<br>This month: %{customdata[0]:,}"
                       "<br>Same month last year: %{customdata[1]:,}<br>Rate per 1,000 residents: "
                       f"%{{customdata[2]:{formatting.RATE_HOVER_FORMAT}}}<br>Notable change: %{{customdata[3]}}<extra></extra>"),
    ))
    span = max(1.0, float(data.change_pct.abs().max() or 1))
    fig.update_xaxes(title=f"Change on {Month.of(month).year_before.label} (%)",
                     range=[-span * 1.1 if (data.change_pct < 0).any() else 0,
                            span * 1.1 if (data.change_pct > 0).any() else 0],
                     zeroline=True, zerolinecolor=DARK_GREY, ticksuffix="%")
    fig.update_yaxes(title=None, automargin=True, tickvals=list(data.area_name), ticktext=labels)
    title, subtitle = area_comparison_title(table, crime_type, month)
    return _layout(fig, figure_text(title), height=170 + 62 * len(data), subtitle=figure_text(subtitle))


NO_DATA_FILL = "#DEDEDE"  # light grey: the gap reads as "nothing here", the lines either side stay clear
NO_DATA_LABEL = "No data"


def every_calendar_month(series: pd.DataFrame) -> pd.DataFrame:
    """`series` (a `month` column, ascending) with a row of blanks for each calendar month it
    skips, so a line drawn from it breaks at the gap instead of joining the months either side."""
    if series.empty:
        return series
    months = months_of(series.month)
    calendar = [pd.Timestamp(m) for m in month_range(months[0], months[-1])]
    return (series.assign(month=[pd.Timestamp(m) for m in months]).set_index("month")
            .reindex(pd.Index(calendar, name="month")).reset_index())


NO_DATA_LABEL_SHARE = 5  # a "No data" label (about 60 px) takes up to a fifth of a tablet's 340 px plot


def shade_missing_months(fig: go.Figure, months) -> go.Figure:
    """A light band labelled "No data" over each run of calendar months missing from `months`
    (the months a chart plots), half a month either side so that it fills the break in the line.
    Runs closer together than a label's width (a fifth of the months shown) share the first one's
    label: June and August 2020 each labelled read "No No data" on the real files."""
    shown = months_of(months)
    label_months = len(month_range(min(shown), max(shown))) / NO_DATA_LABEL_SHARE if shown else 0
    labelled = None
    for first, last in missing_ranges(months):
        label = labelled is None or (first.year - labelled.year) * 12 + first.month - labelled.month >= label_months
        if label:
            labelled = first
        fig.add_vrect(x0=_month_start(first) - dt.timedelta(days=15), x1=_month_start(last) + dt.timedelta(days=15),
                      fillcolor=NO_DATA_FILL, opacity=1, line_width=0, layer="below",
                      **(dict(annotation_text=NO_DATA_LABEL, annotation_position="top left", annotation_font=FONT,
                              annotation_bgcolor="rgba(255,255,255,0.9)")  # readable over any line behind it
                         if label else {}))
    return fig


def _month_start(month: Month) -> dt.datetime:
    return dt.datetime(month.year, month.month, 1)


def trend_title(series: pd.DataFrame, crime_type: str, area_name: str) -> tuple[str, str]:
    """The finding (the 12 months to the latest against the 12 months to a year before it) as
    title; what is shown as subtitle. The total a year before is found by its month."""
    latest = Month.of(series.month.iloc[-1]) if len(series) else None
    totals = series.dropna(subset=["rolling_12_month_total"])
    by_month = dict(zip(months_of(totals.month), totals.rolling_12_month_total))
    subtitle = f"{crime_type} in {area_name}, each month, with the same month a year before"
    now = by_month.get(latest)
    then = yoy.year_before(by_month, latest) if now is not None else None
    if then is not None:
        # the words, or the count itself when there is no percentage (nothing in the 12 months before)
        direction = formatting.change_words(yoy.change_pct(now, then)) or formatting.count(now)
        return (f"{formatting.count(now)} in the 12 months to {latest.label}, "
                f"{direction} on the 12 months before", subtitle)
    return f"{crime_type} in {area_name}, month by month", subtitle


def trend_chart(series: pd.DataFrame, crime_type: str, area_name: str) -> go.Figure:
    """Monthly counts with the same month a year before, so seasonality is not read as change.
    A calendar month missing from the data breaks both lines and is shaded "No data"."""
    present = months_of(series.month)
    series = every_calendar_month(series)
    fig = go.Figure()
    fig.add_scatter(x=series.month, y=series.crime_count, name="This year", mode="lines+markers",
                    line=dict(color=DARK_BLUE, width=3),
                    hovertemplate="%{x|%B %Y}: %{y:,}<extra>This year</extra>")
    fig.add_scatter(x=series.month, y=series.count_previous_year, name="Same month a year before",
                    mode="lines", line=dict(color=ORANGE, width=2, dash="dash"),
                    hovertemplate="%{x|%B %Y}, a year before: %{y:,}<extra></extra>")
    month_axis(fig)
    fig.update_yaxes(title="Crimes per month", rangemode="tozero", tickformat=",")
    shade_missing_months(fig, present)
    title, subtitle = trend_title(series.dropna(subset=["crime_count"]), crime_type, area_name)
    return legend_under_ticks(_layout(fig, title, height=480, subtitle=subtitle))


def rolling_total_chart(series: pd.DataFrame, crime_type: str, area_name: str) -> go.Figure:
    """The total of the 12 calendar months to each month, from the first month with one. A total
    is blank (the line breaks) while any of its 12 months is missing from the data."""
    present = months_of(series.month)
    totals = series.rolling_12_month_total
    data = every_calendar_month(series.loc[totals.first_valid_index():] if totals.notna().any() else series.iloc[:0])
    fig = go.Figure(go.Scatter(
        x=data.month, y=data.rolling_12_month_total, mode="lines", line=dict(color=TURQUOISE, width=3),
        name="12-month total", hovertemplate="12 months to %{x|%B %Y}: %{y:,}<extra></extra>"))
    if len(data):
        shade_missing_months(fig, [m for m in present if m >= Month.of(data.month.iloc[0])])
    month_axis(fig)
    fig.update_yaxes(title="Crimes in the last 12 months", rangemode="tozero", tickformat=",")
    gaps = missing_ranges(present)
    subtitle = f"{crime_type} in {area_name}, in the 12 months to each month" + (
        "; no total while any of its 12 months is missing from the data" if gaps else "")
    return _layout(fig, "Rolling 12-month total", height=400, subtitle=figure_text(subtitle))
