"""Months the files leave incomplete for the areas (scrutiny.rate.incomplete): over 5% of a month's
crimes in no area, and over twice the force's usual (median) share once 12 months are loaded. The areas' changes on a year before that are for, or compare with, such a month
are not tested; the warning names the month compared with; the clearest-change lists leave such
areas out and say why, or say there is nothing to rank; an area's rating leaves the month out of
its window (the moving range does not bridge it) and its explanation names it.

tests/fixtures/street-small (see test_every_crime_counted.py): February 2023 has 10 crimes, 2 not
placed (20.0%); February 2024 has 8, 3 not placed (37.5%). Both months are incomplete.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scrutiny.core.months import Month
from scrutiny.load.police_uk import import_police_uk
from scrutiny.present import meeting
from scrutiny.rate import incomplete
from scrutiny.rate.incomplete import MonthQuality
from scrutiny.rate.ratings import rate_series

SMALL = Path(__file__).parent / "fixtures" / "street-small"
FEB_2023, FEB_2024 = dt.date(2023, 2, 1), dt.date(2024, 2, 1)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("street-small") / "small.duckdb"
    import_police_uk(sorted(SMALL.glob("*/*-street.csv")), path)
    with duckdb.connect(str(path), read_only=True) as con:
        yield meeting.runner(con)


def test_the_warning_names_the_month_compared_with_when_it_is_incomplete(small):
    assert meeting.month_warnings(small, FEB_2024) == [
        "37.5% of February 2024\u2019s crimes (3 of 8) are not placed in an area. The force\u2019s figures count "
        "them; the areas\u2019 figures cannot, so they add up to less, and no area\u2019s change on a year "
        "before is called notable.",
        "February 2023, the month compared with, had 20.0% of its crimes (2 of 10) not placed in an area, so no "
        "area\u2019s change on it is called notable.",
    ]
    # February 2022 has no figures at all: only the month itself is warned about
    assert [w[:20] for w in meeting.month_warnings(small, FEB_2023)] == ["20.0% of February 20"]


def test_an_areas_change_on_an_incomplete_month_is_not_tested_and_says_why(small):
    table = meeting.areas(small, FEB_2024).set_index("area_name")
    charnwood = table.loc["Charnwood"]
    # 2 against 5 would have p = 0.453125; it has no test at all here
    assert (charnwood.crime_count, charnwood.count_previous_year, charnwood.change_pct) == (2, 5, -60.0)
    assert charnwood.notable is None and charnwood.p_value != charnwood.p_value
    assert charnwood.not_tested == ("February 2024 had 37.5% of its crimes not placed in an area; "
                                    "February 2023 had 20.0% of its crimes not placed in an area")
    assert table.notable.isna().all()
    # the force's own line counts every record and keeps its test (8 against 10, p = 0.8145...)
    force = meeting.areas_and_force(small, FEB_2024).set_index("line").loc["force"]
    assert force.notable is False and force.p_value == pytest.approx(213524 / 262144)


def test_the_clearest_change_list_leaves_out_untested_areas_or_says_there_is_nothing_to_rank(small):
    found = meeting.clearest_area_changes(small, FEB_2024)
    assert found.rows.empty
    assert found.note == ("No area is listed: their changes on a year before are not tested, because February "
                          "2024 had 37.5% of its crimes not placed in an area; February 2023 had 20.0% of its "
                          "crimes not placed in an area, so the areas\u2019 counts are incomplete.")
    first = meeting.clearest_area_changes(small, FEB_2023)
    assert first.rows.empty
    assert first.note == "There are no figures for February 2022, so there is no change on a year before to rank."


def incomplete_of(per_thousand: list[int]) -> list[str]:
    """The incomplete months among months from January 2021, each with 1,000 crimes of which the
    given number are not placed in an area."""
    frame = pd.DataFrame({"month": [Month(2021, 1).plus(i) for i in range(len(per_thousand))],
                          "force_name": "Lancashire Constabulary", "records": 1000,
                          "placed": [1000 - n for n in per_thousand], "not_placed": per_thousand})
    return [m.key for m in incomplete.incomplete(incomplete.qualities(frame))]


def test_a_month_is_incomplete_only_when_it_stands_out_from_the_forces_usual_share():
    # 13 months. Sorted: 40 40 40 50 60 60 60 70 70 70 119 125 200 per 1,000: the median (7th) is
    # 6.0%, twice it 12.0%. Over 5% alone would take 10 of them; against the usual share only
    # 12.5% (December) and 20.0% (January 2022) are incomplete, not 11.9% (November).
    assert incomplete_of([60, 60, 60, 70, 70, 70, 40, 40, 40, 50, 119, 125, 200]) == ["2021-12", "2022-01"]


def test_a_force_with_a_low_usual_share_keeps_the_5_percent_floor():
    # 12 months at 1.0% and one each at 5.0% and 5.1%: median 1.0%, twice it 2.0%; the 5% floor
    # decides, so 5.1% (February 2022) is incomplete and 5.0% (January 2022) is not.
    assert incomplete_of([10] * 12 + [50, 51]) == ["2022-02"]


def test_with_fewer_than_12_months_the_5_percent_floor_alone_decides():
    # 11 months, median 6.0%: too few for a usual share, so every month over 5% is incomplete.
    assert incomplete_of([60] * 10 + [40]) == [Month(2021, 1).plus(i).key for i in range(10)]


def test_the_rule_is_stated_with_the_engines_constants():
    assert "more than 5% of its crimes are in no area and that share is more than twice the force" in \
        incomplete.rule_words()
    assert "once there are 12)" in incomplete.rule_words()


MEASURE = {"measure_id": "all_crime", "measure_name": "All crime", "unit": "count", "improvement": "lower",
           "target": None}
# 20 months, January 2021 to August 2022: 10, 12, 10, 12, ... with June 2021 (the sixth, else 12) at
# 100 in a month when 10 of the force's 100 crimes had no area.
MONTHS = [Month(2021, 1).plus(i) for i in range(20)]
VALUES = [100.0 if i == 5 else (10.0 if i % 2 == 0 else 12.0) for i in range(20)]
JUNE_2021 = {Month(2021, 6): MonthQuality("Leicestershire Police", Month(2021, 6), 100, 90, 10)}


def test_an_areas_rating_leaves_the_incomplete_month_out_of_its_window_and_names_it():
    ratings = {r["month"]: r for r in rate_series(MEASURE, "Charnwood", "charnwood", MONTHS, VALUES,
                                                  left_out=JUNE_2021)}
    august = ratings[Month(2022, 8)]
    assert json.loads(august["evidence"])["points"] == 19
    # By hand, June left out: mean (10 x 10 + 9 x 12) / 19 = 208 / 19; moving ranges only between
    # consecutive months, so not May to July: 17 ranges, all 2, mean 2 (bridged, May 10 to July 10
    # would add a 0 and make it 34 / 18). Limits 208/19 -/+ 2.66 x 2.
    assert august["mean"] == pytest.approx(208 / 19)
    assert (august["lower_limit"], august["upper_limit"]) == (pytest.approx(208 / 19 - 5.32), pytest.approx(208 / 19 + 5.32))
    assert (august["rag"], august["window_first"]) == ("amber", Month(2021, 1))
    assert "June 2021 is left out: 10.0% of the force\u2019s crimes that month have no area." in august["explanation"]
    # June 2022 compares with June 2021: no year-on-year figure or test, and the sentence says why
    june_2022 = ratings[Month(2022, 6)]
    assert (june_2022["value_previous_year"], june_2022["p_value"]) == (None, None)
    assert ("That is" not in june_2022["explanation"] and "June 2021, a year before, is left out: 10.0% of the "
            "force\u2019s crimes that month have no area." in june_2022["explanation"])
    # the month itself is not rated, and says why
    june_2021 = ratings[Month(2021, 6)]
    assert (june_2021["rag"], june_2021["decided_by"]) == ("not rated", "incomplete_month")
    assert june_2021["explanation"] == ("All crime in Charnwood was 100 in June 2021. Not rated: 10.0% of the "
                                        "force\u2019s crimes in June 2021 have no area, so the areas\u2019 counts "
                                        "that month are incomplete.")


def test_the_force_keeps_the_month_in_its_window():
    ratings = {r["month"]: r for r in rate_series(MEASURE, "Leicestershire", "leicestershire", MONTHS, VALUES)}
    august = ratings[Month(2022, 8)]
    # June's 100 counts: mean (100 + 10 x 10 + 9 x 12) / 20 = 15.4
    assert json.loads(august["evidence"])["points"] == 20 and august["mean"] == pytest.approx(15.4)
    assert "left out" not in august["explanation"]


@pytest.mark.real_data
def test_harborough_and_wigston_in_march_2021_is_not_called_notable(llr_db):
    with duckdb.connect(str(llr_db), read_only=True) as con:
        run = meeting.runner(con)
        march = dt.date(2021, 3, 1)
        table = meeting.areas(run, march).set_index("area_name")
        warnings = meeting.month_warnings(run, march)
        clearest = meeting.clearest_area_changes(run, march)
    row = table.loc["Harborough and Wigston"]
    # the cold review's figures: 646 against 9; March 2020 had 1,168 of 7,083 crimes in no area
    assert (row.crime_count, row.count_previous_year, row.notable) == (646, 9, None)
    assert warnings == ["March 2020, the month compared with, had 16.5% of its crimes (1,168 of 7,083) not placed "
                        "in an area, so no area\u2019s change on it is called notable."]
    assert "Harborough and Wigston" not in set(clearest.rows.area_name)
    assert clearest.note.startswith("No area is listed") and "March 2020 had 16.5%" in clearest.note


def test_the_chart_beside_an_areas_rating_leaves_out_the_same_months_as_the_rating(llr_db):
    """The Plan page's chart (meeting.measure_evidence, as the page and the pack draw it) and the
    stored rating agree: the same months, the same average and limits (Harborough and Wigston's
    All crime in October 2022, whose window would otherwise hold March 2020's 9 crimes)."""
    october = dt.date(2022, 10, 1)
    with duckdb.connect(str(llr_db), read_only=True) as con:
        run = meeting.runner(con)
        evidence = meeting.measure_evidence(run, "all_crime", "harborough-wigston", october)
        (mean, lower, upper, first) = con.execute("""
            select mean, lower_limit, upper_limit, window_first from ratings
            where measure_id = 'all_crime' and area_id = 'harborough-wigston' and month = ?""", [october]).fetchone()
        left_out = meeting.left_out_months(run, "harborough-wigston")
        force_left_out = meeting.left_out_months(run, "leicestershire")
    periods = [p.period for p in evidence.result.points]
    assert Month(2020, 3) in left_out and not left_out & set(periods)
    assert periods[0] == first  # the stored DATE
    latest = evidence.result.points[-1]
    assert (latest.mean, latest.lower_limit, latest.upper_limit) == pytest.approx((mean, lower, upper))
    assert force_left_out == set()  # the force keeps every month


@pytest.fixture(scope="module")
def with_a_peer(tmp_path_factory):
    """street-small (Leicestershire, at home) and a peer force's February 2024 written here: Merseyside,
    4 crimes, none with a location, so 100% of its month is not placed (its id sorts after the home
    force's, so a month quality read across both forces would end on the peer's)."""
    folder = tmp_path_factory.mktemp("with-a-peer")
    peer = folder / "2024-02-merseyside-street.csv"
    header = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
              "Crime type,Last outcome category,Context\n")
    peer.write_text(header + "".join(f"m2402-{i},2024-02,Merseyside Police,Merseyside Police,,,No location,,,"
                                     "Burglary,Under investigation,\n" for i in range(1, 5)))
    path = folder / "with-a-peer.duckdb"
    import_police_uk([*sorted(SMALL.glob("*/*-street.csv")), peer], path, home="leicestershire")
    return path


def test_the_home_forces_month_quality_is_its_own_and_each_force_leaves_out_its_own_months(with_a_peer):
    from scrutiny.rate import place_ratings

    with duckdb.connect(str(with_a_peer), read_only=True) as con:
        query = meeting.runner(con)
        quality = meeting.month_quality(query, FEB_2024)
        assert (quality.records, quality.placed, quality.not_placed) == (8, 5, 3)  # not the peer's 4, 0, 4
        assert "Merseyside" not in quality.force_name
        assert set(meeting.incomplete_months(query)) == {Month(2023, 2), Month(2024, 2)}
        assert meeting.month_warnings(query, FEB_2024)[0].startswith("37.5% of February 2024\u2019s crimes (3 of 8)")
        # the partnerships' series leave out each force's own incomplete months, by the same rule
        left_out = place_ratings.incomplete_months(con)
        assert sorted((force_id, month.strftime("%Y-%m")) for force_id, month in left_out.itertuples(index=False)) == [
            ("leicestershire", "2023-02"), ("leicestershire", "2024-02"), ("merseyside", "2024-02")]
