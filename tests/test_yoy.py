"""The year-on-year test: exact, equal to scipy's binomtest, and silent where there is nothing to test."""
import math

import pandas as pd
import pytest
from scipy.stats import binomtest

from scrutiny.rate import yoy

GRID = [(now, then) for now in range(0, 41) for then in range(0, 41) if now + then > 0]
LARGE = [(7774, 8249), (1149, 1215), (703, 730), (12, 30), (500, 500), (501, 500), (0, 2000)]


def test_the_vectorised_test_equals_binomtest_over_a_grid_of_counts():
    pairs = GRID + LARGE
    found = yoy.p_values([n for n, _ in pairs], [t for _, t in pairs])
    for (now, then), p in zip(pairs, found):
        assert p == pytest.approx(binomtest(now, now + then, 0.5).pvalue, rel=1e-9, abs=1e-300), (now, then)


@pytest.mark.parametrize("now, then", GRID[::37] + LARGE)
def test_one_pair_equals_binomtest_and_is_notable_below_five_percent(now, then):
    expected = binomtest(now, now + then, 0.5).pvalue
    assert yoy.p_value(now, then) == pytest.approx(expected, rel=1e-9)
    assert yoy.is_notable(yoy.p_value(now, then)) == (expected < 0.05)


def test_none_against_three_is_not_notable():
    # By hand: the splits of 3 crimes as uneven as 0-3 are 0-3 and 3-0, each 1/8: p = 2/8.
    assert yoy.p_value(0, 3) == pytest.approx(0.25)
    assert yoy.is_notable(yoy.p_value(0, 3)) is False


def test_small_counts_by_hand():
    # 0 against 6: 2 x (1/2)^6 = 1/32 = 0.03125, notable; 1 against 6: 2 x (1 + 7) / 128 = 0.125.
    assert yoy.p_value(0, 6) == pytest.approx(1 / 32)
    assert yoy.is_notable(yoy.p_value(0, 6)) is True
    assert yoy.p_value(1, 6) == pytest.approx(16 / 128)
    assert yoy.p_value(5, 5) == 1.0


@pytest.mark.parametrize("now, then", [(0, 0), (5, None), (None, 5), (float("nan"), 3), (3, pd.NA)])
def test_there_is_no_test_when_both_are_zero_or_a_count_is_missing(now, then):
    assert yoy.p_value(now, then) is None
    assert yoy.is_notable(yoy.p_value(now, then)) is None


def test_a_frame_gains_p_value_and_notable_with_blanks_where_there_is_no_test():
    table = pd.DataFrame({"crime_count": [0, 0, 10, 7], "count_previous_year": [3, 0, None, 30]})
    tested = yoy.with_test(table)
    assert tested.p_value.iloc[0] == pytest.approx(0.25)
    assert math.isnan(tested.p_value.iloc[1]) and math.isnan(tested.p_value.iloc[2])
    assert tested.p_value.iloc[3] == pytest.approx(binomtest(7, 37, 0.5).pvalue)
    assert list(tested.notable) == [False, None, None, True]
    assert [yoy.notable_word(v) for v in tested.notable] == ["No", "", "", "Yes"]
    assert list(table.columns) == ["crime_count", "count_previous_year"]  # the input is left alone


# --- The change on a year before --------------------------------------------------------------

@pytest.mark.parametrize("now, then, change", [
    (1203, 1295, -7.1),   # -92 / 1295 = -7.104%
    (3, 16, -81.2),       # -81.25%: a tie, to the even digit
    (110, 100, 10.0), (1, 3, -66.7), (100, 100, 0.0),
    (3, 0, None),         # no percentage of nothing
    (5, None, None), (None, 5, None), (5, float("nan"), None),
])
def test_change_pct_by_hand(now, then, change):
    assert yoy.change_pct(now, then) == change


def test_the_python_change_is_the_sql_macros_over_a_grid_of_counts(demo_con):
    pairs = [(now, then) for now, then in GRID if then > 0] + [(n, t) for n, t in LARGE if t > 0] + [(5, 0)]
    for now, then in pairs:
        (in_sql,) = demo_con.execute("select change_pct(?::bigint, ?::bigint)", [now, then]).fetchone()
        assert yoy.change_pct(now, then) == in_sql, (now, then)


def test_the_year_before_is_found_by_its_month_not_its_position():
    from scrutiny.core.months import Month
    # May 2023 is missing: the 13th point back from May 2024 is April 2023, not May 2023
    by_month = {Month(2023, m): 100 + m for m in range(1, 13) if m != 5} | {Month(2024, m): 200 + m for m in range(1, 6)}
    assert yoy.year_before(by_month, Month(2024, 4)) == 104
    assert yoy.year_before(by_month, "2024-05") is None
    assert yoy.year_before({Month(2023, 1): float("nan")}, "2024-01") is None


def test_the_notable_note_after_a_change():
    assert [yoy.notable_note(v) for v in (True, False, None)] == [", notable", "", ""]
    assert [yoy.notable_note(v, say_not=True) for v in (True, False, None)] == [", notable", ", not notable", ""]
    assert yoy.notable_note(True, before=" \u2014 ") == " \u2014 notable"
