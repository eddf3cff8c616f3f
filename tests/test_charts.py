"""Figures tested as figures: their traces, values, labels and titles."""
import datetime as dt

import pytest

from scipy.stats import binomtest

from scrutiny.present import meeting
from scrutiny.show import charts
from scrutiny.core import formatting
from scrutiny.store import queries

JANUARY_2024 = dt.date(2024, 1, 1)


def test_area_chart_has_one_bar_per_area_sorted_with_counts_in_the_labels(demo_con):
    table = meeting.areas(meeting.runner(demo_con), JANUARY_2024, "All crime")
    fig = charts.area_comparison_chart(table, "All crime", JANUARY_2024)
    (bars,) = fig.data
    assert list(bars.x) == sorted(table.change_pct)  # the biggest rise is drawn at the top
    assert set(bars.y) == set(table.area_name)
    labels = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext))
    assert set(labels) == set(table.area_name)
    melton = table.set_index("area_name").loc["Melton and Rutland"]
    # 421 against 468: p = 0.12 by the exact test, so a fall of 10% is not notable here
    assert labels["Melton and Rutland"] == (
        f"<b>Melton and Rutland</b><br>\u221210.0% ({melton.crime_count:,} vs {melton.count_previous_year:,})")
    assert fig.layout.title.text == "All crime fell in 8 of 8 areas"
    assert "Melton and Rutland (\u221210.0%)" in fig.layout.title.subtitle.text


def test_area_chart_says_notable_exactly_where_the_exact_test_does(demo_con):
    table = meeting.areas(meeting.runner(demo_con), JANUARY_2024, "Burglary")
    fig = charts.area_comparison_chart(table, "Burglary", JANUARY_2024)
    labels = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext))
    expected = {row.area_name for row in table.itertuples()
                if binomtest(int(row.crime_count), int(row.crime_count + row.count_previous_year), 0.5).pvalue < 0.05}
    assert expected == {"East Leicester", "North West Leicestershire"}  # 92 against 63, 43 against 24
    assert {area for area, label in labels.items() if label.endswith(", notable")} == expected
    notable = dict(zip(fig.data[0].y, (c[3] for c in fig.data[0].customdata)))
    assert notable["East Leicester"] == "Yes" and notable["Charnwood"] == "No"


def test_area_chart_uses_readable_type_and_the_palette(demo_con):
    table = meeting.areas(meeting.runner(demo_con), JANUARY_2024, "Burglary")
    fig = charts.area_comparison_chart(table, "Burglary", JANUARY_2024)
    assert fig.data[0].marker.color == charts.DARK_BLUE
    assert fig.layout.font.size >= 16 and fig.layout.yaxis.tickfont.size >= 16


def test_trend_chart_shows_this_year_and_last_year_and_states_the_12_month_change(demo_con):
    series = queries.run(demo_con, "trends/monthly_series", area="city-centre", crime_type="Burglary")
    fig = charts.trend_chart(series, "Burglary", "City Centre")
    this_year, last_year = fig.data
    assert list(this_year.y) == list(series.crime_count)
    assert this_year.name == "This year" and last_year.name == "Same month a year before"
    now, then = series.rolling_12_month_total.iloc[-1], series.rolling_12_month_total.iloc[-13]
    direction = "up" if now > then else "down"
    assert fig.layout.title.text.startswith(f"{formatting.count(now)} in the 12 months to January 2024, {direction} ")


def test_the_trend_title_finds_the_12_months_a_year_before_by_month_when_a_month_is_missing():
    import pandas as pd
    # January 2022 to January 2024 with June 2023 missing: by position, the 13th total back from
    # January 2024 is December 2022's; the total a year before is January 2023's.
    months = [m for m in pd.date_range("2022-01-01", "2024-01-01", freq="MS") if m != pd.Timestamp("2023-06-01")]
    totals = {pd.Timestamp("2023-01-01"): 1000, pd.Timestamp("2024-01-01"): 900}
    series = pd.DataFrame({"month": months, "rolling_12_month_total": [totals.get(m, 500) for m in months]})
    title, _ = charts.trend_title(series, "Burglary", "City Centre")
    assert title == "900 in the 12 months to January 2024, down 10.0% on the 12 months before"
    # with no total for January 2023 there is no comparison to state
    title, _ = charts.trend_title(series[series.month != pd.Timestamp("2023-01-01")], "Burglary", "City Centre")
    assert title == "Burglary in City Centre, month by month"


def test_rolling_total_chart_starts_when_twelve_months_are_available(demo_con):
    series = queries.run(demo_con, "trends/monthly_series", area="leicestershire", crime_type="All crime")
    (line,) = charts.rolling_total_chart(series, "All crime", "LLR").data
    assert len(line.y) == len(series) - 11
    assert line.y[-1] == series.crime_count.iloc[-12:].sum()


def gappy_series():
    """January 2023 to April 2024 with 2 crimes a month, but no November and December 2023."""
    import pandas as pd
    months = [m for m in pd.date_range("2023-01-01", "2024-04-01", freq="MS")
              if m not in (pd.Timestamp("2023-11-01"), pd.Timestamp("2023-12-01"))]
    # no 12-month total: none of these months has 12 whole months of figures
    return pd.DataFrame({"month": months, "crime_count": [2] * len(months), "count_previous_year": [None] * len(months),
                         "rolling_12_month_total": [None] * len(months)})


def test_the_trend_chart_breaks_both_lines_at_missing_months_and_shades_them():
    fig = charts.trend_chart(gappy_series(), "Burglary", "City Centre")
    this_year, _ = fig.data
    assert len(this_year.x) == 16  # every calendar month from January 2023 to April 2024
    ys = list(this_year.y)
    assert [y != y for y in ys] == [False] * 10 + [True, True] + [False] * 4  # November, December blank
    (rect,) = fig.layout.shapes
    assert dt.datetime(2023, 10, 1) < dt.datetime.fromisoformat(str(rect.x0)) < dt.datetime(2023, 11, 1)
    assert dt.datetime(2023, 12, 1) < dt.datetime.fromisoformat(str(rect.x1)) < dt.datetime(2024, 1, 1)
    assert [a.text for a in fig.layout.annotations] == ["No data"]


def test_the_rolling_total_line_never_joins_totals_across_a_gap():
    import pandas as pd
    months = list(pd.date_range("2022-01-01", "2024-04-01", freq="MS"))
    kept = [m for m in months if m != pd.Timestamp("2023-06-01")]  # June 2023 missing
    # totals given for December 2022 to May 2023 only (12 whole months before the gap), by hand
    totals = [24.0 if pd.Timestamp("2022-12-01") <= m <= pd.Timestamp("2023-05-01") else None for m in kept]
    series = pd.DataFrame({"month": kept, "crime_count": [2] * len(kept), "count_previous_year": [None] * len(kept),
                           "rolling_12_month_total": totals})
    fig = charts.rolling_total_chart(series, "Burglary", "City Centre")
    (line,) = fig.data
    # from December 2022 to April 2024 by calendar month: 6 totals, then 11 blanks (June 2023 included)
    assert [y if y == y else None for y in line.y] == [24.0] * 6 + [None] * 11
    assert len(fig.layout.shapes) == 1
    assert fig.layout.title.subtitle.text.endswith("no total while any of its 12 months is missing from the data")


def test_numbers_are_written_for_people():
    assert formatting.count(1234567) == "1,234,567"
    assert formatting.percent(-3.7) == "\u22123.7%"
    assert formatting.percent(12.04) == "+12.0%"
    assert formatting.signed_count(-475) == "\u2212475"
    assert formatting.change_phrase(1203, 1295, -7.1) == "down 7.1% (1,203 against 1,295)"
    assert formatting.change_phrase(10, None, None) == "10 (no figure for a year before)"
    assert [formatting.change_words(c) for c in (-7.1, 3.0, 0.0, None)] == ["down 7.1%", "up 3.0%", "no change", ""]
    assert [formatting.rate(r) for r in (12.345, 1234.5, 0.1, None)] == ["12.35", "1,234.50", "0.10", "not available"]


@pytest.mark.parametrize("value, unit, written", [
    (1234.0, "count", "1,234"), (1234.56, "count", "1,234.6"), (1234.96, "count", "1,235"),
    (12.04, "percent", "12%"), (12.0, "percent", "12%"), (90.14, "percent", "90.1%"),
    (-0.04, "count", "0"), (None, "count", "not available"),
])
def test_a_measure_value_is_written_one_way(value, unit, written):
    """The explanation, the chart's hover and the pack's table all write a value with this one."""
    assert formatting.measure_value(value, unit) == written


def test_the_chart_and_the_explanation_write_a_value_alike():
    from scrutiny.rate.explain import Facts, Pattern, explain
    from scrutiny.rate.spc import analyse
    from scrutiny.show.spc_chart import spc_chart

    months = [f"2023-{m:02d}" for m in range(1, 13)] + ["2024-01"]
    values = [12.04] * 12 + [12.0]
    result = analyse(months, values, "higher")
    fig = spc_chart(result, improvement="higher", title="t", subtitle="s", unit="percent")
    hover = next(t for t in fig.data if t.name == "Each month").text[-1].split("<br>")[0]
    text = explain(Facts("Satisfaction", "Blaby", "percent", "higher", dt.date(2024, 1, 1), 12.0, 13, "amber",
                         "common_cause", window_first=dt.date(2023, 1, 1), window_last=dt.date(2024, 1, 1),
                         mean=12.04, lower_limit=12.0, upper_limit=12.1, pattern=Pattern(None, -1)))
    assert hover == "January 2024: 12%"
    assert "Satisfaction in Blaby was 12% in January 2024." in text


def test_gaps_closer_than_a_label_share_one_no_data_label():
    import pandas as pd
    # the real files: June 2020, then August and September 2020, missing, in 2019-12 to 2024-01 (50 months)
    months = [m for m in pd.date_range("2019-12-01", "2024-01-01", freq="MS")
              if m not in (pd.Timestamp("2020-06-01"), pd.Timestamp("2020-08-01"), pd.Timestamp("2020-09-01"),
                           pd.Timestamp("2022-11-01"))]
    series = pd.DataFrame({"month": months, "crime_count": [5] * len(months),
                           "count_previous_year": [None] * len(months), "rolling_12_month_total": [None] * len(months)})
    fig = charts.trend_chart(series, "Burglary", "City Centre")
    assert len(fig.layout.shapes) == 3  # every gap shaded
    # a label a fifth of the 50 months wide (10): August 2020 is 2 months after June's label, November 2022 is 29
    # each label at its band's left edge, half a month before its first missing month
    assert [(a.text, str(a.x)[:10]) for a in fig.layout.annotations] == [("No data", "2020-05-17"), ("No data", "2022-10-17")]
