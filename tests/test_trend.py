"""The Trends page's question, is the latest month unusual, asked of the window a rating uses."""
import datetime as dt

import pandas as pd
import pytest

from scrutiny.present.trend import latest_window


def test_the_latest_window_is_the_last_36_months_and_its_limits_come_from_them_alone():
    # 40 months: four early months of 100 that must fall outside the window, then 36 months
    # alternating 10 and 12. By hand: mean 11, every moving range 2, so the limits are
    # 11 -/+ 2.66 x 2 = 5.68 and 16.32, and nothing is unusual.
    months = [dt.date(2021 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(1, 41)]
    counts = [100] * 4 + [10, 12] * 18
    latest = latest_window(pd.DataFrame({"month": months, "crime_count": counts}))
    assert list(latest.months.crime_count) == [10, 12] * 18
    periods = [p.period for p in latest.result.points]
    assert (len(periods), periods[0], periods[-1]) == (36, "2021-05", "2024-04")
    last = latest.result.points[-1]
    assert (last.mean, last.lower_limit, last.upper_limit) == pytest.approx((11, 5.68, 16.32))
    assert latest.result.variation == "common_cause"
