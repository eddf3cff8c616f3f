"""The Police and Crime Plan: loading and refusing plan files, the objective rating rule, the
plan tables and measure_series in the demo database, and the synthetic returns."""
import copy
import dataclasses
import datetime as dt
import re
import shutil

import duckdb
import pandas as pd
import pytest
import yaml

from scrutiny.core.crime_types import ALL_CRIME
from scrutiny.demo.build import FIRST_MONTH, FORCE_ID, LAST_MONTH
from scrutiny.demo.measures import synthetic_measure_values
from scrutiny.core.errors import UserError
from scrutiny.core.months import Month, month_range
from scrutiny.core.paths import DEMO_DIR
from scrutiny.plan.plan_file import OBJECTIVE_RATING_RULE, StepChange, load_plan, objective_rating
from scrutiny.rate.spc import analyse

REQUIRED_MEASURES = {
    "all_crime", "violence_sexual_offences", "burglary", "neighbourhood_crime", "anti_social_behaviour",
    "victim_satisfaction", "calls_999_in_10s", "calls_101_abandoned", "public_confidence", "charge_summons_rate",
}
NEIGHBOURHOOD_CRIME = {"Burglary", "Robbery", "Theft from the person", "Vehicle crime"}
MONTHS = month_range(FIRST_MONTH, LAST_MONTH)
NPA_IDS = ["city-centre", "east-leicester", "west-leicester", "charnwood", "harborough-wigston",
           "hinckley-blaby", "melton-rutland", "north-west-leicestershire"]


@pytest.fixture(scope="module")
def demo_plan():
    return load_plan(DEMO_DIR / "plan.yaml")


@pytest.fixture(scope="module")
def synthetic(demo_plan):
    return synthetic_measure_values(demo_plan, NPA_IDS, FORCE_ID, MONTHS)


# --- the demo plan -------------------------------------------------------------------------------

def test_demo_plan_has_every_required_measure_with_its_direction_and_source(demo_plan):
    measures = {m.id: m for m in demo_plan.measures}
    assert set(measures) >= REQUIRED_MEASURES
    assert measures["all_crime"].crime_types == (ALL_CRIME,)
    assert set(measures["neighbourhood_crime"].crime_types) == NEIGHBOURHOOD_CRIME
    assert measures["violence_sexual_offences"].crime_types == ("Violence and sexual offences",)
    assert measures["anti_social_behaviour"].crime_types == ("Anti-social behaviour",)
    assert (measures["calls_999_in_10s"].target, measures["calls_999_in_10s"].improvement) == (90.0, "higher")
    assert (measures["calls_101_abandoned"].improvement, measures["victim_satisfaction"].unit) == ("lower", "percent")
    for measure in measures.values():
        if measure.source == "crime":
            # The plan sets no numeric crime targets; crime ratings rely on variation.
            assert (measure.unit, measure.improvement, measure.target, measure.areas) == ("count", "lower", None, "all")
        else:
            assert measure.crime_types is None and measure.unit == "percent"
            assert measure.areas == ("all" if measure.id == "victim_satisfaction" else "force")
        assert measure.description.endswith(".") and "\n" not in measure.description


def test_demo_plan_has_the_four_llr_themes_and_office_rated_objectives(demo_plan):
    assert [t.name for t in demo_plan.themes] == [
        "Reducing offending and reoffending", "Support for victims and witnesses",
        "Protecting vulnerable people", "Making communities and neighbourhoods safer"]
    by_id = {o.id: o for o in demo_plan.objectives}
    specials = by_id["special-constables"]
    assert specials.measure_ids == () and specials.status.rag == "amber"
    assert specials.status.reason and isinstance(specials.status.date, dt.date)
    # Every measure judges an objective, and knows the theme it is shown under.
    for measure in demo_plan.measures:
        assert measure.objective_ids and all(measure.id in by_id[o].measure_ids for o in measure.objective_ids)
        theme = next(t for t in demo_plan.themes if any(o.id == measure.objective_ids[0] for o in t.objectives))
        assert measure.theme_id == theme.id


def test_plan_measures_are_in_the_order_the_plan_uses_them(demo_plan):
    used = [m for o in demo_plan.objectives for m in o.measure_ids]
    first_use = list(dict.fromkeys(used))
    assert [m.id for m in demo_plan.measures] == first_use


# --- refusing bad plan files ---------------------------------------------------------------------

VALID = {
    "themes": [{
        "id": "safer", "name": "Making communities and neighbourhoods safer",
        "objectives": [
            {"id": "reduce-crime", "name": "Reduce crime", "measures": ["all_crime", "victim_satisfaction"]},
            {"id": "special-constables", "name": "Grow the Special Constabulary",
             "status": {"rag": "amber", "reason": "Recruitment is behind plan.", "date": dt.date(2024, 1, 15)}},
        ],
    }],
    "measures": [
        {"id": "all_crime", "name": "All crime", "unit": "count", "improvement": "lower", "areas": "all",
         "crime_types": ["All crime"], "description": "Every crime."},
        {"id": "victim_satisfaction", "name": "Victim satisfaction", "unit": "percent", "improvement": "higher",
         "target": 80, "areas": "all", "source": "returns", "description": "Satisfied victims."},
    ],
}


def write_plan_file(tmp_path, change=None, text=None):
    path = tmp_path / "plan.yaml"
    if text is None:
        plan = copy.deepcopy(VALID)
        if change:
            change(plan)
        text = yaml.safe_dump(plan, sort_keys=False)
    path.write_text(text)
    return path


def refusal(tmp_path, change=None, text=None) -> str:
    with pytest.raises(UserError) as raised:
        load_plan(write_plan_file(tmp_path, change, text))
    message = str(raised.value)
    assert "\n" not in message, "a refusal is one line"
    assert message.startswith("plan.yaml: "), "a refusal names the file"
    return message


def objective(plan, objective_id):
    return next(o for o in plan["themes"][0]["objectives"] if o["id"] == objective_id)


def measure(plan, measure_id):
    return next(m for m in plan["measures"] if m["id"] == measure_id)


def test_the_valid_base_plan_loads(tmp_path):
    # So each refusal below is caused by its one change, not by the base.
    plan = load_plan(write_plan_file(tmp_path))
    assert [m.id for m in plan.measures] == ["all_crime", "victim_satisfaction"]
    assert plan.objectives[1].status.date == dt.date(2024, 1, 15)


def test_a_status_without_a_reason_is_refused_with_a_clear_message(tmp_path):
    message = refusal(tmp_path, lambda p: objective(p, "special-constables")["status"].pop("reason"))
    assert message == ("plan.yaml: objective 'special-constables' has a status without a reason; "
                       "give the reason and the date")


def test_a_status_with_a_blank_reason_is_refused(tmp_path):
    message = refusal(tmp_path, lambda p: objective(p, "special-constables")["status"].update(reason="   "))
    assert "'special-constables' has a status without a reason" in message


def changed_measure(measure_id, **fields):
    return lambda plan: measure(plan, measure_id).update(fields)


def without(field, measure_id):
    return lambda plan: measure(plan, measure_id).pop(field)


def step_changes(*steps):
    return lambda plan: plan.update(step_changes=list(steps))


# One change to the valid plan each, and what the refusal must say.
BAD_PLANS = {
    "status with an invalid rag": (
        lambda p: objective(p, "special-constables")["status"].update(rag="purple"),
        "objective 'special-constables' has a status rag of 'purple'; use red, amber or green"),
    "status without a date": (
        lambda p: objective(p, "special-constables")["status"].pop("date"),
        "objective 'special-constables' has a status without a date"),
    "status with a date that is not a date": (
        lambda p: objective(p, "special-constables")["status"].update(date="15/01/2024"),
        "status date '15/01/2024' that is not a date like 2024-01-15"),
    "objective with neither measures nor status": (
        lambda p: objective(p, "special-constables").pop("status"),
        "objective 'special-constables' has neither measures nor a status"),
    "measure used but not defined": (
        lambda p: objective(p, "reduce-crime")["measures"].append("burglary"),
        "objective 'reduce-crime' uses measure 'burglary', which is not defined"),
    "duplicate measure id": (
        lambda p: p["measures"].append(copy.deepcopy(p["measures"][0])),
        "measure id 'all_crime' is defined twice"),
    "duplicate objective id": (
        lambda p: objective(p, "special-constables").update(id="reduce-crime"),
        "objective id 'reduce-crime' is used twice"),
    "duplicate theme id": (
        lambda p: p["themes"].append(copy.deepcopy(p["themes"][0])),
        "theme id 'safer' is used twice"),
    "measure no objective uses": (
        lambda p: objective(p, "reduce-crime")["measures"].remove("victim_satisfaction"),
        "measure 'victim_satisfaction' is not used by any objective"),
    "no themes": (lambda p: p.update(themes=[]), "the plan has no themes"),
    # A measure with one field changed or left out
    "unknown crime type": (changed_measure("all_crime", crime_types=["Burglery"]),
                           "measure 'all_crime' has an unknown crime type 'Burglery'; did you mean 'Burglary'?"),
    "unknown unit": (changed_measure("victim_satisfaction", unit="rate"),
                     "measure 'victim_satisfaction' has unit 'rate'; use count or percent"),
    "unknown improvement": (changed_measure("all_crime", improvement="down"),
                            "measure 'all_crime' has improvement 'down'; use lower or higher"),
    "unknown areas": (changed_measure("all_crime", areas="npa"), "measure 'all_crime' has areas 'npa'; use all or force"),
    "measure id not snake_case": (changed_measure("all_crime", id="All-Crime"),
                                  "measure id 'All-Crime' is not valid; use snake_case"),
    "All crime listed with other types": (changed_measure("all_crime", crime_types=["All crime", "Burglary"]),
                                          "'All crime' already includes them"),
    "crime types and a returns source": (changed_measure("all_crime", source="returns"),
                                         "measure 'all_crime' has both crime_types and a source"),
    "neither crime types nor a source": (without("source", "victim_satisfaction"),
                                         "measure 'victim_satisfaction' needs crime_types"),
    "crime measure that is not a count": (changed_measure("all_crime", unit="percent"), "its unit must be count"),
    "target that is not a number": (changed_measure("victim_satisfaction", target="80%"),
                                    "measure 'victim_satisfaction' has a target '80%' that is not a number"),
    "percentage target above 100": (changed_measure("victim_satisfaction", target=180),
                                    "not a percentage between 0 and 100"),
    "misspelt field": (changed_measure("all_crime", improvment="lower"),
                       "measure 'all_crime' has an unknown field 'improvment'"),
    "measure without a description": (without("description", "all_crime"), "measure 'all_crime' needs a description"),
    # The plan's step changes
    "step change without a reason": (step_changes({"month": "2021-06", "measures": "all"}),
                                     "the step change of 2021-06 needs a reason"),
    "step change with a month that is not a month": (
        step_changes({"month": "June 2021", "measures": "all", "reason": "x"}),
        "a step change has month 'June 2021'; give a month like 2021-06"),
    "step change of an unknown measure": (
        step_changes({"month": "2021-06", "measures": ["burglary"], "reason": "x"}),
        "the step change of 2021-06 names measure 'burglary', which is not defined under measures"),
    "step change without measures": (step_changes({"month": "2021-06", "reason": "x"}),
                                      "the step change of 2021-06 needs measures: all, or a list of measure ids"),
    "step change given twice": (
        step_changes({"month": "2021-06", "measures": "all", "reason": "x"},
                     {"month": "2021-06", "measures": ["all_crime"], "reason": "y"}),
        "the step change of 2021-06 is given twice for measure 'all_crime'"),
}


def test_step_changes_load_in_month_order_with_all_meaning_every_measure(tmp_path):
    steps = [{"month": "2021-06", "measures": ["all_crime"], "reason": "lockdown  ended"},
             {"month": "2020-04", "measures": "all", "reason": "lockdown began"}]
    plan = load_plan(write_plan_file(tmp_path, lambda p: p.update(step_changes=steps)))
    assert plan.step_changes == (
        StepChange(Month(2020, 4), ("all_crime", "victim_satisfaction"), "lockdown began"),
        StepChange(Month(2021, 6), ("all_crime",), "lockdown ended"),
    )
    assert load_plan(write_plan_file(tmp_path)).step_changes == ()


def test_the_demo_plans_step_changes_are_stored_for_each_measure_and_used_by_its_ratings(demo_con, demo_plan):
    stored = demo_con.execute("""
        select measure_id, month, reason from measure_step_changes order by 2, 1
    """).fetchall()
    assert stored == [(m, step.month, step.reason) for step in demo_plan.step_changes for m in sorted(step.measure_ids)]
    assert ("all_crime", Month(2021, 7), "lockdown ended") in stored
    # All crime at the force in January 2024: its limits are those of the phase since July 2021.
    explanation, evidence = demo_con.execute("""
        select explanation, evidence from ratings
        where measure_id = 'all_crime' and area_id = 'leicestershire' and month = '2024-01-01'
    """).fetchone()
    assert "Since the step change in July 2021 (lockdown ended), the normal range was" in explanation
    assert '"step_change": {"month": "2021-07", "reason": "lockdown ended"}' in evidence


@pytest.mark.parametrize("change, expected", BAD_PLANS.values(), ids=BAD_PLANS.keys())
def test_a_bad_plan_is_refused_with_one_line_naming_the_problem(tmp_path, change, expected):
    assert expected in refusal(tmp_path, change)


def test_a_yaml_syntax_error_is_refused_with_its_line_number(tmp_path):
    text = "themes:\n  - id: safer\n    name: [Making communities\nmeasures: []\n"
    message = refusal(tmp_path, text=text)
    assert "line 4" in message and "not valid YAML" in message


def test_an_impossible_date_is_refused_with_its_line_number(tmp_path):
    text = yaml.safe_dump(VALID, sort_keys=False).replace("2024-01-15", "2024-13-45")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "2024-13-45" in row)
    message = refusal(tmp_path, text=text)
    assert f"line {line}" in message and "'2024-13-45' is not a real date" in message


def test_a_key_given_twice_is_refused_rather_than_silently_replaced(tmp_path):
    text = re.sub(r"^( *)rag: amber$", r"\1rag: amber\n\1rag: green", yaml.safe_dump(VALID, sort_keys=False), flags=re.M)
    assert "rag: green" in text
    assert "the key 'rag' is given twice" in refusal(tmp_path, text=text)


def test_an_empty_or_missing_plan_file_is_refused(tmp_path):
    assert "needs a list of themes and a list of measures" in refusal(tmp_path, text="")
    with pytest.raises(UserError, match=r"^plan\.yaml: the file is missing"):
        load_plan(tmp_path / "elsewhere" / "plan.yaml")


# --- the objective rating rule -------------------------------------------------------------------

@pytest.mark.parametrize("measure_rags, expected", [
    (["green", "red", "amber"], "red"),
    (["green", "amber", "not rated"], "amber"),
    (["green", "green"], "green"),
    (["green", "not rated", None], "green"),
    (["not rated", None], "not rated"),
    ([], "not rated"),
])
def test_objective_rating_takes_the_worst_rated_measure(measure_rags, expected):
    assert objective_rating(measure_rags) == expected


def test_objective_rating_refuses_an_unknown_rating():
    with pytest.raises(ValueError, match="Red"):
        objective_rating(["Red"])


def test_the_rule_shown_to_users_is_the_documented_rule_in_one_paragraph():
    assert OBJECTIVE_RATING_RULE.startswith("An objective judged by measures takes the worst rating")
    assert "red if any measure is red" in OBJECTIVE_RATING_RULE and "not rated" in OBJECTIVE_RATING_RULE
    assert "\n" not in OBJECTIVE_RATING_RULE and "  " not in OBJECTIVE_RATING_RULE


# --- the plan in the demo database ---------------------------------------------------------------

def test_the_plan_tables_hold_the_demo_plan(demo_con, demo_plan):
    themes = demo_con.execute("select theme_id from plan_themes order by sort_order").fetchall()
    assert [t for (t,) in themes] == [t.id for t in demo_plan.themes]
    objectives = demo_con.execute("""
        select objective_id, theme_id, office_rag, office_reason, office_date from plan_objectives order by sort_order
    """).fetchall()
    expected = [(o.id, t.id, o.status and o.status.rag, o.status and o.status.reason, o.status and o.status.date)
                for t in demo_plan.themes for o in t.objectives]
    assert objectives == expected
    links = demo_con.execute("select objective_id, measure_id from plan_objective_measures order by all").fetchall()
    assert links == sorted((o.id, m) for o in demo_plan.objectives for m in o.measure_ids)
    measures = demo_con.execute("""
        select measure_id, unit, improvement, target, areas, source, theme_id from measures order by sort_order
    """).fetchall()
    assert measures == [(m.id, m.unit, m.improvement, m.target, m.areas, m.source, m.theme_id) for m in demo_plan.measures]


def series(con, measure_id: str) -> pd.DataFrame:
    return con.execute("select * from measure_series where measure_id = ? order by area_id, month", [measure_id]).df()


def test_all_crime_at_the_force_is_the_rolled_up_all_crime_total(demo_con):
    rolled_up = demo_con.execute("""
        select crime_count from area_month_totals
        where area_id = 'leicestershire' and crime_type = 'All crime' and month = '2024-01-01'
    """).fetchone()[0]
    by_hand = demo_con.execute("""
        select sum(crime_count) from monthly_counts join home_areas using (area_id)
        where crime_type <> 'Anti-social behaviour' and month = '2024-01-01'
    """).fetchone()[0]
    value, crime_count, denominator = demo_con.execute("""
        select value, crime_count, denominator from measure_series
        where measure_id = 'all_crime' and area_id = 'leicestershire' and month = '2024-01-01'
    """).fetchone()
    assert crime_count == rolled_up == by_hand  # counted once: 7,774 in the demo
    assert value == float(crime_count) and denominator is None


def test_neighbourhood_crime_is_the_sum_of_its_four_types_in_every_area_and_month(demo_con):
    counts = demo_con.execute("""
        select c.area_id, a.parent_id, c.crime_type, c.month, c.crime_count
        from monthly_counts c join home_areas a using (area_id)
    """).df()
    counts = counts[counts.crime_type.isin(NEIGHBOURHOOD_CRIME)]
    npas = counts.groupby(["area_id", "month"]).crime_count.sum()
    force = counts.groupby(["parent_id", "month"]).crime_count.sum().rename_axis(["area_id", "month"])
    expected = pd.concat([npas, force]).sort_index()
    got = series(demo_con, "neighbourhood_crime").set_index(["area_id", "month"]).crime_count.sort_index()
    assert len(got) == 9 * len(MONTHS)
    assert got.astype(int).to_dict() == expected.astype(int).to_dict()


def test_measures_for_the_force_only_have_no_npa_rows(demo_con, demo_plan):
    areas = dict(demo_con.execute("""
        select measure_id, list(distinct area_id order by area_id) from measure_series group by all
    """).fetchall())
    for m in demo_plan.measures:
        assert areas[m.id] == (["leicestershire"] if m.areas == "force" else sorted([FORCE_ID, *NPA_IDS])), m.id


def test_a_measure_for_the_force_only_drops_npa_rows_of_crime_and_of_returns(demo_db, tmp_path):
    # The demo's crime measures are all for every area, so make one force-only in a copy, and
    # give a force-only return a stray NPA row: neither may reach measure_series.
    copy_path = tmp_path / "copy.duckdb"
    shutil.copyfile(demo_db, copy_path)
    with duckdb.connect(str(copy_path)) as con:
        con.execute("update measures set areas = 'force' where measure_id = 'burglary'")
        con.execute("insert into measure_values values ('public_confidence', 'charnwood', '2024-01-01', 55.0, 40)")
        areas = dict(con.execute("""
            select measure_id, list(distinct area_id) from measure_series
            where measure_id in ('burglary', 'public_confidence') group by all
        """).fetchall())
        force_burglary = con.execute("""
            select count(*) from measure_series where measure_id = 'burglary' and area_id = 'leicestershire'
        """).fetchone()[0]
    assert areas == {"burglary": ["leicestershire"], "public_confidence": ["leicestershire"]}
    assert force_burglary == len(MONTHS)


def test_returns_measures_have_a_value_for_every_month_at_the_force(demo_con, demo_plan):
    for m in demo_plan.measures:
        if m.source != "returns":
            continue
        rows = demo_con.execute("""
            select month, value, crime_count, denominator from measure_series
            where measure_id = ? and area_id = 'leicestershire' order by month
        """, [m.id]).fetchall()
        assert [r[0] for r in rows] == MONTHS, m.id
        assert all(r[2] is None and r[3] > 0 for r in rows), m.id


def test_the_demo_stores_the_synthetic_values_and_says_they_are_synthetic(demo_con, synthetic):
    stored = demo_con.execute("select * from measure_values order by measure_id, area_id, month").df()
    expected = synthetic.sort_values(["measure_id", "area_id", "month"]).reset_index(drop=True)
    assert stored.measure_id.tolist() == expected.measure_id.tolist()
    assert stored.value.tolist() == expected.value.tolist()
    assert [d.date() for d in stored.month] == expected.month.tolist()
    descriptions = [d for (d,) in demo_con.execute("select description from provenance").fetchall()]
    assert any("Synthetic demonstration values" in d and "not official statistics" in d for d in descriptions)


# --- the synthetic returns -----------------------------------------------------------------------

PLAUSIBLE = {  # (lowest, highest) for the force; NPA samples are smaller, so they spread wider
    "victim_satisfaction": (65, 85),
    "calls_999_in_10s": (83, 94),
    "calls_101_abandoned": (6, 22),
    "public_confidence": (60, 80),
    "charge_summons_rate": (4, 9),
}


def test_synthetic_values_are_plausible_and_rounded(synthetic):
    force = synthetic[synthetic.area_id == FORCE_ID]
    for measure_id, (low, high) in PLAUSIBLE.items():
        values = force[force.measure_id == measure_id].value
        assert len(values) == len(MONTHS) and values.between(low, high).all(), measure_id
    npa_satisfaction = synthetic[(synthetic.measure_id == "victim_satisfaction") & (synthetic.area_id != FORCE_ID)]
    assert npa_satisfaction.value.between(45, 100).all() and set(npa_satisfaction.area_id) == set(NPA_IDS)
    assert ((synthetic.value * 10).round(6) % 1 == 0).all(), "one decimal place"
    assert (synthetic.denominator > 0).all()


def test_999_answering_dips_in_summer(synthetic):
    calls = synthetic[(synthetic.measure_id == "calls_999_in_10s") & (synthetic.area_id == FORCE_ID)]
    before_last_year = calls[[m < dt.date(2023, 1, 1) for m in calls.month]]
    by_month_of_year = before_last_year.groupby([m.month for m in before_last_year.month]).value.mean()
    assert by_month_of_year[[6, 7, 8]].mean() < by_month_of_year[[12, 1, 2]].mean() - 1.5


def test_the_force_victim_satisfaction_pools_the_areas_responses(synthetic):
    rows = synthetic[(synthetic.measure_id == "victim_satisfaction") & (synthetic.month == LAST_MONTH)]
    npas, force = rows[rows.area_id != FORCE_ID], rows[rows.area_id == FORCE_ID].iloc[0]
    assert force.denominator == npas.denominator.sum()
    pooled = (npas.value * npas.denominator).sum() / npas.denominator.sum()
    assert abs(force.value - pooled) < 0.1  # NPA values are rounded, so not exact


def variation_over_last_36_months(synthetic, measure_id, improvement):
    rows = synthetic[(synthetic.measure_id == measure_id) & (synthetic.area_id == FORCE_ID)].tail(36)
    return analyse(list(rows.month), list(rows.value), improvement).variation


def test_one_measure_clearly_improves_and_one_clearly_worsens_so_the_demo_shows_green_and_red(synthetic):
    assert variation_over_last_36_months(synthetic, "calls_999_in_10s", "higher") == "improvement"
    assert variation_over_last_36_months(synthetic, "calls_101_abandoned", "lower") == "concern"
    assert variation_over_last_36_months(synthetic, "charge_summons_rate", "higher") == "common_cause"


def test_synthetic_values_are_deterministic_and_each_measure_has_its_own_generator(demo_plan, synthetic):
    again = synthetic_measure_values(demo_plan, NPA_IDS, FORCE_ID, MONTHS)
    pd.testing.assert_frame_equal(again, synthetic)
    # Dropping a measure from the plan leaves every other measure's values as they were.
    fewer = dataclasses.replace(demo_plan, measures=tuple(m for m in demo_plan.measures if m.id != "victim_satisfaction"))
    without = synthetic_measure_values(fewer, NPA_IDS, FORCE_ID, MONTHS)
    kept = synthetic[synthetic.measure_id != "victim_satisfaction"].reset_index(drop=True)
    pd.testing.assert_frame_equal(without, kept)
