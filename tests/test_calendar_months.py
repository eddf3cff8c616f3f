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
