"""The Overview is the member's briefing (scrutiny.present.briefing): the headline, the ratings
with each red one's reason and link, what changed since the last meeting, the questions, then the
month's key figures and the pack, in that order; on the demo and on a real database with no plan."""
import datetime as dt

import duckdb
import pytest

from scrutiny.core import words
from scrutiny.present import briefing, meeting

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
                          where month = '2024-01-01' and rag = 'red'
                          order by measures.sort_order, a.area_level <> 'force', a.sort_order""").fetchall()
    assert [r.link for r in brief.reds] == [f"plan?measure={m}&area={a}&month=2024-01#measure-detail" for m, a in reds]
    burglary = brief.reds[0]
    # the reason is the rating's own fact: the shift its evidence stores
    (run,) = con.execute("""select json_extract(evidence, '$.run_length')::int from ratings
                            where month = '2024-01-01' and measure_id = 'burglary' and area_id = 'leicestershire'""").fetchone()
    assert burglary.reason == f"Burglary in Leicester, Leicestershire and Rutland has been above its usual level for {run} months."


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
    # each red measure links to its detail on the Plan page
    assert 'href="plan?measure=burglary&amp;area=leicestershire&amp;month=2024-01#measure-detail"' in page_html
    assert "has been above its usual level for" in page_html
    assert "What is the force doing about it, and when will it show?" in page_html
    assert f"<i>({words.OFFICERS_QUESTION})</i>" in page_html
    assert at.expander and "more questions" in at.expander[0].label
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
