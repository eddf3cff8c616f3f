"""Funnel plot limits, verdicts and the figure: checked against sums done by hand."""
import math

import numpy as np
import pandas as pd
import pytest

from scrutiny.show import charts
from scrutiny.rate import funnel
from scrutiny.rate.funnel import Funnel, classify, fit, funnel_table, poisson_limit
from scrutiny.show.funnel_chart import (LIMIT_NAMES, MAX_OUTLIER_LABELS, Box, funnel_chart, funnel_title,
                                   labelled_outliers, place_labels)


def poisson_cdf(k: int, mean: float) -> float:
    return sum(math.exp(-mean + i * math.log(mean) - math.lgamma(i + 1)) for i in range(k + 1))


def interpolated_quantile_by_hand(mean: float, q: float) -> float:
    """Spiegelhalter (2005), appendix A.1.2, with the CDF summed term by term."""
    r = 0
    while poisson_cdf(r, mean) < q:
        r += 1
    below = poisson_cdf(r - 1, mean) if r > 0 else 0.0
    return r - (poisson_cdf(r, mean) - q) / (poisson_cdf(r, mean) - below)


@pytest.mark.parametrize("mean", [0.7, 4.0, 10.0, 37.5, 150.0])
@pytest.mark.parametrize("q", [0.001, 0.025, 0.975, 0.999])
def test_poisson_limits_are_the_interpolated_exact_quantiles(mean, q):
    assert poisson_limit(mean, q) == pytest.approx(max(0.0, interpolated_quantile_by_hand(mean, q)), abs=1e-9)


def test_poisson_limits_for_a_mean_of_ten_worked_by_hand():
    # Poisson(10): F(16) = 0.97300, F(17) = 0.98572, so the 97.5% limit is 17 - 0.01072 / 0.01272.
    assert poisson_limit(10, 0.975) == pytest.approx(16.160, abs=0.001)
    assert poisson_limit(10, 0.025) == pytest.approx(3.775, abs=0.001)
    assert poisson_limit(10, 0.999) == pytest.approx(20.662, abs=0.001)
    assert poisson_limit(10, 0.001) == pytest.approx(1.221, abs=0.001)


def test_for_large_counts_the_limits_approach_the_normal_ones():
    mean = 10_000
    assert poisson_limit(mean, 0.975) == pytest.approx(mean + 1.96 * math.sqrt(mean), abs=1.5)
    assert poisson_limit(mean, 0.001) == pytest.approx(mean - 3.09 * math.sqrt(mean), abs=1.5)


def test_the_funnel_narrows_as_the_population_grows():
    f = Funnel(rate=0.05, method="poisson", phi=1.0, tau2=0.0, units=2)
    populations = np.array([1_000, 10_000, 100_000, 1_000_000])
    for level in funnel.LEVELS:
        lower, upper = f.rate_limits(populations, level)
        assert (np.diff(upper) < 0).all() and (np.diff(lower) > 0).all()
        assert ((lower < 50) & (upper > 50)).all()
    low95, high95 = f.rate_limits(populations, "95%")
    low998, high998 = f.rate_limits(populations, "99.8%")
    assert ((low998 < low95) & (high998 > high95)).all()


def test_fit_takes_the_overall_rate_and_checks_its_input():
    f = fit([10, 30], [1_000, 3_000])
    assert f.rate == pytest.approx(0.01) and f.centre_per_1000 == pytest.approx(10.0)
    assert f.uses_poisson and f.tau2 == 0.0
    with pytest.raises(ValueError, match="at least two units"):
        fit([10], [1_000])
    with pytest.raises(ValueError, match="positive population"):
        fit([10, 5], [1_000, 0])
    with pytest.raises(ValueError, match="method"):
        fit([10, 30], [1_000, 3_000], method="guess")


def test_overdispersion_follows_spiegelhalter_worked_by_hand():
    counts = np.array([100, 400, 900, 1600, 2500])
    populations = np.array([10_000, 20_000, 30_000, 40_000, 50_000])
    f = fit(counts, populations, method="overdispersed")
    p = counts.sum() / populations.sum()
    z = 2 * (np.sqrt(counts) - np.sqrt(p * populations))
    low, high = np.percentile(z, [10, 90])
    phi = np.mean(np.clip(z, low, high) ** 2)
    w = 4 * populations
    tau2 = (5 * phi - 4) / (w.sum() - (w ** 2).sum() / w.sum())
    assert f.phi == pytest.approx(phi) and f.tau2 == pytest.approx(tau2) and tau2 > 0
    assert not f.uses_poisson
    lower, upper = f.rate_limits([25_000], "95%")
    half_width = 1.959964 * math.sqrt(1 / (4 * 25_000) + tau2)
    assert upper[0] == pytest.approx(1000 * (math.sqrt(p) + half_width) ** 2, rel=1e-6)
    assert lower[0] == pytest.approx(1000 * max(0.0, math.sqrt(p) - half_width) ** 2, rel=1e-6)
    # Allowing for the spread between units widens the limits.
    assert upper[0] > Funnel(f.rate, "poisson", f.phi, 0.0, 5).rate_limits([25_000], "95%")[1][0]


def test_without_overdispersion_the_adjusted_limits_are_the_poisson_ones():
    # Counts exactly at the average rate: no spread beyond chance, so tau^2 = 0.
    f = fit([50, 100, 150], [5_000, 10_000, 15_000], method="overdispersed")
    assert f.tau2 == 0.0 and f.uses_poisson
    assert f.rate_limits([8_000], "99.8%") == Funnel(f.rate, "poisson", f.phi, 0.0, 3).rate_limits([8_000], "99.8%")


def test_verdicts_at_the_edges_of_each_limit():
    f = Funnel(rate=0.01, method="poisson", phi=1.0, tau2=0.0, units=2)
    n = 10_000  # expected count 100
    (low95,), (high95,) = f.count_limits([n], "95%")
    (low998,), (high998,) = f.count_limits([n], "99.8%")
    cases = {
        high998 + 1e-6: "above 99.8%", high998: "above 95%",  # on the 99.8% limit is inside it
        high95 + 1e-6: "above 95%", high95: "within", 100.0: "within", low95: "within",
        low95 - 1e-6: "below 95%", low998: "below 95%", low998 - 1e-6: "below 99.8%", 0.0: "below 99.8%",
    }
    assert classify(list(cases), [n] * len(cases), f) == list(cases.values())


def test_funnel_table_keeps_the_querys_rate_and_adds_limits_and_verdicts():
    # the rates as the query's rate_per_1000 macro gives them: 1000 x count / population, to 2 places
    units = pd.DataFrame({"unit_name": ["A", "B", "C", "D"], "crime_count": [1000, 1010, 990, 1500],
                          "population": [100_000] * 4, "rate_per_1000": [10.0, 10.1, 9.9, 15.0]})
    table, f = funnel_table(units)
    assert list(table.rate_per_1000) == [10.0, 10.1, 9.9, 15.0]
    assert f.centre_per_1000 == pytest.approx(4500 / 400)
    assert list(table.verdict) == ["below 99.8%", "below 99.8%", "below 99.8%", "above 99.8%"]
    lower, upper = f.rate_limits([100_000], "99.8%")
    assert (table.lower_99_8 == lower[0]).all() and (table.upper_99_8 == upper[0]).all()


def test_units_without_a_population_or_with_missing_months_are_left_out_with_a_reason():
    units = pd.DataFrame({"unit_name": ["Whole", "No people", "Gappy"], "crime_count": [120, 50, 80],
                          "population": [10_000, None, 9_000], "months_with_data": [12, 12, 10],
                          "months_in_period": [12, 12, 12]})
    kept, left_out = funnel.comparable(units)
    assert list(kept.unit_name) == ["Whole"]
    assert dict(zip(left_out.unit_name, left_out.reason)) == {"No people": "no population",
                                                               "Gappy": "figures for 10 of 12 months"}


def test_expected_outside_by_chance():
    assert funnel.expected_outside(500, "99.8%") == pytest.approx(1.0)
    assert funnel.expected_outside(20, "95%") == pytest.approx(1.0)


# --- The figure -------------------------------------------------------------------------------

def chart_table(counts, populations, home=(0,), method="poisson"):
    units = pd.DataFrame({
        "unit_name": [f"Unit {i}" for i in range(len(counts))], "force_name": [f"Force {i}" for i in range(len(counts))],
        "is_home": [i in home for i in range(len(counts))], "crime_count": counts, "population": populations,
        # each unit's rate as the query's rate_per_1000 macro gives it
        "rate_per_1000": [round(1000 * c / n, 2) for c, n in zip(counts, populations)]})
    return funnel_table(units, method)


def draw(table, f, **kwargs):
    options = dict(crime_type="Burglary", period="12 months to January 2024", unit_word="forces",
                   home_name="Home Police", others_name="Other forces")
    return funnel_chart(table, f, **{**options, **kwargs})


def test_chart_has_the_points_the_average_and_both_pairs_of_limits_in_the_legend():
    table, f = chart_table([5_000, 5_100, 4_950, 6_500, 5_020], [1_000_000, 1_020_000, 990_000, 1_000_000, 1_010_000])
    fig = draw(table, f)
    by_name = {}
    for trace in fig.data:
        by_name.setdefault(trace.name, []).append(trace)
    assert set(by_name) == {f"Average of all: {f.centre_per_1000:.2f} per 1,000", LIMIT_NAMES["95%"],
                            LIMIT_NAMES["99.8%"], "Other forces", "Home Police"}
    (centre,) = by_name[f"Average of all: {f.centre_per_1000:.2f} per 1,000"]
    assert list(centre.y) == [pytest.approx(f.centre_per_1000)] * 2
    for level, colour in (("95%", charts.TURQUOISE), ("99.8%", charts.DARK_PINK)):
        upper, lower = by_name[LIMIT_NAMES[level]]
        assert [upper.showlegend, lower.showlegend] == [True, False]  # one legend entry per pair
        expected_lower, expected_upper = f.rate_limits(np.array(upper.x), level)
        assert np.allclose(upper.y, expected_upper) and np.allclose(lower.y, expected_lower)
        assert upper.line.color == lower.line.color == colour
    (home,) = by_name["Home Police"]
    assert home.marker.color == charts.ORANGE and home.marker.symbol == "diamond"
    assert list(home.x) == [1_000_000] and list(home.y) == [pytest.approx(5.0)]
    (others,) = by_name["Other forces"]
    assert others.marker.color == charts.DARK_BLUE and others.marker.symbol == "circle"
    # at the query's rate, to 2 places as the rate_per_1000 macro stores it
    assert list(others.y) == pytest.approx([round(5.1 / 1.02, 2), round(4.95 / 0.99, 2), 6.5, round(5.02 / 1.01, 2)])


def test_hover_gives_the_count_the_population_and_the_rate():
    table, f = chart_table([5_000, 6_500], [1_000_000, 1_000_000])
    home = next(t for t in draw(table, f).data if t.name == "Home Police")
    assert list(home.customdata[0][:4]) == ["Unit 0", "Force 0", "5,000", "1,000,000"]
    assert "Crimes: %{customdata[2]}" in home.hovertemplate and "Residents: %{customdata[3]}" in home.hovertemplate
    assert "Rate per 1,000 residents: %{y:.2f}" in home.hovertemplate


def test_the_home_force_and_the_units_outside_the_998_limits_are_labelled_by_name():
    table, f = chart_table([5_000, 5_050, 4_980, 5_020, 5_010, 4_990, 5_030, 4_970, 1_300, 700],
                           [1_000_000] * 8 + [200_000, 200_000])
    assert list(table.verdict) == ["within"] * 8 + ["above 99.8%", "below 99.8%"]
    labels = {a.text for a in draw(table, f).layout.annotations}
    outside = set(table[table.verdict.isin(["above 99.8%", "below 99.8%"]) & ~table.is_home].unit_name)
    assert outside == {"Unit 8", "Unit 9"}
    assert labels == {"<b>Unit 0</b>"} | outside
    within = set(table[table.verdict == "within"].unit_name) - {"Unit 0"}
    assert within and not within & labels


def test_only_the_most_extreme_outliers_are_labelled_when_there_are_many():
    rates = [5.0] + [5.0 + 0.2 * k * (-1) ** k for k in range(1, 13)]
    table, f = chart_table([round(r * 1000) for r in rates], [1_000_000] * len(rates))
    outliers = labelled_outliers(table, f)
    assert len(outliers) == MAX_OUTLIER_LABELS
    distance = (table.rate_per_1000 - f.centre_per_1000).abs()
    assert set(outliers) == set(distance.drop(index=0).sort_values().index[-MAX_OUTLIER_LABELS:])
    assert len(draw(table, f).layout.annotations) == MAX_OUTLIER_LABELS + 1


@pytest.mark.parametrize("home_count, phrase", [
    (5_000, "within what chance would give"), (5_400, "higher than chance would give"),
    (4_600, "lower than chance would give"), (5_200, "above average, but not clearly beyond chance"),
])
def test_the_title_states_the_finding_for_the_home_force(home_count, phrase):
    table, f = chart_table([home_count, 5_000, 5_000, 5_000, 5_000, 5_000], [1_000_000] * 6)
    fig = draw(table, f)
    assert fig.layout.title.text.replace("<br>", " ") == f"Home Police's burglary rate is {phrase} among 6 forces"
    assert fig.layout.title.subtitle.text == ("Burglary per 1,000 residents, 12 months to January 2024; "
                                              "limits from chance alone (Poisson)")


def test_a_long_title_is_broken_into_lines_that_fit_a_column_at_1280_px():
    # "Lancashire Constabulary's all crime rate is within what chance would give among 2 forces":
    # 89 characters, one line cut off at the right at 1280 px; at most 60 a line, it takes two
    table, f = chart_table([5_000, 5_000], [1_000_000] * 2)
    fig = funnel_chart(table, f, crime_type="All crime", period="12 months to January 2024", unit_word="forces",
                       home_name="Lancashire Constabulary", others_name="Other forces")
    assert fig.layout.title.text == ("Lancashire Constabulary's all crime rate is within what<br>"
                                     "chance would give among 2 forces")
    one_line = draw(*chart_table([500, 505, 495, 500], [100_000] * 4, home=(0, 1)))
    assert one_line.layout.title.text == "Home Police: all 2 areas within what chance would give"  # 54
    # the second line gets its own room above the plot, which keeps its height
    assert fig.layout.margin.t - one_line.layout.margin.t == fig.layout.height - one_line.layout.height > 0


def test_the_title_counts_the_home_forces_areas_outside_the_limits():
    table, f = chart_table([700, 500, 300, 500, 500, 500], [100_000] * 6, home=(0, 1, 2))
    assert funnel_title(table, f, "Burglary", "partnership areas", "Home Police") == \
        "Home Police: 1 of 3 areas above what chance would give, 1 below"
    table, f = chart_table([500, 505, 495, 500], [100_000] * 4, home=(0, 1))
    assert funnel_title(table, f, "Burglary", "partnership areas", "Home Police") == \
        "Home Police: all 2 areas within what chance would give"


def test_the_overdispersed_chart_says_so_in_its_subtitle_legend_and_title():
    table, f = chart_table([700, 520, 310, 480, 650, 390, 505, 460], [100_000] * 8, method="overdispersed")
    assert not f.uses_poisson
    fig = draw(table, f, unit_word="partnership areas")
    assert fig.layout.title.subtitle.text.endswith("limits allow for usual differences")
    assert "the usual spread" in fig.layout.title.text
    assert any("allowing for usual differences" in (t.name or "") for t in fig.data)


def test_with_only_a_few_units_every_point_is_labelled():
    table, f = chart_table([5_000, 5_050, 4_980, 5_020, 1_300, 700], [1_000_000] * 4 + [200_000, 200_000])
    labels = {a.text for a in draw(table, f).layout.annotations}
    assert labels == {"<b>Unit 0</b>"} | {f"Unit {i}" for i in range(1, 6)}


def test_chart_type_is_readable():
    table, f = chart_table([5_000, 6_500], [1_000_000, 1_000_000])
    fig = draw(table, f)
    assert fig.layout.font.size >= 16 and fig.layout.xaxis.tickfont.size >= 16
    assert all(a.font.size >= 15 for a in fig.layout.annotations)
    assert fig.layout.xaxis.title.text == "Residents" and fig.layout.yaxis.title.text == "Crimes per 1,000 residents"


def test_labels_keep_clear_of_each_other_and_stay_put_when_they_can():
    # Four points close together, and one far away.
    points = [(100.0, 50.0), (101.0, 50.5), (102.0, 49.5), (100.5, 50.2), (300.0, 10.0)]
    boxes = place_labels(points, [40.0] * 5, [True] * 5, offset=2.0, gap=3.0, x_range=(0, 400), y_range=(0, 100),
                         obstacles=[])
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.hits(b)
    assert boxes[0].y == 50.0 and boxes[4].y == 10.0  # free places keep their own height
    assert boxes[0].left == 102.0


def test_a_label_moves_to_the_other_side_rather_than_off_the_chart():
    (box,) = place_labels([(390.0, 50.0)], [40.0], [True], offset=2.0, gap=3.0, x_range=(0, 400),
                          y_range=(0, 100), obstacles=[])
    assert box.right == 388.0 and box.y == 50.0
    (box,) = place_labels([(100.0, 50.0)], [40.0], [True], offset=2.0, gap=3.0, x_range=(0, 400),
                          y_range=(0, 100), obstacles=[Box(95, 200, 50.0, 3.0)])
    assert box.y != 50.0 and not box.hits(Box(95, 200, 50.0, 3.0))
