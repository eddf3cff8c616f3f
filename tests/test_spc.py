"""The XmR engine: limits, the four special cause rules, variation and assurance."""
import pytest

from scrutiny.core.months import add_months, month_key, parse_month
from scrutiny.rate.spc import RuleLengths, SpcPoint, analyse, which_rule_decided

NONE = ()  # a point on which no rule fires
ALTERNATING = [9, 11] * 6  # 12 points: mean 10, every moving range 2


def months(count, start="2023-01", skip_after=None):
    """`count` consecutive months; with skip_after=i, one month is missing after point i."""
    first = parse_month(start)
    return [month_key(add_months(first, i + (skip_after is not None and i > skip_after)))
            for i in range(count)]


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
    message = f"baseline must be between 2 and the 5 points, not {baseline}"
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
    assert one.points == [SpcPoint("2024-01", 7.0, None, None, None, None, None, ())]
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


# Two in three: 2 or 3 of 3 points in a row beyond the same 2-sigma line. Baseline 9, 11, ...:
# 2 sigma = 10 -/+ 1.773 x 2 = 6.454, 13.546.


def test_two_of_three_beyond_upper_two_sigma_flags_those_two():
    assert rules(ALTERNATING + [14, 10, 14], baseline=12) == (
        [NONE] * 12 + [("two_in_three",), NONE, ("two_in_three",)])


def test_two_of_three_beyond_lower_two_sigma_flags_those_two():
    assert rules(ALTERNATING + [6, 6], baseline=12) == [NONE] * 12 + [("two_in_three",)] * 2


def test_two_beyond_two_sigma_but_four_points_apart_are_not_two_in_three():
    assert rules(ALTERNATING + [14, 10, 10, 14], baseline=12) == [NONE] * 16


def test_two_beyond_two_sigma_on_opposite_sides_are_not_two_in_three():
    assert rules(ALTERNATING + [14, 10, 6], baseline=12) == [NONE] * 15


def test_point_beyond_three_sigma_counts_towards_two_in_three():
    assert rules(ALTERNATING + [16, 10, 14], baseline=12) == (
        [NONE] * 12 + [("astronomical", "two_in_three"), NONE, ("two_in_three",)])


# A missing month breaks every run rule.


@pytest.mark.parametrize("skip_after", [6, 9])  # a month missing after the 1, or after the 4
def test_missing_month_breaks_a_trend(skip_after):
    values = [7, 1, 7, 1, 7, 1] + [1, 2, 3, 4, 5, 6, 7]
    result = analyse(months(13, skip_after=skip_after), values, "lower")
    assert [p.rules for p in result.points] == [NONE] * 13
    assert months(13, skip_after=9)[9:11] == ["2023-10", "2023-12"]  # the helper skips a month


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
    assert list(data) == ["points", "variation", "assurance"]
    assert data["points"][-1] == {
        "period": "2024-01", "value": 20.0, "mean": 10.0,
        "lower_limit": pytest.approx(4.68), "upper_limit": pytest.approx(15.32),
        "lower_2sigma": pytest.approx(6.454), "upper_2sigma": pytest.approx(13.546),
        "special_cause": True, "rules": ["astronomical"],
    }
    assert data["points"][0]["special_cause"] is False
    assert (data["variation"], data["assurance"]) == ("concern", None)
