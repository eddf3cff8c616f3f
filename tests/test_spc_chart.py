"""The XmR chart tested as a figure (traces, names, values, symbols, colours, shapes) and its table."""
import dataclasses
import datetime as dt

import pytest

from scrutiny.show.charts import DARK_GREY, DARK_PINK, ORANGE, TURQUOISE
from scrutiny.core.months import Month
from scrutiny.rate.spc import RULE_ORDER, StepChange, analyse
from scrutiny.show.spc_chart import (
    AVERAGE_NAME, CONCERN_NAME, IMPROVEMENT_NAME, LIMITS_NAME, RULE_DESCRIPTIONS, TWO_SIGMA_NAME,
    special_cause_kinds, spc_chart, spc_table, spc_table_shown,
)

STABLE = [102, 98] * 10  # 20 points, mean 100, every moving range 4: nothing fires
SHIFT_HIGH = STABLE + [101] * 8  # points 20..27 above the mean: a shift and nothing else
# One point far above the normal range (index 5) and one far below (index 14).
BOTH_WAYS = STABLE[:5] + [200] + STABLE[6:14] + [0] + STABLE[15:] + [102, 98] * 2
# A rising trend from below the mean to above it (points 20..26); no other rule fires.
RISING_ACROSS_MEAN = STABLE + [95.5, 97, 98.5, 100, 101.5, 103, 104.5]
# Two rising trends (points 10..16, 17..23) with a dip between them.
DIP_BETWEEN_RISES = [102, 98] * 5 + list(range(96, 103)) + list(range(97, 104)) + [98, 102] * 5
# A rising trend (points 10..16) and a falling one (16..22) sharing the peak.
PEAK = [102, 98] * 5 + list(range(96, 102)) + list(range(102, 95, -1)) + [102, 98] * 5


def months(count, start="2022-01", skip_after=None):
    """`count` consecutive Months; with skip_after=i, one month is missing after point i."""
    first = Month.of(start)
    return [first.plus(i + (skip_after is not None and i > skip_after)) for i in range(count)]


def first_day(month):
    """Where the chart places a month (a Month, or 'YYYY-MM'): its first day, as a datetime."""
    month = Month.of(month)
    return dt.datetime(month.year, month.month, 1)


def chart(values, improvement="lower", start="2022-01", **options):
    result = analyse(months(len(values), start), values, improvement,
                     baseline=options.get("baseline"))
    options.setdefault("title", "A finding")
    options.setdefault("subtitle", "What is shown")
    return result, spc_chart(result, improvement=improvement, **options)


def trace(fig, name):
    """The trace named `name` that shows in the legend; None if there is none."""
    found = [t for t in fig.data if t.name == name and t.showlegend is not False]
    assert len(found) <= 1
    return found[0] if found else None


def marked(fig) -> tuple[list, list]:
    """The indexes of the points marked as concern, and of those marked as improvement."""
    return xs(fig, CONCERN_NAME), xs(fig, IMPROVEMENT_NAME)


def xs(fig, name):
    """The x values of a special cause trace, as indexes into the series from January 2022."""
    found = trace(fig, name)
    if found is None:
        return []
    dates = [first_day(p) for p in months(60)]
    return [dates.index(x) for x in found.x]


# Which points are improvement and which concern


def test_rule_descriptions_name_every_rule_of_the_engine_in_plain_english():
    assert RULE_DESCRIPTIONS == {
        "astronomical": "outside the normal range",
        "shift": "7 or more months in a row on one side of the average",
        "trend": "7 or more months in a row rising or falling",
        "two_in_three": "2 of 3 months near a limit",
    }
    assert set(RULE_DESCRIPTIONS) == set(RULE_ORDER)


@pytest.mark.parametrize("improvement, concern, better", [
    ("lower", list(range(20, 28)), []),
    ("higher", [], list(range(20, 28))),
])
def test_a_shift_above_the_mean_is_concern_when_lower_is_better_and_improvement_when_higher(
        improvement, concern, better):
    result, fig = chart(SHIFT_HIGH, improvement)
    assert [i for i, p in enumerate(result.points) if p.rules] == list(range(20, 28))  # the premise
    assert marked(fig) == (concern, better)
    special = trace(fig, CONCERN_NAME) or trace(fig, IMPROVEMENT_NAME)
    assert list(special.y) == [101] * 8


@pytest.mark.parametrize("improvement, concern, better", [
    ("lower", [5], [14]),
    ("higher", [14], [5]),
])
def test_points_outside_the_normal_range_take_the_side_of_the_mean_they_are_on(
        improvement, concern, better):
    result, fig = chart(BOTH_WAYS, improvement)
    assert [p.rules for p in result.points if p.rules] == [("astronomical",)] * 2
    assert marked(fig) == (concern, better)


@pytest.mark.parametrize("improvement, concern, better", [
    ("lower", list(range(20, 27)), []),
    ("higher", [], list(range(20, 27))),
])
def test_trend_points_take_the_direction_of_the_trend_not_their_side_of_the_mean(
        improvement, concern, better):
    result, fig = chart(RISING_ACROSS_MEAN, improvement)
    assert [p.rules for p in result.points if p.rules] == [("trend",)] * 7
    assert result.points[20].value < result.points[20].mean < result.points[26].value
    assert marked(fig) == (concern, better)


def test_a_dip_between_two_rising_trends_is_not_read_as_a_falling_trend():
    result, fig = chart(DIP_BETWEEN_RISES, "higher")
    assert [i for i, p in enumerate(result.points) if p.rules] == list(range(10, 24))
    assert xs(fig, IMPROVEMENT_NAME) == list(range(10, 24))
    assert xs(fig, CONCERN_NAME) == []


def test_the_peak_between_a_rise_and_a_fall_is_concern_because_concern_wins():
    result, fig = chart(PEAK, "higher")
    assert [i for i, p in enumerate(result.points) if p.rules] == list(range(10, 23))
    assert xs(fig, IMPROVEMENT_NAME) == list(range(10, 16))
    assert xs(fig, CONCERN_NAME) == list(range(16, 23))


@pytest.mark.parametrize("values", [SHIFT_HIGH, RISING_ACROSS_MEAN, STABLE + [101] * 7 + [0]])
@pytest.mark.parametrize("improvement", ["lower", "higher"])
def test_the_latest_point_is_marked_as_the_engine_rates_the_series(values, improvement):
    result = analyse(months(len(values)), values, improvement)
    assert result.variation in ("improvement", "concern")
    assert special_cause_kinds(result)[-1] == result.variation


def test_points_without_rules_are_in_neither_special_cause_trace():
    result, fig = chart(STABLE + [102, 98] * 2)
    assert special_cause_kinds(result) == [None] * 24
    assert trace(fig, CONCERN_NAME) is None and trace(fig, IMPROVEMENT_NAME) is None


# How the points and lines look


@pytest.mark.parametrize("improvement, triangle", [("lower", "triangle-down"), ("higher", "triangle-up")])
def test_concern_and_improvement_differ_in_both_symbol_and_colour(improvement, triangle):
    _, fig = chart(BOTH_WAYS, improvement)
    concern, better = trace(fig, CONCERN_NAME), trace(fig, IMPROVEMENT_NAME)
    assert (concern.marker.color, concern.marker.symbol) == (ORANGE, "diamond")
    assert (better.marker.color, better.marker.symbol) == (TURQUOISE, triangle)
    data = trace(fig, "Each month")
    assert data.marker.symbol not in (concern.marker.symbol, better.marker.symbol)
    assert data.marker.color not in (concern.marker.color, better.marker.color)
    assert concern.mode == better.mode == "markers"


def test_the_data_are_joined_by_a_line_at_the_first_day_of_each_month():
    values = SHIFT_HIGH
    result, fig = chart(values, start="2023-03")
    data = trace(fig, "Each month")
    assert data.mode == "lines+markers"
    assert list(data.x) == [first_day(p) for p in months(len(values), "2023-03")]
    assert data.x[0] == dt.datetime(2023, 3, 1)
    assert list(data.y) == values


def test_lines_and_limits_sit_at_the_results_values_and_are_named_in_the_legend():
    result, fig = chart(SHIFT_HIGH)
    point = result.points[0]
    by_hover_name = {t.text[0].split(":")[0]: t for t in fig.data if t.mode == "lines"}
    expected = {
        "Average": (point.mean, AVERAGE_NAME, None),
        "Upper process limit": (point.upper_limit, LIMITS_NAME, "dash"),
        "Lower process limit": (point.lower_limit, LIMITS_NAME, "dash"),
        "Upper 2-sigma line": (point.upper_2sigma, TWO_SIGMA_NAME, "dot"),
        "Lower 2-sigma line": (point.lower_2sigma, TWO_SIGMA_NAME, "dot"),
    }
    assert set(by_hover_name) == set(expected)
    for label, (value, name, dash) in expected.items():
        line = by_hover_name[label]
        assert list(line.y) == [value] * len(SHIFT_HIGH)
        assert line.name == name and line.line.dash == dash and line.line.color == DARK_GREY
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend == [TWO_SIGMA_NAME, LIMITS_NAME, AVERAGE_NAME, "Each month", CONCERN_NAME]


def test_lines_and_markers_are_big_enough_for_a_projector():
    _, fig = chart(BOTH_WAYS, target=90, baseline=20)
    for t in fig.data:
        if "lines" in t.mode:
            assert t.line.width >= 2, t.name
        if "markers" in t.mode:
            assert t.marker.size >= 8, t.name
    assert fig.layout.font.size >= 16
    assert fig.layout.xaxis.tickfont.size >= 16 and fig.layout.yaxis.tickfont.size >= 16
    assert fig.layout.xaxis.tickangle == 0 and fig.layout.xaxis.tickformat == "%b %Y"  # the hover has it in full
    assert all(a.font.size >= 16 for a in fig.layout.annotations)
    assert fig.layout.title.text == "A finding" and fig.layout.title.subtitle.text == "What is shown"


def test_hover_gives_the_month_in_full_the_value_and_the_rules_in_plain_english():
    values = [1234 + (i % 2) for i in range(20)] + [5000]
    result, fig = chart(values, start="2023-01", baseline=20)
    assert [p.rules for p in result.points if p.rules] == [("astronomical",)]
    data = trace(fig, "Each month")
    assert data.text[12] == "January 2024: 1,234"
    assert data.text[20] == "September 2024: 5,000<br>Unusual: outside the normal range"
    assert trace(fig, CONCERN_NAME).text == ("September 2024: 5,000<br>Unusual: outside the normal range",)
    assert "%{text}" in data.hovertemplate


def test_hover_names_every_rule_on_a_point():
    values = STABLE + [101] * 7 + [200]  # the last point: outside the range and part of the shift
    result, fig = chart(values, baseline=20)
    assert result.points[-1].rules == ("astronomical", "shift")
    assert trace(fig, "Each month").text[-1].endswith(
        "Unusual: outside the normal range; 7 or more months in a row on one side of the average")


def test_counts_get_thousands_separators_and_start_from_zero():
    _, fig = chart(SHIFT_HIGH)
    assert fig.layout.yaxis.tickformat == "," and fig.layout.yaxis.rangemode == "tozero"
    assert not fig.layout.yaxis.ticksuffix


def test_percentages_get_a_percent_sign_on_the_axis_and_in_the_hover():
    values = [85.5, 84.5] * 10
    _, fig = chart(values, "higher", unit="percent", target=90)
    assert fig.layout.yaxis.ticksuffix == "%" and fig.layout.yaxis.tickformat != ","
    assert trace(fig, "Each month").text[0] == "January 2022: 85.5%"
    assert trace(fig, "Target: 90%") is not None


def test_unit_and_improvement_are_checked():
    result = analyse(months(20), STABLE, "lower")
    with pytest.raises(ValueError, match="unit must be 'count' or 'percent', not 'pounds'"):
        spc_chart(result, improvement="lower", title="t", subtitle="s", unit="pounds")
    with pytest.raises(ValueError, match="improvement must be 'lower' or 'higher', not 'up'"):
        spc_chart(result, improvement="up", title="t", subtitle="s")
    with pytest.raises(ValueError, match="baseline must be between 1 and the 20 points, not 21"):
        spc_chart(result, improvement="lower", title="t", subtitle="s", baseline=21)


# Target, baseline, short series, missing months


def test_the_target_is_a_labelled_horizontal_line_only_when_given():
    _, without = chart(SHIFT_HIGH)
    assert not [t for t in without.data if t.name.startswith("Target")]
    _, fig = chart(SHIFT_HIGH, target=1250.5)
    line = trace(fig, "Target: 1,250.5")
    assert list(line.y) == [1250.5, 1250.5]
    assert list(line.x) == [first_day(months(28)[0]), first_day(months(28)[-1])]
    assert line.line.color == DARK_PINK and line.line.width >= 2


def test_the_baseline_months_are_shaded_and_labelled_only_when_given():
    _, without = chart(SHIFT_HIGH)
    assert not without.layout.shapes and not without.layout.annotations
    _, fig = chart(SHIFT_HIGH, baseline=20)
    (rect,) = fig.layout.shapes
    dates = [first_day(p) for p in months(28)]
    assert rect.type == "rect" and rect.xref == "x" and rect.layer == "below"
    assert dt.datetime.fromisoformat(str(rect.x0)) < dates[0]
    assert dates[19] < dt.datetime.fromisoformat(str(rect.x1)) < dates[20]
    assert [a.text for a in fig.layout.annotations] == ["Baseline"]


def test_with_fewer_than_two_points_only_the_points_are_drawn():
    result = analyse(["2024-01"], [1234], "lower")
    fig = spc_chart(result, improvement="lower", title="t", subtitle="s", target=1000)
    (data,) = fig.data
    assert data.mode == "markers" and list(data.y) == [1234]
    assert data.x == (dt.datetime(2024, 1, 1),)
    assert not fig.layout.shapes


def test_a_missing_month_breaks_the_line():
    periods = months(20, skip_after=9)  # November 2022 is missing
    result = analyse(periods, STABLE, "lower")
    data = trace(spc_chart(result, improvement="lower", title="t", subtitle="s"), "Each month")
    assert len(data.x) == 21 and data.connectgaps is False
    assert data.x[10] == dt.datetime(2022, 11, 1) and data.y[10] is None
    assert list(data.y[:10]) + list(data.y[11:]) == STABLE


def test_a_missing_month_is_shaded_no_data():
    periods = months(20, skip_after=9)  # January to October 2022, then December 2022: November is missing
    fig = spc_chart(analyse(periods, STABLE, "lower"), improvement="lower", title="t", subtitle="s")
    (rect,) = fig.layout.shapes
    assert rect.type == "rect" and rect.layer == "below"
    assert dt.datetime(2022, 10, 1) < dt.datetime.fromisoformat(str(rect.x0)) < dt.datetime(2022, 11, 1)
    assert dt.datetime(2022, 11, 1) < dt.datetime.fromisoformat(str(rect.x1)) < dt.datetime(2022, 12, 1)
    assert [a.text for a in fig.layout.annotations] == ["No data"]
    # and none on a series with every month
    assert not spc_chart(analyse(months(20), STABLE, "lower"), improvement="lower", title="t",
                         subtitle="s").layout.shapes


# The table alternative


def test_the_table_has_one_row_a_month_with_the_limits_and_the_rules_in_words():
    values = STABLE + [101] * 7 + [200]
    result = analyse(months(len(values), "2023-01"), values, "lower", baseline=20)
    table = spc_table(result)
    assert list(table.columns) == [
        "Month", "Value", "Average", "Lower limit", "Upper limit", "Unusual", "Rules"]
    assert len(table) == 28
    first, last = table.iloc[0], table.iloc[-1]
    point = result.points[0]
    assert first.Month == "January 2023" and last.Month == "April 2025"
    assert list(table.Value) == values
    assert (first.Average, first["Lower limit"], first["Upper limit"]) == (
        round(point.mean, 1), round(point.lower_limit, 1), round(point.upper_limit, 1))
    assert list(table.Unusual) == ["No"] * 20 + ["Yes"] * 8
    assert first.Rules == ""
    assert table.Rules.iloc[20] == "7 or more months in a row on one side of the average"
    assert last.Rules == "outside the normal range; 7 or more months in a row on one side of the average"


def test_the_table_of_a_single_point_has_no_limits():
    table = spc_table(analyse(["2024-01"], [5], "lower"))
    assert table.Month.tolist() == ["January 2024"] and table.Value.tolist() == [5.0]
    assert table[["Average", "Lower limit", "Upper limit"]].isna().all(axis=None)
    assert table.Unusual.tolist() == ["No"]


def test_the_table_on_screen_writes_counts_whole_with_separators_and_limits_to_one_decimal():
    # 13 months alternating 1,000 and 1,002: mean 13,012 / 13 = 1,000.923; every moving range
    # is 2, so the limits are the mean -/+ 2.66 x 2 = 5.32: 995.603 and 1,006.243.
    values = [1000, 1002] * 6 + [1000]
    shown = spc_table_shown(spc_table(analyse(months(13), values, "lower")))
    assert shown.Value.tolist() == ["1,000", "1,002"] * 6 + ["1,000"]
    assert set(shown.Average) == {"1,000.9"}
    assert set(shown["Lower limit"]) == {"995.6"} and set(shown["Upper limit"]) == {"1,006.2"}


def test_the_table_on_screen_keeps_a_percentages_decimal_and_has_a_dash_where_there_are_no_limits():
    shown = spc_table_shown(spc_table(analyse(["2024-01"], [12.34], "higher")), unit="percent")
    assert shown.iloc[0].tolist() == ["January 2024", "12.3%", "\u2013", "\u2013", "\u2013", "No", ""]


# The chart draws the engine's kinds, each phase apart, and the step changes and lasting shifts


def test_the_chart_draws_each_points_kind_as_the_engine_gave_it_without_re_deriving_it():
    result, _ = chart(SHIFT_HIGH)
    # Swap the engine's kinds: the chart must follow them, not its own reading of the rules.
    swapped = dataclasses.replace(result, points=[
        dataclasses.replace(p, kind={"concern": "improvement", "improvement": "concern"}.get(p.kind))
        for p in result.points])
    fig = spc_chart(swapped, improvement="lower", title="t", subtitle="s")
    assert xs(fig, IMPROVEMENT_NAME) == list(range(20, 28)) and xs(fig, CONCERN_NAME) == []


def test_each_phase_has_its_own_lines_and_the_step_change_is_labelled_with_its_reason():
    values = [9, 11] * 7 + [19, 21] * 7  # phase 1: mean 10; phase 2 from March 2023: mean 20
    result = analyse(months(28), values, "lower", step_changes=[StepChange("2023-03", "lockdown ended")])
    fig = spc_chart(result, improvement="lower", title="t", subtitle="s")
    average = trace(fig, AVERAGE_NAME)
    assert list(average.y) == [10] * 14 + [None] + [20] * 14  # a gap: no line joins the phases
    assert list(average.x) == [first_day(p) for p in months(14)] + [None] + [first_day(p) for p in months(28)[14:]]
    labels = [a.text for a in fig.layout.annotations]
    assert "Step change: lockdown ended" in labels
    line = next(s for s in fig.layout.shapes if s.type == "line")
    assert first_day("2023-02") < line.x0 < first_day("2023-03")  # between the phases
    assert [t for t in fig.data if t.name == CONCERN_NAME] == []  # the step no longer cries wolf
    plain = spc_chart(analyse(months(28), values, "lower"), improvement="lower", title="t", subtitle="s")
    assert xs(plain, CONCERN_NAME) == list(range(14, 28))


def test_a_lasting_shift_without_a_step_change_is_noted_on_the_chart():
    values = [11, 9] * 6 + [12] * 12  # the last 12 months above the mean, from January 2023
    result = analyse(months(24), values, "lower")
    fig = spc_chart(result, improvement="lower", title="t", subtitle="s")
    assert "A lasting change since January 2023: consider recording a step change" in [
        a.text for a in fig.layout.annotations]
    _, steady = chart(STABLE)
    assert not any("lasting change" in (a.text or "") for a in steady.layout.annotations)


def test_the_plan_page_advice_gives_the_line_to_add_to_the_plan_file():
    from scrutiny.show.plan_view import lasting_shift_advice
    result = analyse(months(24), [11, 9] * 6 + [12] * 12, "lower")
    advice, line = lasting_shift_advice(result, "burglary")
    assert advice.startswith("A lasting change since January 2023: consider recording a step change")
    assert line == '  - {month: 2023-01, measures: [burglary], reason: "why the figures changed"}'
    assert lasting_shift_advice(chart(STABLE)[0], "burglary") is None


def test_no_reference_line_runs_across_a_missing_month():
    periods = months(20, skip_after=9)  # November 2022 is missing
    fig = spc_chart(analyse(periods, STABLE, "lower"), improvement="lower", title="t", subtitle="s")
    average = trace(fig, "Average")
    assert list(average.x).index(None) == 10 and average.y[10] is None  # after October 2022's point
    assert len(average.x) == 21


def test_a_step_change_note_is_wrapped_and_on_the_side_of_its_line_with_more_room():
    values = [9, 11] * 7 + [19, 21] * 7
    early = analyse(months(28), values, "lower", step_changes=[StepChange("2023-03", "people back at work after lockdown")])
    (note,) = [a for a in spc_chart(early, improvement="lower", title="t", subtitle="s").layout.annotations
               if a.text.startswith("Step change")]
    # 28 characters a line at most, so a tablet's 353 px plot holds it
    assert note.text == "Step change: people back at<br>work after lockdown"
    assert note.xanchor == "left"  # the step is in the first half: the note runs to the right of its line
    late = analyse(months(36), [9, 11] * 10 + [19, 21] * 8, "lower",  # the step at the 21st of 36 months
                   step_changes=[StepChange("2023-09", "people back at work after lockdown")])
    (note,) = [a for a in spc_chart(late, improvement="lower", title="t", subtitle="s").layout.annotations
               if a.text.startswith("Step change")]
    assert note.xanchor == "right"  # in the second half: to the left of its line, not past the chart's edge


def test_month_ticks_are_plotlys_own_for_the_width_and_the_legend_sits_at_the_foot():
    _, fig = chart(STABLE)
    axis = fig.layout.xaxis
    # no fixed step: Plotly spaces its own ticks at least 80 px apart at whatever width it draws
    assert (axis.dtick, axis.nticks, axis.automargin) == (None, None, True)
    # at the figure's foot: Plotly adds its rows to the room the tick labels take, at any width
    legend = fig.layout.legend
    assert (legend.yref, legend.y, legend.yanchor, legend.orientation) == ("container", 0, "bottom", "h")
