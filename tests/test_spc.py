"""The XmR engine: limits, the four special cause rules, variation and assurance."""
import datetime as dt
import json

import pytest

from scrutiny.core.months import Month
from scrutiny.rate.spc import (Pattern, RuleLengths, SpcPoint, StepChange, analyse, step_change_line,
                               which_rule_decided)

NONE = ()  # a point on which no rule fires
ALTERNATING = [9, 11] * 6  # 12 points: mean 10, every moving range 2


def months(count, start="2023-01", skip_after=None):
    """`count` consecutive Months; with skip_after=i, one month is missing after point i."""
    first = Month.of(start)
    return [first.plus(i + (skip_after is not None and i > skip_after)) for i in range(count)]


def rules(values, improvement="lower", **options):
    result = analyse(months(len(values)), values, improvement, **options)
    return [point.rules for point in result.points]


# Limits


def test_limits_match_hand_computed_numbers():
    # mean = (10 + 12 + 11 + 15 + 12) / 5 = 60 / 5 = 12
    # moving ranges |12-10|, |11-12|, |15-11|, |12-15| = 2, 1, 4, 3; mean MR = 10 / 4 = 2.5
    # limits = 12 -/+ 2.66 x 2.5 = 12 -/+ 6.65 = 5.35, 18.65
    # 2 sigma = 12 -/+ 1.773 x 2.5 = 12 -/+ 4.4325 = 7.5675, 16.4325
    result = analyse(months(5), [10, 12, 11, 15, 12], "lower")
    assert result.mean_moving_range == pytest.approx(2.5)
    assert result.baseline_size == 5
    for point in result.points:
        assert (point.mean, point.lower_limit, point.upper_limit) == pytest.approx(
            (12, 5.35, 18.65))
        assert (point.lower_2sigma, point.upper_2sigma) == pytest.approx((7.5675, 16.4325))


def test_baseline_fixes_limits_on_the_first_points_and_extends_them():
    later = [30, 40, 50]
    result = analyse(months(8), [10, 12, 11, 15, 12] + later, "lower", baseline=5)
    assert result.baseline_size == 5
    assert result.mean_moving_range == pytest.approx(2.5)
    assert len(result.points) == 8
    for point in result.points:  # the later points 30, 40, 50 change nothing
        assert (point.mean, point.lower_limit, point.upper_limit) == pytest.approx(
            (12, 5.35, 18.65))
    # Without the baseline the later points move the centre.
    unfixed = analyse(months(8), [10, 12, 11, 15, 12] + later, "lower")
    assert unfixed.points[0].mean == (60 + 120) / 8


@pytest.mark.parametrize("baseline", [0, 1, 6])
def test_baseline_shorter_than_two_or_longer_than_series_is_refused(baseline):
    message = f"--baseline {baseline}: it must be between 2 and 5, the number of months in the series"
    with pytest.raises(ValueError, match=message):
        analyse(months(5), [1, 2, 3, 4, 5], "lower", baseline=baseline)


def test_zero_moving_range_puts_limits_on_the_mean_and_flags_nothing():
    result = analyse(months(13), [5] * 13, "lower", target=6)
    assert result.mean_moving_range == 0
    assert {(p.mean, p.lower_limit, p.upper_limit, p.lower_2sigma, p.upper_2sigma)
            for p in result.points} == {(5, 5, 5, 5, 5)}
    assert [p.rules for p in result.points] == [NONE] * 13
    assert (result.variation, result.assurance) == ("common_cause", "pass")


def test_equal_decimal_values_are_on_the_mean_despite_rounding():
    # 13 x 1.1 summed naively and divided by 13 is not exactly 1.1; that must not make a shift.
    assert rules([1.1] * 13) == [NONE] * 13


# Fewer than 13 points


def test_twelve_points_get_limits_but_no_rules_variation_or_assurance():
    result = analyse(months(12), list(range(1, 13)), "lower", target=100)
    # 1..12 would be a trend (and beyond the limits) with one more point.
    assert [p.rules for p in result.points] == [NONE] * 12
    assert (result.variation, result.assurance, which_rule_decided(result)) == (None, None, None)
    assert result.points[0].mean == pytest.approx(6.5)
    assert result.points[0].upper_limit == pytest.approx(6.5 + 2.66)


def test_one_point_has_no_limits_and_no_points_give_an_empty_result():
    one = analyse(["2024-01"], [7], "higher", target=5)
    assert one.points == [SpcPoint(Month(2024, 1), 7.0, None, None, None, None, None, ())]
    assert (one.variation, one.assurance, one.mean_moving_range) == (None, None, None)
    assert analyse([], [], "higher").points == []


# Astronomical: a point strictly beyond a 3-sigma limit. Baseline 9, 11, ...: mean 10, MR 2,
# limits 10 -/+ 5.32 = 4.68, 15.32.


def test_point_beyond_upper_limit_is_astronomical():
    assert rules(ALTERNATING + [15.33], baseline=12) == [NONE] * 12 + [("astronomical",)]


def test_point_beyond_lower_limit_is_astronomical():
    assert rules(ALTERNATING + [4.67], baseline=12) == [NONE] * 12 + [("astronomical",)]


def test_point_exactly_on_the_limit_is_not_astronomical():
    assert rules(ALTERNATING + [15.32], baseline=12) == [NONE] * 13


def test_point_on_the_limit_up_to_rounding_is_not_astronomical():
    # mean 50, MR 17: lower limit 50 - 2.66 x 17 = 4.78, which floating point makes
    # 4.780000000000001; the value 4.78 is on the limit, not beyond it.
    assert rules([41.5, 58.5] * 6 + [4.78], baseline=12) == [NONE] * 13


# Shift: 7 or more points in a row strictly on one side of the mean.


def test_seven_points_above_the_mean_are_a_shift():
    # mean = (1+9+1+9+1 + 7x6 + 1) / 13 = 64 / 13 = 4.92
    assert rules([1, 9, 1, 9, 1] + [6] * 7 + [1]) == [NONE] * 5 + [("shift",)] * 7 + [NONE]


def test_six_points_above_the_mean_are_not_a_shift():
    # mean = (9+1+9+1+9+1 + 6x6 + 1) / 13 = 67 / 13 = 5.15
    assert rules([9, 1, 9, 1, 9, 1] + [6] * 6 + [1]) == [NONE] * 13


def test_eight_above_then_one_below_flags_the_eight():
    # NHSRplotthedots example. mean = (9+1+9+1 + 8x6 + 1) / 13 = 69 / 13 = 5.31
    assert rules([9, 1, 9, 1] + [6] * 8 + [1]) == [NONE] * 4 + [("shift",)] * 8 + [NONE]


def test_point_exactly_on_the_mean_breaks_a_shift():
    # mean = (1+9+1+9+1+3 + 6+6+6+5+6+6+6) / 13 = 65 / 13 = 5 exactly: the 5 is on the mean.
    assert rules([1, 9, 1, 9, 1, 3, 6, 6, 6, 5, 6, 6, 6]) == [NONE] * 13
    # The same with 6 instead of 5 is a shift of seven (mean 66 / 13 = 5.08).
    assert rules([1, 9, 1, 9, 1, 3, 6, 6, 6, 6, 6, 6, 6]) == [NONE] * 6 + [("shift",)] * 7


# Trend: 7 or more points in a row each strictly higher (or lower) than the one before.
# The zigzag 7, 1, 7, 1 widens the limits so that only the trend rule can fire.


def test_one_to_seven_is_a_trend_flagging_all_seven_points():
    # NHSRplotthedots example. mean = (7+1+7+1+7+1 + 28) / 13 = 4
    assert rules([7, 1, 7, 1, 7, 1] + [1, 2, 3, 4, 5, 6, 7]) == [NONE] * 6 + [("trend",)] * 7


def test_six_rising_points_are_not_a_trend():
    assert rules([7, 1, 7, 1, 7, 1, 7] + [1, 2, 3, 4, 5, 6]) == [NONE] * 13


def test_repeated_value_breaks_a_trend():
    # NHSRplotthedots example: 1, 2, 3, 3, 4, 5, 6 is not a trend.
    assert rules([7, 1, 7, 1, 7, 1] + [1, 2, 3, 3, 4, 5, 6]) == [NONE] * 13


def test_falling_points_are_a_trend():
    # mirror image of 1..7: mean = (1+7+1+7+1+7 + 28) / 13 = 4
    assert rules([1, 7, 1, 7, 1, 7] + [7, 6, 5, 4, 3, 2, 1]) == [NONE] * 6 + [("trend",)] * 7


def test_rule_lengths_are_parameters():
    short = RuleLengths(shift=6, trend=6)
    assert rules([7, 1, 7, 1, 7, 1, 7] + [1, 2, 3, 4, 5, 6], rule_lengths=short) == (
        [NONE] * 7 + [("trend",)] * 6)
    assert rules([9, 1, 9, 1, 9, 1] + [6] * 6 + [1], rule_lengths=short) == (
        [NONE] * 6 + [("shift",)] * 6 + [NONE])


# Two in three: 2 or 3 of 3 points in a row beyond the same 2-sigma line, all 3 on that side of
# the mean. Baseline 9, 11, ...: mean 10, 2 sigma = 10 -/+ 1.773 x 2 = 6.454, 13.546;
# limits 10 -/+ 2.66 x 2 = 4.68, 15.32.


def test_two_of_three_beyond_upper_two_sigma_flags_those_two():
    assert rules(ALTERNATING + [14, 11, 14], baseline=12) == (
        [NONE] * 12 + [("two_in_three",), NONE, ("two_in_three",)])


def test_two_of_three_beyond_lower_two_sigma_flags_those_two():
    assert rules(ALTERNATING + [9, 6, 6], baseline=12) == [NONE] * 13 + [("two_in_three",)] * 2


def test_two_beyond_two_sigma_need_the_third_point_on_their_side_of_the_mean():
    # 11, 6, 6: the 11 is above the mean, so no window of three is all below it.
    assert rules(ALTERNATING + [6, 6], baseline=12) == [NONE] * 14
    # 14, 10, 14: the 10 is on the mean, not above it.
    assert rules(ALTERNATING + [14, 10, 14], baseline=12) == [NONE] * 15


def test_two_beyond_two_sigma_but_four_points_apart_are_not_two_in_three():
    assert rules(ALTERNATING + [14, 11, 11, 14], baseline=12) == [NONE] * 16


def test_two_beyond_two_sigma_on_opposite_sides_are_not_two_in_three():
    assert rules(ALTERNATING + [14, 10, 6], baseline=12) == [NONE] * 15


def test_point_beyond_three_sigma_counts_towards_two_in_three():
    assert rules(ALTERNATING + [16, 11, 14], baseline=12) == (
        [NONE] * 12 + [("astronomical", "two_in_three"), NONE, ("two_in_three",)])


# NHSRplotthedots' own examples (tests/testthat/test-ptd_calculate_point_type.R, ptd_two_in_three
# and ptd_part_of_two_in_three): `close` marks a point beyond a 2-sigma line, `side` its side of
# the mean. Our points: beyond 2 sigma above is 14, above the mean but not beyond is 11, below
# the mean (not beyond) is 9 and beyond 2 sigma below is 6, after the 12-point baseline 9, 11, ... (mean 10, 2 sigma 13.546).
# Their test marks part-of-two-in-three only on the points beyond the line, as ours does.
def _nhsr_values(close, side):
    return [(14 if s > 0 else 6) if c else 11 if s > 0 else 9 for c, s in zip(close, side)]


@pytest.mark.parametrize("close, side, marked", [
    ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
    ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
    ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
    ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
    ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 0, 1, 1, 0, 0, 0]),
    ([1, 0, 0, 1], [1] * 4, [0, 0, 0, 0]),
    ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
    # "when points are on opposite sides of the mean": nothing fires
    ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
    ([0, 1, 1], [1, -1, 1], [0, 0, 0]),
    ([1, 1, 0], [1, -1, 1], [0, 0, 0]),
    ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
])
def test_two_in_three_matches_nhsrplotthedots_examples(close, side, marked):
    # A 9 (below the mean) before the examples, so that the baseline's last 11 joins no window.
    found = rules(ALTERNATING + [9] + _nhsr_values(close, side), baseline=12)[13:]
    assert [int("two_in_three" in r) for r in found] == marked


def test_shift_and_trend_match_nhsrplotthedots_examples():
    # ptd_seven_point_one_side_mean(c(rep(1, 8), -1)) marks the 7th and 8th points, which part of
    # seven spreads to all 8: 8 points above the mean then one below.
    assert rules(ALTERNATING + [9] + [12] * 8 + [9], baseline=12)[13:] == [("shift",)] * 8 + [NONE]
    # ptd_seven_point_trend(c(1:3, 3:6)): a repeated 3 breaks the trend.
    trends_only = RuleLengths(shift=99)
    assert rules([20, 0] * 3 + [1, 2, 3, 3, 4, 5, 6], rule_lengths=trends_only) == [NONE] * 13
    # ptd_seven_point_trend(c(2, 1:7, 3)) and (c(2, 7:1, 3)): the seven points 1..7 (7..1) only.
    for seven in ([1, 2, 3, 4, 5, 6, 7], [7, 6, 5, 4, 3, 2, 1]):
        found = rules([0, 8] * 2 + [2] + seven + [3], rule_lengths=trends_only)
        assert found[5:12] == [("trend",)] * 7 and found[4] == found[12] == NONE


# Moving-range screening


def test_a_moving_range_above_3267_times_the_mean_is_left_out_of_the_limits():
    # 10, 12, 10, 12, 10, 12, 10, 12, 10, 40, 10, 12, 10: moving ranges 2 x 8, 30, 30, 2, 2
    # (12 ranges). Mean MR = (8 x 2 + 30 + 30 + 2 + 2) / 12 = 80 / 12 = 6.667;
    # 3.267 x 6.667 = 21.78, so both 30s are left out: mean MR = (10 x 2) / 10 = 2.
    # Mean of the values = (10 x 7 + 12 x 5 + 40) / 13 = 170 / 13 = 13.0769.
    values = [10, 12, 10, 12, 10, 12, 10, 12, 10, 40, 10, 12, 10]
    result = analyse(months(13), values, "lower")
    assert result.mean_moving_range == pytest.approx(2)
    mean = 170 / 13
    assert (result.points[0].mean, result.points[0].upper_limit) == pytest.approx((mean, mean + 5.32))
    assert "astronomical" in result.points[9].rules


def test_a_moving_range_below_the_screen_is_kept():
    # 10, 12, ...: 2 x 11 and one 6 (12 ranges): mean MR = 28 / 12 = 2.333; 3.267 x 2.333 = 7.62,
    # so the 6 stays and the mean MR stays 28 / 12.
    values = [10, 12, 10, 12, 10, 12, 10, 12, 10, 16, 14, 12, 10]
    assert analyse(months(13), values, "lower").mean_moving_range == pytest.approx(28 / 12)


# Step changes: phases


def test_a_step_change_gives_each_phase_its_own_limits_and_breaks_runs():
    # 14 points alternating 9, 11 (mean 10, MR 2), then 14 alternating 19, 21 (mean 20, MR 2).
    values = [9, 11] * 7 + [19, 21] * 7
    result = analyse(months(28), values, "lower", step_changes=[StepChange("2024-03", "new recording")])
    assert [p.phase for p in result.points] == [1] * 14 + [2] * 14
    for p in result.points[:14]:
        assert (p.mean, p.lower_limit, p.upper_limit) == pytest.approx((10, 4.68, 15.32))
    for p in result.points[14:]:
        assert (p.mean, p.lower_limit, p.upper_limit) == pytest.approx((20, 14.68, 25.32))
    assert all(not p.rules for p in result.points)
    assert result.variation == "common_cause"
    assert [(ph.first, ph.size, ph.step_change) for ph in result.phases] == [
        (0, 14, None), (14, 14, StepChange("2024-03", "new recording"))]
    # Without the step change the second half is a long shift above one mean of 15.
    assert analyse(months(28), values, "lower").variation == "concern"


def test_a_step_change_with_fewer_than_13_points_after_it_joins_the_phase_before():
    values = [9, 11] * 6 + [9] + [21, 19] * 6  # 12 points after the step
    result = analyse(months(25), values, "lower", step_changes=[StepChange("2024-02", "x")])
    assert {p.phase for p in result.points} == {1}
    assert len(result.phases) == 1 and result.phases[0].size == 25


def test_a_short_phase_between_two_steps_joins_the_phase_before_it():
    # Steps at points 13 and 18: the middle phase has 5 points, so it joins the first; the last
    # has 13 and stands.
    values = [10] * 13 + [30] * 5 + [20] * 13
    steps = [StepChange("2024-02", "a"), StepChange("2024-07", "b")]
    result = analyse(months(31), values, "lower", step_changes=steps)
    assert [p.phase for p in result.points] == [1] * 18 + [2] * 13
    assert result.points[0].mean == pytest.approx((130 + 150) / 18)
    assert result.points[-1].mean == 20
    assert result.phases[1].step_change.reason == "b"


def test_the_first_phase_stands_however_short():
    values = [10, 12, 11] + [9, 11] * 7
    result = analyse(months(17), values, "lower", step_changes=[StepChange("2023-04", "x")])
    assert [p.phase for p in result.points] == [1] * 3 + [2] * 14
    assert result.points[0].mean == 11 and result.points[-1].mean == 10


def test_a_step_change_outside_the_series_changes_nothing():
    values = [9, 11] * 7
    plain = analyse(months(14), values, "lower")
    for period in ("2022-06", "2023-01", "2030-01"):
        assert analyse(months(14), values, "lower", step_changes=[StepChange(period)]) == plain


def test_baseline_fixes_only_the_first_phase():
    values = [10, 12, 11, 15, 12] + [11] * 8 + [21, 19] * 7
    result = analyse(months(27), values, "lower", baseline=5, step_changes=[StepChange("2024-02")])
    assert result.points[12].mean == 12 and result.points[0].upper_limit == pytest.approx(18.65)
    assert result.points[13].mean == 20
    with pytest.raises(ValueError, match="--baseline 14: it must be between 2 and 13, the number of months before the first step change"):
        analyse(months(27), values, "lower", baseline=14, step_changes=[StepChange("2024-02")])


# A lasting change: suggested, never applied


def test_twelve_months_on_one_side_suggest_a_step_change():
    values = [11, 9] * 6 + [12] * 12  # mean (120 + 144) / 24 = 11: the last 12 are above it
    result = analyse(months(24), values, "lower")
    assert result.lasting_shift_since == Month(2024, 1)
    assert {p.mean for p in result.points} == {11}  # nothing re-based
    assert analyse(months(23), values[:-1], "lower").lasting_shift_since is None  # 11 months


def test_a_recorded_step_change_ends_the_suggestion():
    values = [9, 11] * 7 + [20] * 13
    assert analyse(months(27), values, "lower").lasting_shift_since == Month(2024, 3)
    stepped = analyse(months(27), values, "lower", step_changes=[StepChange("2024-03", "x")])
    assert stepped.lasting_shift_since is None


def test_a_recorded_step_change_not_yet_in_effect_is_not_suggested_again():
    # 12 months of 20 after 14 alternating: the shift began in 2024-03, where the office has recorded
    # a step change; with 12 months after it (one short of 13) it is pending, not to be suggested.
    values = [9, 11] * 7 + [20] * 12
    assert analyse(months(26), values, "lower").lasting_shift_since == Month(2024, 3)
    pending = analyse(months(26), values, "lower", step_changes=[StepChange("2024-03", "x")])
    assert pending.pending_step_changes == (StepChange("2024-03", "x"),)
    assert {p.phase for p in pending.points} == {1}
    assert pending.lasting_shift_since is None


def test_step_change_line_is_a_plan_file_entry():
    assert step_change_line(Month(2021, 6), ["all_crime"]) == (
        '  - {month: 2021-06, measures: [all_crime], reason: "why the figures changed"}')
    assert "measures: all," in step_change_line(Month(2021, 6))


# A missing month breaks every run rule.


@pytest.mark.parametrize("skip_after", [6, 9])  # a month missing after the 1, or after the 4
def test_missing_month_breaks_a_trend(skip_after):
    values = [7, 1, 7, 1, 7, 1] + [1, 2, 3, 4, 5, 6, 7]
    result = analyse(months(13, skip_after=skip_after), values, "lower")
    assert [p.rules for p in result.points] == [NONE] * 13
    assert months(13, skip_after=9)[9:11] == [Month(2023, 10), Month(2023, 12)]  # the helper skips a month


def test_missing_month_breaks_a_shift():
    values = [1, 9, 1, 9, 1] + [6] * 7 + [1]
    result = analyse(months(13, skip_after=7), values, "lower")
    assert [p.rules for p in result.points] == [NONE] * 13


def test_missing_month_breaks_two_in_three():
    values = ALTERNATING + [14, 10, 14]
    result = analyse(months(15, skip_after=12), values, "lower", baseline=12)
    assert [p.rules for p in result.points] == [NONE] * 15


@pytest.mark.parametrize("periods, message", [
    (["2024-01", "2024-03", "2024-02"], "periods must increase: 2024-02 follows 2024-03"),
    (["2024-01", "2024-01", "2024-02"], "periods must increase: 2024-01 follows 2024-01"),
    (["2024-01", "2024-13", "2024-14"], "'2024-13' is not a month in the form YYYY-MM"),
])
def test_periods_must_be_months_in_increasing_order(periods, message):
    with pytest.raises(ValueError, match=message):
        analyse(periods, [1, 2, 3], "lower")


def test_improvement_must_be_lower_or_higher():
    with pytest.raises(ValueError, match="improvement must be 'lower' or 'higher', not 'up'"):
        analyse(months(3), [1, 2, 3], "up")


# Variation of the latest point


@pytest.mark.parametrize("latest, improvement, variation", [
    (20, "lower", "concern"),
    (20, "higher", "improvement"),
    (0, "lower", "improvement"),
    (0, "higher", "concern"),
])
def test_variation_follows_the_improvement_direction(latest, improvement, variation):
    result = analyse(months(13), ALTERNATING + [latest], improvement, baseline=12)
    assert (result.variation, which_rule_decided(result)) == (variation, "astronomical")


def test_rising_trend_is_concern_when_lower_is_better_and_improvement_when_higher():
    values = [7, 1, 7, 1, 7, 1] + [1, 2, 3, 4, 5, 6, 7]
    lower = analyse(months(13), values, "lower")
    higher = analyse(months(13), values, "higher")
    assert (lower.variation, which_rule_decided(lower)) == ("concern", "trend")
    assert (higher.variation, which_rule_decided(higher)) == ("improvement", "trend")


def test_special_cause_on_earlier_points_only_is_common_cause():
    result = analyse(months(13), [9, 1, 9, 1] + [6] * 8 + [1], "lower")
    assert result.points[5].special_cause and not result.points[-1].special_cause
    assert (result.variation, which_rule_decided(result)) == ("common_cause", None)


@pytest.mark.parametrize("improvement, decided_by", [("lower", "shift"), ("higher", "trend")])
def test_concern_wins_when_rules_on_the_latest_point_disagree(improvement, decided_by):
    # Seven falling points, all above the mean: the shift says "high", the trend says "falling".
    values = [0, 8, 0, 8, 0, 8] + [19, 18.5, 18, 17.5, 17, 16.5, 16]
    result = analyse(months(13), values, improvement)
    assert result.points[-1].rules == ("shift", "trend")
    assert (result.variation, which_rule_decided(result)) == ("concern", decided_by)


# Assurance: limits 10 -/+ 2 x 2.66 = 4.68, 15.32 for 9, 11, ... x 14


@pytest.mark.parametrize("target, improvement, assurance", [
    (20, "lower", "pass"),
    (0, "lower", "fail"),
    (10, "lower", "hit_and_miss"),
    (0, "higher", "pass"),
    (20, "higher", "fail"),
    (10, "higher", "hit_and_miss"),
    (15.32, "lower", "hit_and_miss"),  # a limit on the target is not clear of it
])
def test_assurance_compares_the_band_between_the_limits_with_the_target(
        target, improvement, assurance):
    result = analyse(months(14), [9, 11] * 7, improvement, target=target)
    assert (result.points[-1].lower_limit, result.points[-1].upper_limit) == pytest.approx(
        (4.68, 15.32))
    assert result.assurance == assurance


def test_no_target_means_no_assurance():
    assert analyse(months(14), [9, 11] * 7, "lower").assurance is None


def test_json_dict_has_every_point_field_and_the_ratings():
    result = analyse(months(13), ALTERNATING + [20], "lower", baseline=12)
    data = result.to_json_dict()
    assert list(data) == ["points", "variation", "assurance", "step_changes", "lasting_shift_since",
                          "pending_step_changes"]
    assert data["points"][-1] == {
        "period": "2024-01", "phase": 1, "value": 20.0, "mean": 10.0,
        "lower_limit": pytest.approx(4.68), "upper_limit": pytest.approx(15.32),
        "lower_2sigma": pytest.approx(6.454), "upper_2sigma": pytest.approx(13.546),
        "special_cause": True, "kind": "concern", "rules": ["astronomical"],
    }
    assert data["points"][0]["special_cause"] is False
    assert (data["variation"], data["assurance"]) == ("concern", None)


def test_a_result_holds_months_as_months_and_its_json_writes_them_as_text():
    # given as text and a date at the door, a period is a Month inside: every point's, each step
    # change's and the lasting shift's; the JSON (the CLI's output) writes them 'YYYY-MM'
    periods = [Month(2023, 1).plus(i).key for i in range(38)]
    values = [9, 11] * 7 + [11, 9] * 6 + [12] * 12  # the second phase: mean 11, the last 12 above it
    result = analyse(periods, values, "lower", step_changes=[StepChange(dt.date(2024, 3, 1), "new recording")])
    assert [p.period for p in result.points] == [Month(2023, 1).plus(i) for i in range(38)]
    assert all(type(p.period) is Month for p in result.points)
    step = result.phases[1].step_change
    assert type(step.period) is Month and step == StepChange(Month(2024, 3), "new recording")
    assert type(result.lasting_shift_since) is Month and result.lasting_shift_since == Month(2025, 3)
    data = result.to_json_dict()
    assert [p["period"] for p in data["points"]] == periods
    assert data["step_changes"] == [{"period": "2024-03", "reason": "new recording"}]
    assert data["lasting_shift_since"] == "2025-03"
    json.dumps(data)  # text and numbers only

    pending = analyse(periods[:26], [9, 11] * 7 + [20] * 12, "lower", step_changes=[StepChange("2024-03", "x")])
    assert [type(s.period) for s in pending.pending_step_changes] == [Month]
    assert pending.to_json_dict()["pending_step_changes"] == [{"period": "2024-03", "reason": "x"}]


def test_a_step_change_holds_a_month_whatever_it_is_given():
    for given in ("2024-03", "2024-03-01", dt.date(2024, 3, 1), dt.datetime(2024, 3, 15), Month(2024, 3)):
        period = StepChange(given).period
        assert type(period) is Month and period == Month(2024, 3), given


# The latest point's pattern, as the rules found it (what the explanation words)


def test_the_latest_pattern_of_a_shift_is_its_months_in_a_row():
    # mean = (1+9+1+9+1 + 8x6) / 13 = 69 / 13 = 5.31: the last eight are above it
    result = analyse(months(13), [1, 9, 1, 9, 1] + [6] * 8, "lower")
    assert (result.variation, result.pattern) == ("concern", Pattern("shift", 1, 8))


def test_the_latest_pattern_of_a_trend_counts_its_rises_and_stops_at_a_missing_month():
    values = [7, 1, 7, 1, 7, 1, 0] + [1, 2, 3, 4, 5, 6, 7]
    # no gap: 0, 1, ..., 7 is seven rises in a row
    assert analyse(months(14), values, "lower").pattern == Pattern("trend", 1, 7)
    # a month missing between the 0 and the 1: six rises (mean 52 / 14 = 3.71, limits -/+ 7.8,
    # so no other rule fires on the 7)
    result = analyse(months(14, skip_after=6), values, "lower")
    assert (result.points[-1].rules, result.pattern) == (("trend",), Pattern("trend", 1, 6))


def test_the_latest_pattern_of_two_in_three_says_how_many_and_whether_one_is_beyond_the_range():
    # mean 10, lower 2-sigma line 6.454, lower limit 4.68 (see the two-in-three tests above)
    assert analyse(months(15), ALTERNATING + [9, 6, 6], "lower", baseline=12).pattern == (
        Pattern("two_in_three", -1, 2, False))
    result = analyse(months(15), ALTERNATING + [4, 9, 6], "lower", baseline=12)
    assert (result.variation, result.pattern) == ("improvement", Pattern("two_in_three", -1, 2, True))


def test_common_cause_has_no_pattern_rule_and_too_few_points_no_pattern():
    assert analyse(months(13), [10, 12] * 6 + [11], "lower").pattern.rule is None
    assert analyse(months(12), [10, 12] * 6, "lower").pattern is None


def test_the_rating_window_is_the_36_calendar_months_up_to_the_month():
    from scrutiny.rate.window import rating_window
    # 40 points from January 2023 with the month after point 20 missing: points 0-20 are months 0-20
    # of the calendar, points 21-39 are months 22-40.
    periods = months(40, skip_after=20)
    values = [float(v) for v in range(40)]
    # up to point 37 (calendar month 38): the 36 months 3 to 38 hold points 3 to 37, 35 points
    result = rating_window(periods, values, "lower", up_to=periods[37])
    assert [p.period for p in result.points] == periods[3:38]
    # up to the last point (month 40): months 5 to 40, points 5 to 39
    assert [p.period for p in rating_window(periods, values, "lower").points] == periods[5:]
    assert [p.period for p in rating_window(periods[:5], values[:5], "lower").points] == periods[:5]


def test_no_moving_range_is_taken_across_a_gap_in_the_months():
    from scrutiny.rate.spc import screened_mean_moving_range
    # 10, 12, 10, then a missing month, then 30, 32. By hand: the month-to-month changes are 2, 2
    # and 2 (mean 2); across the gap 10 -> 30 is not one. Taken as given the ranges would be 2, 2,
    # 20 and 2: mean 6.5, and 20 is under 3.267 x 6.5, so nothing would screen it out.
    values = [10.0, 12.0, 10.0, 30.0, 32.0]
    assert screened_mean_moving_range(values) == 6.5
    assert screened_mean_moving_range(values, [False, True, True, False, True]) == 2.0
    points = analyse(months(5, skip_after=2), values, "lower").points
    assert points[-1].upper_limit == pytest.approx(18.8 + 2.66 * 2)  # mean 18.8
