"""The Trends page's question, is the chosen month unusual, asked of the window a rating uses, with
the step changes the plan records for that crime type's measure."""
import datetime as dt

import pandas as pd
import pytest

from scrutiny.core.months import Month
from scrutiny.present.trend import latest_window

# 40 months from January 2021: four early months of 100 that must fall outside the window, then 36
# months alternating 10 and 12.
MONTHS = [dt.date(2021 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(1, 41)]
SERIES = pd.DataFrame({"month": MONTHS, "crime_count": [100] * 4 + [10, 12] * 18})


def test_the_window_is_the_36_months_to_the_chosen_month_and_its_limits_come_from_them_alone():
    # By hand: mean 11, every moving range 2, so the limits are 11 -/+ 2.66 x 2 = 5.68 and 16.32,
    # and nothing is unusual.
    latest = latest_window(SERIES, dt.date(2024, 4, 1))
    periods = [p.period for p in latest.result.points]
    assert (len(periods), periods[0], periods[-1]) == (36, Month(2021, 5), Month(2024, 4))
    assert [p.value for p in latest.result.points] == [10, 12] * 18
    last = latest.result.points[-1]
    assert (last.mean, last.lower_limit, last.upper_limit) == pytest.approx((11, 5.68, 16.32))
    assert latest.result.variation == "common_cause"
    assert latest.last_month.label == "April 2024"


def test_an_earlier_chosen_month_ends_the_window_there():
    latest = latest_window(SERIES, dt.date(2022, 6, 1))
    periods = [p.period for p in latest.result.points]
    assert (len(periods), periods[0], periods[-1]) == (18, Month(2021, 1), Month(2022, 6))  # all there are


def test_a_recorded_step_change_starts_a_phase_with_limits_of_its_own():
    # A step from April 2022 (25 months after it, from the 40-month series' last 36 months): the
    # first phase, May 2021 to March 2022, is the same 10/12 pattern, so both phases have mean 11;
    # what shows the step is the phase number and its label.
    steps = pd.DataFrame({"month": [dt.date(2022, 4, 1)], "reason": ["a change in recording"]})
    latest = latest_window(SERIES, dt.date(2024, 4, 1), steps)
    phases = {p.period: p.phase for p in latest.result.points}
    assert (phases[Month(2022, 3)], phases[Month(2022, 4)], phases[Month(2024, 4)]) == (1, 2, 2)


def test_no_months_up_to_the_chosen_month_gives_no_window():
    assert latest_window(SERIES, dt.date(2020, 12, 1)) is None


def test_the_trends_chart_takes_the_step_changes_of_the_measure_that_counts_its_crime_type(demo_con):
    from scrutiny.store import queries

    def steps(crime_type):
        table = queries.run(demo_con, "trends/step_changes", crime_type=crime_type)
        return [(m.strftime("%Y-%m"), reason) for m, reason in zip(table.month, table.reason)]

    # data/demo/plan.yaml: all crime re-based in April 2020 and July 2021, burglary in April 2020 and
    # October 2021; neighbourhood crime counts several types, so it gives none to any one of them
    assert steps("All crime") == [("2020-04", "first lockdown began"), ("2021-07", "lockdown ended")]
    assert steps("Burglary") == [("2020-04", "first lockdown began"),
                                 ("2021-10", "people back at work after lockdown")]
    assert steps("Robbery") == []
