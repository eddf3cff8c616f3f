"""The set-wise rating engine (scrutiny.rate.setwise) and the place ratings it fills
(scrutiny.rate.place_ratings): the same ratings as the per-series engine (rating_window + analyse
+ rag_for), exactly on the demo, on hand-made series with their figures worked out by hand, and
against `python -m scrutiny spc` on a sample of stored place ratings."""
import json
import math
import random

import numpy as np
import pandas as pd
import pytest

from scrutiny.core.crime_types import STREET_MEASURES
from scrutiny.core.months import Month, months_of
from scrutiny.core.vocab import INCOMPLETE_MONTH
from scrutiny.rate import incomplete, setwise
from scrutiny.rate.rag import rag_for
from scrutiny.rate.spc import StepChange
from scrutiny.rate.window import rating_window
from scrutiny.store import queries
from tests.helpers import scrutiny_process


def rate(values, *, months=None, good=-1, target=None, steps=()):
    """The set-wise rating of the latest month of one series (Months, January 2020 on by default),
    as a dict."""
    months = months or [Month(2020, 1).plus(i) for i in range(len(values))]
    data = setwise.Series(np.zeros(len(values), dtype=np.int64), setwise.month_number(months),
                          np.array(values, dtype=float), np.array([good]),
                          None if target is None else np.array([float(target)]),
                          (np.zeros(len(steps), dtype=np.int64), setwise.month_number(list(steps))) if steps else None)
    return setwise.rate_latest(data).iloc[-1].to_dict()


def assert_rating(got, rag, variation, decided_by, way, points, mean=None, lower=None, upper=None):
    assert (got["rag"], got["variation"], got["decided_by"], got["way"], got["points"]) == (
        rag, variation, decided_by, way, points)
    if mean is not None:
        assert got["mean"] == pytest.approx(mean, rel=1e-12)
        assert got["lower_limit"] == pytest.approx(lower, rel=1e-12)
        assert got["upper_limit"] == pytest.approx(upper, rel=1e-12)


# --- hand-made series: each rule fires, and a near miss does not ---

def test_a_point_beyond_the_limits_after_screening_is_astronomical():
    # moving ranges: nine of 2, two of 30 (10 -> 40 -> 10) and 10 (12 -> 22): mean 88 / 12, screened at
    # 3.267 x that = 23.96, so the 30s go and the mean is 28 / 10; mean 182 / 13 = 14; upper 14 + 2.66 x 2.8
    # = 21.448 < 22. Without screening the upper limit would be 14 + 2.66 x 7.33 = 33.5: no signal.
    values = [10, 12, 10, 12, 10, 40, 10, 12, 10, 12, 10, 12, 22]
    assert_rating(rate(values), "red", "concern", "astronomical", 1, 13, 14.0, 14 - 2.66 * 2.8, 14 + 2.66 * 2.8)
    # the same series rated for a measure where higher is better: an improvement
    assert_rating(rate(values, good=1), "green", "improvement", "astronomical", 1, 13)


def test_seven_months_below_the_mean_are_a_shift_and_six_are_not():
    # mean 268 / 14 = 19.14; ranges six of 2, one of 3, six of 1: 21 / 13
    values = [20, 22, 20, 22, 20, 22, 20, 17, 18, 17, 18, 17, 18, 17]
    assert_rating(rate(values), "green", "improvement", "shift", -1, 14,
                  268 / 14, 268 / 14 - 2.66 * 21 / 13, 268 / 14 + 2.66 * 21 / 13)
    # six below: mean 273 / 14 = 19.5, ranges seven of 2, one of 5, five of 1: 24 / 13
    six = [20, 22, 20, 22, 20, 22, 20, 22, 17, 18, 17, 18, 17, 18]
    assert_rating(rate(six), "amber", "common_cause", None, -1, 14,
                  273 / 14, 273 / 14 - 2.66 * 24 / 13, 273 / 14 + 2.66 * 24 / 13)


def test_a_missing_month_breaks_a_shift_and_no_moving_range_spans_it():
    values = [20, 22, 20, 22, 20, 22, 20, 17, 18, 17, 18, 17, 18, 17]
    months = [Month(2020, 1).plus(i + (i >= 10)) for i in range(14)]  # no November 2020: 3 + 4 below
    # ranges: six of 2, one of 3, and five of 1 (the sixth would span the gap): 20 / 12
    assert_rating(rate(values, months=months), "amber", "common_cause", None, -1, 14,
                  268 / 14, 268 / 14 - 2.66 * 20 / 12, 268 / 14 + 2.66 * 20 / 12)


def test_seven_rising_months_are_a_trend_and_six_are_not():
    # 54 -> 44 falls, then six rises to 56; the last seven straddle the mean (766 / 15 = 51.07)
    values = [50, 54, 50, 54, 50, 54, 50, 54, 44, 46, 48, 50, 52, 54, 56]
    # ranges: seven of 4, one of 10, six of 2: 50 / 14
    assert_rating(rate(values), "red", "concern", "trend", 1, 15,
                  766 / 15, 766 / 15 - 2.66 * 50 / 14, 766 / 15 + 2.66 * 50 / 14)
    # 54 -> 47 -> 46 fall: five rises, a trend of six months
    six = [50, 54, 50, 54, 50, 54, 50, 54, 47, 46, 48, 50, 52, 54, 56]
    assert_rating(rate(six), "amber", "common_cause", None, 1, 15)


def test_two_of_the_last_three_beyond_two_sigma_with_the_latest_one_of_them():
    # mean 177 / 15 = 11.8, ranges eleven of 2, 4, 3, 3: 32 / 14; 2 sigma 11.8 + 1.773 x 2.286 = 15.85 < 16,
    # 3 sigma 17.88 > 16; the 12 before the last three is above the mean too, the 10 before it is not
    values = [10, 12] * 6 + [16, 13, 16]
    assert_rating(rate(values), "red", "concern", "two_in_three", 1, 15,
                  177 / 15, 177 / 15 - 2.66 * 32 / 14, 177 / 15 + 2.66 * 32 / 14)
    # the latest (15) is not beyond its 2-sigma line (11.73 + 1.773 x 31 / 14 = 15.66): no signal on it
    assert_rating(rate([10, 12] * 6 + [16, 13, 15]), "amber", "common_cause", None, 1, 15)


def test_a_step_change_starts_the_limits_again_once_thirteen_months_follow():
    high, low = [100, 104] * 6 + [100], [50, 54] * 6 + [50]  # 13 months each
    # from the step change: mean 674 / 13, twelve ranges of 4; without it the last 13 would be a shift
    assert_rating(rate(high + low, steps=[Month(2021, 2)]), "amber", "common_cause", None, -1, 26,
                  674 / 13, 674 / 13 - 2.66 * 4, 674 / 13 + 2.66 * 4)
    # recorded a month later, only 12 months follow it: not in effect, the whole window is one phase
    # (mean (1324 + 674) / 26 = 76.8; 24 ranges of 4 and one of 50, screened: limits 76.8 -/+ 10.64), and 50 is
    # below its lower limit (as well as the 13th month below the mean)
    assert_rating(rate(high + low, steps=[Month(2021, 3)]), "green", "improvement", "astronomical", -1, 26,
                  1998 / 26, 1998 / 26 - 2.66 * 4, 1998 / 26 + 2.66 * 4)
    # at a missing month the phase starts at the next month there is (13 months from March 2021)
    months = [Month(2020, 1).plus(i + (i >= 13)) for i in range(26)]
    assert_rating(rate(high + low, months=months, steps=[Month(2021, 2)]), "amber", "common_cause", None, -1, 26,
                  674 / 13, 674 / 13 - 2.66 * 4, 674 / 13 + 2.66 * 4)


def test_the_window_is_thirty_six_calendar_months_and_twelve_points_are_not_rated():
    values = [10, 12] * 20  # 40 months
    got = rate(values)
    assert (got["points"], got["mean"]) == (36, 11.0)
    gappy = [Month(2018, 1)] + [Month(2021, 1).plus(i) for i in range(12)]  # 2018 is outside the window
    assert_rating(rate([10] + [10, 12] * 6, months=gappy), "not rated", None, None, None, 12)


def test_a_value_on_a_line_up_to_rounding_is_on_it_not_beyond():
    flat = rate([5.0] * 13)  # every point on the mean and on both limits
    assert_rating(flat, "amber", "common_cause", None, 0, 13, 5.0, 5.0, 5.0)
    # v solves v = (132 + v) / 13 + 2.66 x (22 + v - 12) / 12: the latest exactly on its upper limit
    v = (12 * 132 + 13 * 2.66 * 10) / (156 - 12 - 13 * 2.66)
    assert_rating(rate([10, 12] * 6 + [v]), "amber", "common_cause", None, 1, 13)
    assert_rating(rate([10, 12] * 6 + [v * 1.001]), "red", "concern", "astronomical", 1, 13)


def test_concern_wins_and_decided_by_is_the_first_rule_pointing_its_way():
    # A collapse from about 102 to 40, then six rises: below the lower limit, below the mean for seven
    # months and two in three below 2 sigma (improvements, lower being better), and a rising trend (a
    # concern). Mean 1525 / 19; ranges eleven of 4, one of 64 (screened: over 3.267 x 114 / 18 = 20.7),
    # six of 1: 50 / 17. Concern wins, decided by the trend, the first (only) rule pointing up.
    values = [100, 104] * 6 + [40, 41, 42, 43, 44, 45, 46]
    assert_rating(rate(values), "red", "concern", "trend", 1, 19,
                  1525 / 19, 1525 / 19 - 2.66 * 50 / 17, 1525 / 19 + 2.66 * 50 / 17)
    # A jump to 30, then six falls to 24: astronomical, two in three and a shift above (concerns) and a
    # falling trend (an improvement). Decided by the first rule in RULE_ORDER pointing up: astronomical.
    # Mean 321 / 19; ranges eleven of 2, 18 (screened: over 3.267 x 46 / 18 = 8.35), six of 1: 28 / 17.
    values = [10, 12] * 6 + [30, 29, 28, 27, 26, 25, 24]
    assert_rating(rate(values), "red", "concern", "astronomical", 1, 19,
                  321 / 19, 321 / 19 - 2.66 * 28 / 17, 321 / 19 + 2.66 * 28 / 17)


def test_a_target_gives_assurance_and_the_rag():
    values = [10, 12] * 7  # mean 11, limits 11 -/+ 5.32
    assert rate(values, target=20)["rag"] == "green"   # the whole range below the target: passing
    assert rate(values, target=5)["rag"] == "red"      # the whole range above it: failing
    assert rate(values, target=11)["rag"] == "amber"   # inside: hit and miss
    assert rate(values, target=11 + 2.66 * 2)["rag"] == "amber"  # on a limit: not clear of it


# --- the demo: exactly the per-series engine ---

def demo_series(con) -> pd.DataFrame:
    """Every measure's series of the demo (its areas' left-out months removed, as the ratings do),
    with improvement and target: measure_id, area_id, month (a DATE), value, improvement, target."""
    series = con.execute("""
        select s.measure_id, s.area_id, a.area_level, s.month, s.value, m.improvement, m.target
        from measure_series s join areas a using (area_id) join measures m using (measure_id)
        order by s.measure_id, s.area_id, s.month
    """).df()
    left_out = incomplete.incomplete(incomplete.home_qualities(queries.run(con, "common/month_qualities")))
    is_left_out = pd.Series([month in left_out for month in months_of(series.month)], index=series.index)
    return series[~(is_left_out & (series.area_level != "force"))].reset_index(drop=True)


def test_the_set_wise_engine_agrees_exactly_with_the_per_series_engine_on_the_demo(demo_con):
    series = demo_series(demo_con)
    steps = demo_con.execute("select measure_id, month from measure_step_changes").df()
    series["code"] = series.groupby(["measure_id", "area_id"], sort=False).ngroup()
    keys = series.drop_duplicates("code")
    step_rows = keys[["code", "measure_id"]].merge(steps)
    assert len(step_rows) and keys.target.notna().any()  # the demo has both: they are tested here
    got = setwise.rate_latest(setwise.Series(
        series.code.to_numpy(), setwise.month_number(series.month), series.value.to_numpy(float),
        np.where(keys.improvement == "higher", 1, -1), keys.target.to_numpy(float),
        (step_rows.code.to_numpy(), setwise.month_number(step_rows.month))))

    compared = 0
    for (measure_id, area_id), one in series.groupby(["measure_id", "area_id"], sort=False):
        months, values = months_of(one.month), list(one.value.astype(float))
        target = None if pd.isna(one.target.iloc[0]) else float(one.target.iloc[0])
        measure_steps = tuple(StepChange(m) for m in steps[steps.measure_id == measure_id].month)
        is_count = all(float(v).is_integer() for v in values)
        for row, month in zip(one.index, months):
            result = rating_window(months, values, one.improvement.iloc[0], up_to=month, target=target,
                                   step_changes=measure_steps)
            latest, mine = result.points[-1], got.loc[row]
            rated = result.variation is not None
            expected = (rag_for(result.variation, result.assurance)[0], result.variation, result.assurance,
                        result.decided_by, result.pattern.way if rated else None, len(result.points))
            assert (mine.rag, none(mine.variation), none(mine.assurance), none(mine.decided_by),
                    none(mine.way), mine.points) == expected, (measure_id, area_id, month)
            for line in ("mean", "lower_limit", "upper_limit"):
                theirs, ours = getattr(latest, line), mine[line]
                if theirs is None:
                    assert math.isnan(ours)
                elif is_count:
                    assert ours == theirs, (measure_id, area_id, month, line)  # bit for bit
                else:
                    assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-12), (measure_id, area_id, month, line)
            compared += 1
    assert compared == len(series) > 3000


def none(value):
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


# --- the place ratings stored ---

def test_every_force_and_partnership_is_rated_for_every_street_measure_and_month(demo_con):
    stored = demo_con.execute("""
        select level, count(distinct unit_id) as units, count(distinct measure_id) as measures,
               count(distinct month) as months, count(*) as ratings
        from place_ratings group by level order by level
    """).fetchall()
    units = demo_con.execute("select count(*) from partnership_units").fetchone()[0]
    csp_units = queries.run(demo_con, "compare/csp_rates", crime_type="All crime", first_month="2023-01-01",
                            last_month="2023-12-01")
    # the home force's 6 units of whole CSPs (Leicester from three NPAs, Charnwood, Harborough with
    # Oadby and Wigston, Hinckley and Bosworth with Blaby, Melton with Rutland, North West
    # Leicestershire) and the peers' 6 + 5 + 8 + 4 + 3 CSPs
    assert units == len(csp_units) == 6 + 6 + 5 + 8 + 4 + 3
    # the demo's 61 months for every force: every unit, measure and month is a row (zeros included)
    assert stored == [("csp", units, len(STREET_MEASURES), 61, units * len(STREET_MEASURES) * 61),
                      ("force", 6, len(STREET_MEASURES), 61, 6 * len(STREET_MEASURES) * 61)]
    assert set(demo_con.execute("select distinct unit_id from place_ratings where level = 'csp'").df().unit_id) \
        == set(csp_units.unit_id)


def test_the_home_forces_all_crime_place_rating_is_its_plan_rating_every_month(demo_con):
    assert demo_con.execute("select target from measures where measure_id = 'all_crime'").fetchone() == (None,)
    plan = demo_con.execute("""
        select r.month, r.rag, r.variation, r.mean, r.lower_limit, r.upper_limit, r.decided_by,
               r.evidence ->> 'rule' as rule, (r.evidence ->> 'points')::integer as points
        from ratings r join areas a using (area_id)
        where r.measure_id = 'all_crime' and a.area_level = 'force' order by r.month
    """).df()
    place = demo_con.execute("""
        select p.month, p.rag, p.variation, p.mean, p.lower_limit, p.upper_limit, p.decided_by, p.points
        from place_ratings p join forces f using (force_id)
        where f.is_home and p.level = 'force' and p.measure_id = 'all_crime' order by p.month
    """).df()
    assert len(plan) == len(place) == 61
    assert list(plan.month) == list(place.month)
    assert list(plan.rag) == list(place.rag)
    assert [none(v) for v in plan.variation] == [none(v) for v in place.variation]
    assert [none(v) for v in plan["rule"]] == [none(v) for v in place.decided_by]
    assert list(plan.points) == list(place.points)
    for line in ("mean", "lower_limit", "upper_limit"):
        assert plan[line].equals(place[line])  # counts: bit for bit, NaN where neither has limits
    assert set(place.rag) >= {"red", "amber"}  # the months are not all alike


def test_a_peer_force_is_judged_over_the_same_months_as_the_home_force_after_its_step_change(demo_con):
    # The plan records a step change for burglary in October 2021 (data/demo/plan.yaml). In January
    # 2024 the window is February 2021 to January 2024, and the latest phase starts in October 2021
    # (28 months): for the home force and for a peer alike, the usual level is the mean of those 28.
    for force_id in ("leicestershire", "peer-a"):
        counts = [c for (c,) in demo_con.execute("""
            select t.crime_count from area_month_totals t join areas a using (area_id)
            where a.force_id = ? and a.area_level = 'force' and t.crime_type = 'Burglary'
              and t.month between date '2021-10-01' and date '2024-01-01' order by t.month
        """, [force_id]).fetchall()]
        (mean, points) = demo_con.execute("""
            select p.mean, p.points from place_ratings p
            where p.force_id = ? and p.level = 'force' and p.measure_id = 'burglary' and p.month = date '2024-01-01'
        """, [force_id]).fetchone()
        assert len(counts) == 28 and points == 36
        assert mean == sum(counts) / 28, force_id


def unit_series(con, unit_id: str, measure_id: str) -> pd.DataFrame:
    """A place's series worked out here from area_month_totals: month ('YYYY-MM'), value, every month
    its force has figures for."""
    crime_types = next(types for m, _, types in STREET_MEASURES if m == measure_id)
    return con.execute("""
        with unit_areas as (
            select area_id from partnership_unit_areas where unit_id = $unit
            union select area_id from areas where area_id = $unit and area_level = 'force'
        ),
        force_months as (
            select distinct t.month from area_month_totals t join areas a using (area_id)
            where a.area_level = 'force' and a.force_id = (select any_value(force_id) from place_ratings where unit_id = $unit)
        )
        select strftime(f.month, '%Y-%m') as month,
               coalesce((select sum(t.crime_count) from area_month_totals t
                         where t.month = f.month and t.area_id in (select area_id from unit_areas)
                           and list_contains($types, t.crime_type)), 0)::double as value
        from force_months f order by f.month
    """, {"unit": unit_id, "types": list(crime_types)}).df()


def sample_of_place_ratings(con, per_rag: int, seed: int) -> pd.DataFrame:
    """A random sample of the stored place ratings of months not left out, `per_rag` of each rag
    (red, amber, green, not rated), with is_home."""
    stored = con.execute("""
        select p.*, strftime(p.month, '%Y-%m') as month_key, f.is_home from place_ratings p join forces f using (force_id)
        where p.decided_by is distinct from 'incomplete_month'
        order by p.unit_id, p.measure_id, p.month
    """).df()
    chosen = random.Random(seed)
    return pd.concat([stored[stored.rag == rag].iloc[sorted(chosen.sample(range((stored.rag == rag).sum()), per_rag))]
                      for rag in ("red", "amber", "green", "not rated")])


def check_against_spc(con, rows: pd.DataFrame, folder, cli, left_out: dict[str, set[str]] = {},
                      processes: int = 3) -> None:
    """Each place rating of `rows` is what `python -m scrutiny spc` says of the same window, written
    to a CSV: its 36 calendar months, less the force's months left out for a partnership, with the
    plan's step changes of the same crime types for every place (home and peers alike). The first `processes` run in a
    real process, the rest in this one."""
    steps = con.execute("select measure_id, strftime(month, '%Y-%m') as month from measure_step_changes").df()
    for number, row in enumerate(rows.itertuples()):
        series = unit_series(con, row.unit_id, row.measure_id)
        first = Month.of(row.month_key).plus(-35).key
        window = series[(series.month >= first) & (series.month <= row.month_key)]
        if row.level == "csp":
            window = window[~window.month.isin(left_out.get(row.force_id, set()))]
        path = folder / f"series-{number}.csv"
        window.rename(columns={"month": "period"}).to_csv(path, index=False)
        same = {"violence_and_sexual_offences": "violence_sexual_offences"}.get(row.measure_id, row.measure_id)
        args = ["spc", path, "--improvement", "lower"]
        for month in steps[steps.measure_id == same].month:
            args += ["--step-change", month]
        if number < processes:
            finished = scrutiny_process(*args)
            code, out = finished.returncode, finished.stdout
        else:
            result = cli(*args)
            code, out = result.returncode, result.stdout
        assert code == 0
        analysis = json.loads(out[:out.rindex("}") + 1])
        latest = analysis["points"][-1]
        where = (row.unit_id, row.measure_id, row.month_key)
        assert latest["period"] == row.month_key and row.value == latest["value"], where
        assert row.points == len(analysis["points"]), where
        assert row.rag == rag_for(analysis["variation"], None)[0], where  # the rag from its variation
        assert none(row.variation) == analysis["variation"], where
        if analysis["variation"] in ("improvement", "concern"):
            assert row.decided_by in latest["rules"], where
        for ours, theirs in ((row.mean, latest["mean"]), (row.lower_limit, latest["lower_limit"]),
                             (row.upper_limit, latest["upper_limit"])):
            if theirs is None:  # a single month: no moving range, no limits
                assert math.isnan(ours), where
            else:
                assert ours == pytest.approx(theirs, rel=1e-12), where


@pytest.mark.slow
def test_a_sample_of_the_demos_place_ratings_agrees_with_the_spc_command(demo_con, tmp_path, cli):
    rows = sample_of_place_ratings(demo_con, 5, seed=17)
    assert rows.is_home.any() and (~rows.is_home).any() and (rows.level == "force").any()
    check_against_spc(demo_con, rows, tmp_path, cli)


# The months incomplete for the areas, as scrutiny.rate.incomplete's notes give them from the real files
REAL_INCOMPLETE = {"leicestershire": {"2019-12", "2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2022-06"},
                   "lancashire": {"2020-02", "2020-03", "2020-07", "2021-05", "2021-06", "2021-07", "2021-08",
                                  "2021-09", "2021-10"}}


@pytest.mark.slow
def test_real_forces_leave_their_incomplete_months_out_of_their_partnerships(real_both_db):
    import duckdb

    con = duckdb.connect(str(real_both_db), read_only=True)
    left_out = con.execute("""
        select force_id, level, strftime(month, '%Y-%m') as month, count(distinct unit_id) as units,
               count(distinct measure_id) as measures
        from place_ratings where decided_by = 'incomplete_month' group by all order by all
    """).df()
    con.close()
    assert set(left_out.level) == {"csp"}  # a force's own figures count every record
    for force_id, months in REAL_INCOMPLETE.items():
        of_force = left_out[left_out.force_id == force_id]
        assert set(of_force.month) == months
        # every unit (Leicestershire's 6 of whole CSPs, Lancashire's 14 CSPs) and measure
        assert set(of_force.units) == {6 if force_id == "leicestershire" else 14}
        assert set(of_force.measures) == {len(STREET_MEASURES)}


@pytest.mark.slow
def test_a_sample_of_real_place_ratings_agrees_with_the_spc_command(real_both_db, tmp_path, cli):
    import duckdb

    con = duckdb.connect(str(real_both_db), read_only=True)
    try:
        rows = sample_of_place_ratings(con, 3, seed=1)
        # some windows reach over a force's months left out of its partnerships
        assert any(row.level == "csp" and Month.of(row.month_key).plus(-35).key <= max(REAL_INCOMPLETE[row.force_id])
                   and row.points >= 13 for row in rows.itertuples())
        check_against_spc(con, rows, tmp_path, cli, REAL_INCOMPLETE, processes=1)
    finally:
        con.close()


def test_a_forces_incomplete_months_are_left_out_of_its_partnerships_only():
    import duckdb

    from scrutiny.rate.place_ratings import compute_place_ratings
    from scrutiny.store import db

    con = duckdb.connect()
    db.run_schema_file(con, "01_tables.sql")
    db.run_upgrade_files(con)
    con.execute("insert into forces values ('north', 'North Police', false, false)")
    con.execute("insert into crime_types values ('Burglary', true, 1)")
    con.execute("""insert into areas (area_id, area_name, area_level, parent_id, force_id, sort_order)
                   values ('north', 'North', 'force', null, 'north', 0)""")
    con.execute("""insert into areas (area_id, area_name, area_level, parent_id, force_id, sort_order)
                   values ('north-a', 'North A', 'csp', 'north', 'north', 1)""")
    # 14 months: 100 burglaries a month in the CSP; in March 2020 20 more for the force in no area
    # (20 / 120 = 16.7% not placed, over 5% and the usual 0%): incomplete for the CSP only
    months = pd.date_range("2019-06-01", periods=14, freq="MS")
    con.register("counts", pd.DataFrame({"area_id": "north-a", "crime_type": "Burglary", "month": months,
                                         "crime_count": 100}))
    con.execute("insert into monthly_counts select * from counts")
    con.execute("insert into unplaced_counts (force_id, crime_type, month, crime_count, reason) "
                "values ('north', 'Burglary', '2020-03-01', 20, 'no location')")
    db.run_schema_file(con, "02_rollups.sql")
    db.run_schema_file(con, "03_plan.sql")
    got = compute_place_ratings(con)
    burglary = got[got.measure_id == "burglary"].set_index(["unit_id", "month"])
    march = pd.Timestamp("2020-03-01")
    assert burglary.loc[("north-a", march), "decided_by"] == INCOMPLETE_MONTH
    assert burglary.loc[("north-a", march), "rag"] == "not rated"
    assert burglary.loc[("north-a", march), "points"] == 0
    assert burglary.loc[("north", march), "decided_by"] != INCOMPLETE_MONTH
    # the latest month's window leaves March out: 13 of the 14 months
    assert burglary.loc[("north-a", months[-1]), "points"] == 13
    assert burglary.loc[("north", months[-1]), "points"] == 14
