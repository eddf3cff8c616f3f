"""Months are calendar months: a rolling 12-month total never adds up months either side of a gap."""
import datetime as dt

import duckdb
import pytest

from scrutiny.store import queries


@pytest.fixture
def gappy_con():
    """One crime a month from January 2019 to June 2021, except November 2020 (no file that month)."""
    con = duckdb.connect()
    con.execute("""
        create table area_month_totals as
        select 'somewhere' as area_id, 'Burglary' as crime_type, m::date as month, 1 as crime_count
        from range(date '2019-01-01', date '2021-07-01', interval 1 month) t(m)
        where m <> date '2020-11-01'
    """)
    yield con
    con.close()


def test_the_rolling_total_is_blank_unless_all_twelve_calendar_months_have_figures(gappy_con):
    series = queries.run(gappy_con, "trends/monthly_series", area="somewhere", crime_type="Burglary")
    totals = {m.date(): (None if t != t else int(t)) for m, t in zip(series.month, series.rolling_12_month_total)}
    assert totals[dt.date(2019, 11, 1)] is None           # only 11 months so far
    assert totals[dt.date(2019, 12, 1)] == 12              # January to December 2019
    assert totals[dt.date(2020, 10, 1)] == 12              # November 2019 to October 2020
    assert dt.date(2020, 11, 1) not in totals              # the missing month has no row
    # every 12 months from December 2020 to June 2021 include November 2020: no total, never 11 or 12
    # months stitched together across the gap
    assert [totals[dt.date(y, m, 1)] for y, m in [(2020, 12), (2021, 1), (2021, 6)]] == [None, None, None]


# The missing-month words every page, chart, rating and summary uses (scrutiny.core.months)

from scrutiny.core.months import (Month, missing_months, missing_ranges, missing_sentence,  # noqa: E402
                                  missing_summary, ranges_in_words)


def test_no_month_missing_gives_no_words():
    months = ["2023-11", "2023-12", "2024-01"]
    assert missing_ranges(months) == []
    assert missing_summary(months) is None
    assert missing_sentence(months) is None
    assert missing_ranges([]) == []


def test_one_missing_month():
    months = ["2020-05", "2020-07"]
    assert missing_months(months) == [Month(2020, 6)]
    assert missing_ranges(months) == [(Month(2020, 6), Month(2020, 6))]
    assert missing_summary(months) == "1 month missing: June 2020"
    assert missing_sentence(months) == "June 2020 is missing from the data."


def test_a_run_across_a_year_end_is_one_range():
    # the shared Leicestershire files: October 2022, then January 2024
    months = [dt.date(2022, 10, 1), dt.date(2024, 1, 1)]
    assert missing_ranges(months) == [(Month(2022, 11), Month(2023, 12))]
    assert missing_summary(months) == "14 months missing: November 2022 to December 2023"
    assert missing_sentence(months) == "November 2022 to December 2023 are missing from the data."


def test_two_runs_are_listed_in_order():
    # the shared Lancashire files around 2020: June, August and September missing
    months = ["2020-05", "2020-07", "2020-10"]
    assert missing_ranges(months) == [(Month(2020, 6), Month(2020, 6)), (Month(2020, 8), Month(2020, 9))]
    assert missing_summary(months) == "3 months missing: June 2020 and August 2020 to September 2020"
    assert missing_sentence(months) == "June 2020 and August 2020 to September 2020 are missing from the data."


def test_three_runs_take_commas_and_a_last_and():
    ranges = [(Month(2019, 12), Month(2019, 12)), (Month(2020, 1), Month(2020, 2)), (Month(2021, 3), Month(2021, 3))]
    assert ranges_in_words(ranges) == "December 2019, January 2020 to February 2020 and March 2021"


def test_a_window_wider_than_the_figures_counts_the_months_outside_them():
    # 12 months to April 2024 with figures for January to April 2024 only
    months = ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert missing_ranges(months, first=Month(2023, 5), last="2024-04") == [(Month(2023, 5), Month(2023, 12))]
    assert missing_summary(months, first="2023-05", last="2024-04") == "8 months missing: May 2023 to December 2023"
