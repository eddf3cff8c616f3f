"""The one sentence that squares a year-on-year change with a rating, from hand-made facts."""
import datetime as dt

import pytest

from scrutiny.rate.story import year_and_rating

BASE = {"month": dt.date(2024, 1, 1), "unit": "count", "improvement": "lower", "change_points": None,
        "window_first": dt.date(2021, 2, 1), "window_last": dt.date(2024, 1, 1)}


def facts(**changed):
    return {**BASE, **changed}


@pytest.mark.parametrize("given, sentence", [
    # 7,774 against 8,249: p = 0.0002 (exact test), a notable fall; rated on 36 months, amber
    (facts(value=7774, value_previous_year=8249, change_pct=-5.8, rag="amber", decided_by="common_cause"),
     "Down 5.8% on January 2023, a notable fall, but within the normal range of the last three years, so amber."),
    # 421 against 468: p = 0.12, not notable; amber: the two agree
    (facts(value=421, value_previous_year=468, change_pct=-10.0, rag="amber", decided_by="common_cause"),
     "Down 10.0% on January 2023, not a notable change, and within the normal range of the last three years, "
     "so amber."),
    # 0 against 3: p = 0.25, not notable, though a special cause of concern: they differ
    (facts(value=0, value_previous_year=3, change_pct=-100.0, rag="red", decided_by="variation"),
     "Down 100.0% on January 2023, not a notable change, but a pattern of change for the worse over the last "
     "three years, so red."),
    # 162 against 108: p = 0.001, a notable rise of a lower-is-better measure, and a concern: they agree
    (facts(value=162, value_previous_year=108, change_pct=50.0, rag="red", decided_by="variation"),
     "Up 50.0% on January 2023, a notable rise, and a pattern of change for the worse over the last three "
     "years, so red."),
    # a notable rise while the pattern is for the better: they differ
    (facts(value=162, value_previous_year=108, change_pct=50.0, rag="green", decided_by="variation"),
     "Up 50.0% on January 2023, a notable rise, but a pattern of change for the better over the last three "
     "years, so green."),
    (facts(value=60, value_previous_year=30, change_pct=100.0, rag="green", decided_by="assurance",
           window_first=dt.date(2023, 1, 1)),
     "Up 100.0% on January 2023, a notable rise, but the whole normal range of the last 13 months is on the "
     "right side of the target, so green."),
    (facts(unit="percent", improvement="higher", value=81.3, value_previous_year=79.0, change_pct=None,
           change_points=2.3, rag="amber", decided_by="common_cause", window_first=dt.date(2022, 2, 1)),
     "Up 2.3 percentage points on January 2023, and within the normal range of the last two years, so amber."),
    # 6 against 0: p = 2 x (1/2)^6 = 0.03125, notable
    (facts(value=6, value_previous_year=0, change_pct=None, rag="not rated", decided_by="too_few_points"),
     "Up from none in January 2023, a notable rise; too few months of figures to rate it yet."),
    # a month whose outcomes are still being recorded (outcomes_pending) is not rated for that
    # reason alone: the sentence says it is provisional, not that there are too few months
    (facts(unit="percent", improvement="higher", value=3.3, value_previous_year=6.5, change_pct=None,
           change_points=-3.2, rag="not rated", decided_by="outcomes_pending"),
     "Down 3.2 percentage points on January 2023; provisional, as outcomes are still being recorded, so not "
     "rated yet."),
    # one month above the range decided it (999 calls answered in 10 seconds, higher is better): the
    # sentence says so, not "a pattern ... over three years"; 2.0 points are written as the
    # explanation beside it writes them, "2 percentage points"
    (facts(unit="percent", improvement="higher", value=92.1, value_previous_year=90.1, change_pct=None,
           change_points=2.0, rag="green", decided_by="variation", decided_rule="astronomical"),
     "Up 2 percentage points on January 2023, and this month was above the normal range of the last three "
     "years, so green."),
    (facts(unit="percent", improvement="higher", value=91.1, value_previous_year=90.1, change_pct=None,
           change_points=1.0, rag="amber", decided_by="common_cause"),
     "Up 1 percentage point on January 2023, and within the normal range of the last three years, so amber."),
    # a lower-is-better count one month above its range, and the step change its range starts at
    (facts(value=162, value_previous_year=108, change_pct=50.0, rag="red", decided_by="variation",
           decided_rule="astronomical", step_change_month="2021-07"),
     "Up 50.0% on January 2023, a notable rise, and this month was above the normal range since the step "
     "change in July 2021, so red."),
    (facts(value=12, value_previous_year=12, change_pct=0.0, rag="amber", decided_by="common_cause",
           month="2024-01", window_first="2021-02", window_last="2024-01"),
     "The same as in January 2023, not a notable change, and within the normal range of the last three years, "
     "so amber."),
])
def test_the_sentence_squares_the_change_with_the_rating(given, sentence):
    assert year_and_rating(given) == sentence


def test_there_is_no_sentence_without_a_figure_a_year_before():
    assert year_and_rating(facts(value=5, value_previous_year=None, change_pct=None, rag="amber",
                                 decided_by="common_cause")) is None


# The demo's January 2024, worked by hand: all crime force-wide was 7,774 against 8,249 in January
# 2023 (-5.8%, one of the published figures); the exact test gives p = 0.0002, a notable fall; the
# stored rating (checked in the tests that use this) is amber, decided by common-cause variation
# over the 36 months February 2021 to January 2024.


def test_the_demo_all_crime_facts_behind_the_sentence(demo_con):
    from scipy.stats import binomtest

    value, then, change, rag, decided_by, first, last = demo_con.execute("""
        select value, value_previous_year, change_pct, rag, decided_by, window_first, window_last from ratings
        where measure_id = 'all_crime' and area_id = 'leicestershire' and month = '2024-01-01'""").fetchone()
    assert (value, then, change, rag, decided_by) == (7774, 8249, -5.8, "amber", "common_cause")
    assert (first, last) == (dt.date(2021, 2, 1), dt.date(2024, 1, 1))
    assert binomtest(7774, 7774 + 8249, 0.5).pvalue < 0.05
