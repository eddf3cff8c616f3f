"""The Overview is the member's briefing (scrutiny.present.briefing): the headline, the ratings
with each red one's reason and link, what changed since the last meeting, the questions, then the
month's key figures and the pack, in that order; on the demo and on a real database with no plan."""
import datetime as dt

from types import SimpleNamespace

import duckdb
import pytest

from scrutiny.core import words
from scrutiny.present import briefing, change_reason, meeting

JAN = dt.date(2024, 1, 1)
HEADERS = ["Ratings for the force as a whole", "Changed since the last meeting",
           "Questions the panel may wish to ask", "The month\u2019s key figures", "The meeting pack"]


@pytest.fixture(scope="module")
def demo_briefing(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        yield briefing.for_month(meeting.runner(con), JAN), con


def test_the_briefing_counts_the_force_ratings_and_names_every_red_one_with_its_reason(demo_briefing):
    brief, con = demo_briefing
    stored = dict(con.execute("""select rag, count(*) from ratings join areas using (area_id)
                                 where month = '2024-01-01' and area_level = 'force' group by rag""").fetchall())
    assert brief.counts == stored
    reds = con.execute("""select measure_id, area_id from ratings join measures using (measure_id)
                          join areas a using (area_id)
                          where month = '2024-01-01' and rag = 'red' and a.area_level = 'force'
                          order by measures.sort_order""").fetchall()
    # detail_area, as the Plan matrix's cells: the sidebar's Area is the reader's to change
    assert [r.link for r in brief.reds] == [f"plan?measure={m}&detail_area={a}&month=2024-01#measure-detail" for m, a in reds]
    burglary = brief.reds[0]
    # the reason is the rating's own fact: the shift its evidence stores
    (run,) = con.execute("""select json_extract(evidence, '$.run_length')::int from ratings
                            where month = '2024-01-01' and measure_id = 'burglary' and area_id = 'leicestershire'""").fetchone()
    assert burglary.reason == f"Burglary in Leicester, Leicestershire and Rutland has been above its usual level for {run} months."


@pytest.fixture(scope="module")
def november_briefing(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        yield briefing.for_month(meeting.runner(con), dt.date(2023, 11, 1))


def test_the_force_reds_match_its_count_and_the_areas_reds_have_their_own_line(november_briefing, app):
    # November 2023, by hand from its stored ratings: five force-wide reds (neighbourhood crime,
    # burglary, victim satisfaction, 999 calls in 10 seconds, 101 calls abandoned) and burglary red
    # in two areas, City Centre and Charnwood: seven red ratings, of which the badge counts five.
    brief = november_briefing
    assert brief.counts["red"] == 5
    assert [r.measure_name for r in brief.reds] == ["Neighbourhood crime", "Burglary", "Victim satisfaction",
                                                    "999 calls answered within 10 seconds", "101 calls abandoned"]
    assert {r.area_name for r in brief.reds} == {"Leicester, Leicestershire and Rutland"}
    assert [(r.measure_name, r.area_name) for r in brief.area_reds] == [("Burglary", "City Centre"), ("Burglary", "Charnwood")]
    at = app(month="2023-11")
    at.run()
    assert not at.exception
    blocks = [h.proto.body for h in at.get("html")]
    (area_block,) = [b for b in blocks if "Red in an area: 2" in b]
    assert area_block.count("Its chart and explanation") == 2 and "Burglary in Charnwood" in area_block
    (force_block,) = [b for b in blocks if "Burglary in Leicester, Leicestershire and Rutland" in b and "Its chart" in b
                      and "Red in an area" not in b]
    assert force_block.count("Its chart and explanation") == 5


def change_row(**changed):
    """A row of plan/rating_changes as change_reason reads it: Burglary, red by a run of 9 months
    above its usual level in November 2023, amber in January 2024."""
    base = dict(target=None, unit_now="count", improvement_before="lower", improvement_now="lower",
                rag_before="red", decided_by_before="variation", latest_pattern_before="shift", run_length_before=9,
                step_change_month_before="2021-10", month_before=dt.date(2023, 11, 1),
                rag_now="amber", decided_by_now="common_cause", latest_pattern_now=None, run_length_now=0,
                step_change_month_now="2021-10", month_now=JAN)
    return SimpleNamespace(**{**base, **changed})


WHY = {
    "a run ended": (change_row(), "It changed because the run of 9 months above its usual level ended."),
    "a month back inside": (change_row(latest_pattern_before="astronomical", run_length_before=0),
                            "It changed because January 2024 was back inside its normal range."),
    "a step change": (change_row(step_change_month_now="2023-06"),
                      "It changed because a step change in June 2023 re-based its normal range."),
    "a new run for the better": (
        change_row(rag_before="amber", decided_by_before="common_cause", latest_pattern_before=None,
                   rag_now="green", decided_by_now="variation", latest_pattern_now="shift", run_length_now=7),
        "It changed because it has now been below its usual level for 7 months."),
    "from worse to better": (
        change_row(improvement_before="higher", improvement_now="higher", latest_pattern_before="trend",
                   run_length_before=7, rag_now="green", decided_by_now="variation",
                   latest_pattern_now="astronomical"),
        "It changed because the run of 7 months falling in a row ended, and January 2024 was above its normal range."),
    "the target": (change_row(target=80.0, unit_now="percent", decided_by_before="variation", rag_before="amber",
                              rag_now="red", decided_by_now="assurance"),
                   "It changed because its whole normal range is now on the wrong side of the 80% target."),
    # 999 calls in 10 seconds, November 2023 to January 2024: red by its target, then green by a month above its range
    "off the target and better": (
        change_row(target=90.0, unit_now="percent", improvement_before="higher", improvement_now="higher",
                   decided_by_before="assurance", latest_pattern_before=None, rag_now="green",
                   decided_by_now="variation", latest_pattern_now="astronomical"),
        "It changed because its normal range now reaches the 90% target, and January 2024 was above its normal range."),
}


@pytest.mark.parametrize("row, expected", WHY.values(), ids=WHY.keys())
def test_a_change_says_why_from_both_ratings_facts(row, expected):
    assert change_reason.why(row) == expected


def test_the_overview_leads_each_change_with_why(demo_briefing):
    brief, _ = demo_briefing
    (neighbourhood,) = [c for c in brief.changes if c.measure_name == "Neighbourhood crime"]
    # November 2023's red was a run of 9 months above the usual level (its stored evidence)
    assert neighbourhood.why == "It changed because the run of 9 months above its usual level ended."
    assert neighbourhood.reason.startswith("Neighbourhood crime in Leicester, Leicestershire and Rutland was 1,215")


def test_a_red_by_target_that_is_improving_says_so(demo_briefing):
    brief, _ = demo_briefing
    (satisfaction,) = [r for r in brief.reds if r.measure_name == "Victim satisfaction"]
    assert satisfaction.reason == ("Victim satisfaction in Leicester, Leicestershire and Rutland has been improving "
                                   "for 9 months, but is still short of the 80% target.")


def test_the_headline_says_the_counts_and_the_changes_since_the_month_the_panel_last_saw(demo_briefing):
    brief, con = demo_briefing
    (changed,) = con.execute("""select count(*) from ratings n join ratings b using (measure_id, area_id)
                                join home_areas using (area_id)
                                where n.month = '2024-01-01' and b.month = '2023-11-01' and n.rag <> b.rag""").fetchone()
    c = brief.counts
    assert brief.headline == (
        f"In January 2024, of the {sum(c.values())} measures rated for Leicester, Leicestershire and Rutland as a "
        f"whole, {c['red']} are red, {c['amber']} amber and {c['green']} green; {changed} ratings in the force and "
        "its areas have changed since November 2023, the month the panel last saw.")
    assert len(brief.changes) == changed
    assert "meeting of 6 February 2024" in brief.since_note


def test_the_first_questions_are_the_red_the_changed_the_force_wide_and_the_officers(demo_briefing):
    brief, _ = demo_briefing
    changed = {(c.measure_name, c.area_name) for c in brief.changes}
    force = "Leicester, Leicestershire and Rutland"
    assert all(q.rag == "red" or not q.drafted or q.area_name == force or (q.measure_name, q.area_name) in changed
               for q in brief.questions)
    assert all(q.rag == "amber" and q.drafted and q.area_name != force for q in brief.more_questions)
    assert any(not q.drafted for q in brief.questions)


def test_the_overview_is_the_briefing_in_order(app):
    at = app(month="2024-01")
    at.run()
    assert not at.exception
    assert [h.value for h in at.main.header] == HEADERS
    brief_line = at.markdown[0].value
    assert brief_line.startswith("**The member\u2019s briefing for January 2024.** In January 2024, of the 10 measures")
    page_html = " ".join(h.proto.body for h in at.get("html"))
    # each red measure links to its detail on the Plan page, with the reader's own Area and Crime type
    assert ('href="plan?area=leicestershire&amp;crime_type=All+crime&amp;measure=burglary&amp;'
            'detail_area=leicestershire&amp;month=2024-01#measure-detail"') in page_html
    assert "has been above its usual level for" in page_html
    assert "What is behind it, and what is the force doing about it?" in page_html
    # the officers' question is labelled with its measure and area; a drafted one names them itself
    assert page_html.count(f"<i>({words.OFFICERS_QUESTION})</i>") == 2
    assert "<b>Burglary, Leicester, Leicestershire and Rutland</b>" not in page_html
    assert at.expander and at.expander[0].label == "42 more questions, on the areas\u2019 amber ratings"
    (intro,) = [c.value for c in at.caption if c.value == words.QUESTIONS_INTRO]
    assert not intro.startswith("Questions the panel may wish to ask")  # not its heading again
    # the Crime type filter's reach, under the key figures' heading
    assert any(c.value == words.KEY_FIGURES_CRIME_TYPE for c in at.caption)
    # January 2024's four clearest area changes in all crime are none of them notable (e.g. West
    # Leicester 1,370 against 1,473: z = (1,421.5 - 1,370) / (sqrt(2,843) / 2) = 1.93, p = 0.05+)
    assert any(m.value == words.NONE_NOTABLE for m in at.markdown)
    # one minus sign in what is read; the arrow and colour are given, not read from an ASCII '-'
    (all_crime,) = [m for m in at.metric if m.label == "All crime"]
    assert all_crime.delta == "\u2212475 (\u22125.8%) on 8,249 in January 2023"
    assert all_crime.proto.direction == all_crime.proto.MetricDirection.DOWN
    assert all_crime.proto.color == all_crime.proto.MetricColor.GREEN
    # the key figures are kept, lower down, and the pack is offered
    assert any(m.label == "All crime" for m in at.metric)
    assert any(b.label.startswith("Make the meeting pack for January 2024") for b in at.button)


def test_on_a_real_database_without_a_plan_the_briefing_rates_the_crime_measures_and_says_so(app, llr_db):
    at = app(db=llr_db, month="2022-10")
    at.run()
    assert not at.exception
    assert any(w.value.startswith("**The Police and Crime Plan is not loaded.**") for w in at.warning)
    assert [h.value for h in at.main.header] == HEADERS
    # the six crime measures of the street files, rated for the force
    assert "of the 6 measures rated for" in at.markdown[0].value


def test_the_plan_pages_measure_detail_gives_the_measures_question(app):
    at = app(month="2024-01", measure="victim_satisfaction")
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    asked = [m.value for m in at.markdown if m.value.startswith(f"**{words.QUESTION_HEADING}:**")]
    assert len(asked) == 1
    assert "Fewer victims say they are satisfied" in asked[0] and f"*({words.OFFICERS_QUESTION})*" in asked[0]


def test_the_plan_pages_changes_since_the_last_meeting_lead_with_why(app):
    at = app(month="2024-01", since="2023-11")
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    (line,) = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<p><b>Neighbourhood crime, Leicester")]
    assert line.endswith(" in January 2024. It changed because the run of 9 months above its usual level ended.</p>")


def test_a_link_to_a_detail_keeps_the_readers_sidebar_area(app):
    # The link reloads the page: without its area the sidebar would go back to the force.
    at = app(area="charnwood", crime_type="Burglary", month="2023-11")
    at.run()
    page_html = " ".join(h.proto.body for h in at.get("html"))
    assert ('href="plan?area=charnwood&amp;crime_type=Burglary&amp;measure=burglary&amp;detail_area=city-centre'
            '&amp;month=2023-11#measure-detail"') in page_html
