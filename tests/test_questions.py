"""Questions the panel may wish to ask (scrutiny.present.questions), the officers' questions file
beside the plan (scrutiny.plan.questions_file) and the meetings that say what "since the last
meeting" means (scrutiny.plan.meetings). Expected texts are written out by hand."""
import datetime as dt

import pytest

from scrutiny.core.errors import UserError
from scrutiny.core.months import Month
from scrutiny.core.paths import DEMO_DIR
from scrutiny.plan import meetings
from scrutiny.plan.plan_file import load_plan
from scrutiny.plan.questions_file import OfficerQuestion, load_questions
from scrutiny.present import meeting, questions
from scrutiny.present.questions import Question, QuestionFacts, draft

JAN = dt.date(2024, 1, 1)


def facts(**changed) -> QuestionFacts:
    base = dict(measure_name="Burglary", area_name="Charnwood", unit="count", improvement="lower", month=JAN,
                rag="red", decided_by="variation", value=120.0, lower_limit=40.0, upper_limit=110.0,
                latest_pattern="shift", run_length=8)
    return QuestionFacts(**{**base, **changed})


# One hand-made rating each, and the question drafted from it, written out by hand.
DRAFTS = {
    "a run above the usual level, red": (
        facts(),
        "Burglary in Charnwood has been above its usual level for 8 months. "
        "What is behind it, and what is the force doing about it?"),
    "a run below the usual level of a measure where higher is better, red": (
        facts(measure_name="Victim satisfaction", unit="percent", improvement="higher", value=71.5, run_length=9),
        "Victim satisfaction in Charnwood has been below its usual level for 9 months. "
        "What is behind it, and what is the force doing about it?"),
    "a rise month after month, red": (
        facts(latest_pattern="trend", run_length=7),
        "Burglary in Charnwood has risen every month for 7 months in a row. "
        "What is driving it, and when does the force expect it to turn?"),
    "a month beyond the range, red": (
        facts(latest_pattern="astronomical", run_length=0, value=1234.0, lower_limit=-5.0, upper_limit=1100.46),
        "Burglary in Charnwood was 1,234 in January 2024, above its normal range of up to 1,100.5 a month. "
        "Was this month a one-off, and what explains it?"),
    "two of three near the top, red": (
        facts(latest_pattern="two_in_three", run_length=2),
        "Burglary in Charnwood has been near the top of its normal range in two of the last three months. "
        "Is this the start of a lasting change, and how will the force know?"),
    "a target the range misses, red": (
        facts(measure_name="Victim satisfaction", unit="percent", improvement="higher", decided_by="assurance",
              value=78.25, target=85.0, latest_pattern=None, run_length=0),
        "Victim satisfaction in Charnwood was 78.2% in January 2024, and its whole normal range is on the "
        "wrong side of the 85% target. What would it take to reach the 85% target, and by when?"),
    # Better than its usual level, yet red because the whole range misses the target: both are said.
    "a run on the good side that still misses the target, red": (
        facts(measure_name="Victim satisfaction", unit="percent", improvement="higher", decided_by="assurance",
              variation="improvement", value=78.7, target=80.0, latest_pattern="shift", run_length=9),
        "Victim satisfaction in Charnwood has been improving for 9 months, but is still short of the 80% "
        "target. What would it take to reach the 80% target, and by when?"),
    "one month on the good side of a crime measure that still misses the target, red": (
        facts(decided_by="assurance", variation="improvement", value=30.0, target=25.0,
              latest_pattern="astronomical", run_length=0),
        "Burglary in Charnwood was 30 in January 2024, better than usual, but still above the 25 target. "
        "What would it take to reach the 25 target, and by when?"),
    "an amber rating that was red at the last meeting": (
        facts(rag="amber", decided_by="common_cause", value=95.0, lower_limit=62.3, upper_limit=130.0,
              latest_pattern=None, rag_before="red"),
        "Burglary in Charnwood has moved from red to amber since November 2023. "
        "What brought it back into its normal range, and will that hold?"),
    "a target met in some months, amber": (
        facts(measure_name="999 calls answered within 10 seconds", unit="percent", improvement="higher",
              rag="amber", decided_by="common_cause", value=88.0, target=90.0, latest_pattern=None),
        "999 calls answered within 10 seconds in Charnwood was 88% in January 2024, and it meets the 90% "
        "target in some months only. What would it take to meet the target every month?"),
    "no target and no clear change, amber": (
        facts(rag="amber", decided_by="common_cause", value=95.0, lower_limit=62.3, upper_limit=130.0,
              latest_pattern=None),
        "Burglary in Charnwood was 95 in January 2024, within its normal range of 62.3 to 130 a month. "
        "Is that where the force wants it to be, and what would bring it down?"),
    "a rating that moved since the last meeting, green": (
        facts(rag="green", latest_pattern="shift", run_length=9, rag_before="amber"),
        "Burglary in Charnwood has moved from amber to green since November 2023. "
        "What made the difference, and will it last?"),
}


@pytest.mark.parametrize("rating, expected", DRAFTS.values(), ids=DRAFTS.keys())
def test_a_question_is_drafted_from_the_ratings_own_facts(rating, expected):
    assert draft(rating, since=dt.date(2023, 11, 1)) == expected


def test_a_question_does_not_end_as_the_one_before_it_when_there_is_another_way_to_ask():
    before = "Burglary in City Centre has been above its usual level for 8 months. What is behind it, and what is the force doing about it?"
    assert draft(facts(), after=before) == ("Burglary in Charnwood has been above its usual level for 8 months. "
                                            "What is the force doing about it, and when will it show?")
    amber = facts(rag="amber", decided_by="common_cause", value=95.0, lower_limit=62.3, upper_limit=130.0, latest_pattern=None)
    assert draft(amber, after=draft(amber)).endswith("What would it take to bring it below its usual level?")


def test_no_two_questions_in_a_row_of_the_demo_month_end_alike(demo_con):
    found = questions.for_month(meeting.runner(demo_con), JAN)
    endings = [q.text.rsplit(". ", 1)[-1] for q in found]
    assert len(found) > 20 and all(a != b for a, b in zip(endings, endings[1:]))


def test_the_questions_shown_first_come_first_then_the_areas_amber_ones(demo_con):
    found = questions.for_month(meeting.runner(demo_con), JAN)
    first, more = questions.first_and_more(found)
    assert list(first + more) == found  # the same order everywhere: the Overview's
    force = "Leicester, Leicestershire and Rutland"
    # by hand: January 2024's reds are all the force's (3); the changed ratings are 7 (Overview);
    # the force's ambers 5; Charnwood's burglary has the officers' question
    assert [(q.rag, q.area_name) for q in first if q.area_name != force] == [
        ("amber", "City Centre"), ("amber", "Charnwood"), ("amber", "North West Leicestershire"),
        ("green", "West Leicester")]
    assert all(q.rag == "amber" and q.drafted and q.area_name != force for q in more)


def test_a_rating_that_did_not_move_is_asked_about_by_its_facts_not_its_change():
    assert draft(facts(rag_before="red"), since=dt.date(2023, 11, 1)).startswith(
        "Burglary in Charnwood has been above its usual level for 8 months.")


@pytest.mark.parametrize("rag, before, asked", [
    ("red", None, True), ("amber", "amber", True), ("green", "green", False), ("green", "amber", True),
    ("green", None, False), ("not rated", "amber", True), ("not rated", None, False)])
def test_red_amber_and_every_changed_rating_need_asking(rag, before, asked):
    assert questions.needs_asking(facts(rag=rag, rag_before=before)) is asked


def test_the_demo_month_asks_every_red_and_amber_and_changed_rating_red_first_in_each_part(demo_con):
    query = meeting.runner(demo_con)
    found = questions.for_month(query, JAN)
    ratings = demo_con.execute("""
        select r.measure_id, r.area_id, r.rag, b.rag from ratings r
        join home_areas using (area_id)
        left join ratings b on b.measure_id = r.measure_id and b.area_id = r.area_id and b.month = '2023-11-01'
        where r.month = '2024-01-01'""").fetchall()
    wanted = {(m, a) for m, a, now, before in ratings if now in ("red", "amber") or (before and before != now)}
    wanted.add(("burglary", "charnwood"))  # the officers' question for the meeting of 9 April 2024
    assert {(q.measure_id, q.area_id) for q in found} == wanted
    for part in questions.first_and_more(found):  # red first in each of the Overview's two parts
        rags = [q.rag for q in part]
        assert rags == sorted(rags, key=["red", "amber", "green", "not rated"].index)
    assert all(isinstance(q, Question) and q.text for q in found)


def test_the_officers_questions_win_over_the_drafted_ones(demo_con):
    found = questions.for_month(meeting.runner(demo_con), JAN)
    satisfaction = [q for q in found if (q.measure_id, q.area_id) == ("victim_satisfaction", "leicestershire")]
    assert [(q.rag, q.drafted, q.text) for q in satisfaction] == [(
        "red", False,
        "Fewer victims say they are satisfied than the plan aims for. What has the force learnt from the "
        "victims who were not satisfied, and what has changed as a result?")]


def test_an_officers_question_for_one_meeting_is_asked_only_for_the_month_that_meeting_sees(demo_con):
    query = meeting.runner(demo_con)
    def charnwood_burglary(month):
        return [q for q in questions.for_month(query, month) if (q.measure_id, q.area_id) == ("burglary", "charnwood")]
    january = charnwood_burglary(JAN)  # the meeting of 9 April 2024 sees January 2024
    assert [(q.drafted, q.text.split(".")[0]) for q in january] == [
        (False, "The panel was told in February that burglary patrols in Loughborough would be stepped up")]
    assert all(q.drafted for q in charnwood_burglary(dt.date(2023, 11, 1)))


# --- the meetings -------------------------------------------------------------------------------

def test_a_month_counts_as_published_three_weeks_after_the_end_of_the_month_after_it():
    assert meetings.published_on(dt.date(2024, 1, 1)) == dt.date(2024, 3, 21)  # 29 February + 21 days
    assert meetings.published_on(dt.date(2023, 11, 1)) == dt.date(2024, 1, 21)  # 31 December + 21 days
    assert meetings.published_on(dt.date(2023, 12, 1)) == dt.date(2024, 2, 21)


MONTHS = [Month(2023, m) for m in range(6, 13)] + [Month(2024, 1)]


@pytest.mark.parametrize("meeting_days, month, expected", [
    # January 2024 is published on 21 March: the meeting before is 6 February, which had November
    # 2023 (published 21 January) but not December (21 February).
    ([dt.date(2023, 11, 28), dt.date(2024, 2, 6), dt.date(2024, 4, 9)], JAN, Month(2023, 11)),
    # a meeting on 27 February had December too
    ([dt.date(2023, 11, 28), dt.date(2024, 2, 27)], JAN, Month(2023, 12)),
    # a meeting on the very day a month is published counts it
    ([dt.date(2024, 1, 21)], JAN, Month(2023, 11)),
    ([dt.date(2024, 1, 20)], JAN, Month(2023, 10)),
    # December 2023 is published on 21 February: the meeting before is 6 February again
    ([dt.date(2023, 11, 28), dt.date(2024, 2, 6)], dt.date(2023, 12, 1), Month(2023, 11)),
    # November 2023 is published on 21 January: the meeting before is 28 November, which had
    # September (published 21 November) but not October (21 December)
    ([dt.date(2023, 11, 28), dt.date(2024, 2, 6)], dt.date(2023, 11, 1), Month(2023, 9)),
])
def test_the_last_meeting_saw_the_latest_month_published_before_it(meeting_days, month, expected):
    day = meetings.previous_meeting(month, meeting_days)
    assert meetings.latest_published(day, [m for m in MONTHS if m < month]) == expected


def test_no_meeting_before_the_month_was_published_gives_none():
    assert meetings.previous_meeting(JAN, [dt.date(2024, 3, 21), dt.date(2024, 6, 1)]) is None


def test_the_demo_compares_january_with_november_the_month_its_meeting_of_6_february_saw(demo_con):
    earlier = meeting.earlier_months(meeting.runner(demo_con), JAN)
    assert (earlier.last_meeting, earlier.meeting_day) == (Month(2023, 11), dt.date(2024, 2, 6))
    # November: published 21 January, so the meeting before is 28 November, which saw September
    assert meeting.last_meeting(meeting.runner(demo_con), dt.date(2023, 11, 1)) == Month(2023, 9)


def test_with_no_meetings_recorded_the_last_meeting_is_two_months_before(demo_con):
    runner = meeting.runner(demo_con)
    def without_meetings(name, **params):
        return runner(name, **params).iloc[0:0] if name == "common/meetings" else runner(name, **params)
    assert meeting.earlier_months(without_meetings, JAN) == meeting.EarlierMonths(
        meeting.months(runner)[1:], Month(2023, 11), None)
    assert meeting.last_meeting(without_meetings, dt.date(2023, 12, 1)) == Month(2023, 10)


def test_the_plan_file_lists_meetings_in_order_and_refuses_a_bad_day(tmp_path):
    text = (DEMO_DIR / "plan.yaml").read_text()
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace("meetings: [2023-06-13, 2023-09-19,", "meetings: [2023-09-19, 2023-06-13,"))
    assert load_plan(plan).meetings[:2] == (dt.date(2023, 6, 13), dt.date(2023, 9, 19))
    for bad, message in [("meetings: [2023-06-13, 13/09/2023]", "plan.yaml: meetings has a day '13/09/2023' "
                          "that is not a date like 2024-01-15"),
                         ("meetings: [2023-06-13, 2023-06-13]", "plan.yaml: meetings lists 2023-06-13 twice"),
                         ("meetings: 2023-06-13", "plan.yaml: meetings must be a list of days, like "
                          "meetings: [2024-02-27, 2024-04-23]")]:
        plan.write_text(text.replace("meetings: [2023-06-13, 2023-09-19, 2023-11-28, 2024-02-06, 2024-04-09]", bad))
        with pytest.raises(UserError) as refused:
            load_plan(plan)
        assert str(refused.value) == message


# --- the officers' questions file ---------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_plan():
    return load_plan(DEMO_DIR / "plan.yaml")


def test_the_demo_questions_file_loads(demo_plan):
    found = load_questions(DEMO_DIR / "questions.yaml", demo_plan)
    assert [(q.measure_id, q.area_id, q.meeting) for q in found] == [
        ("victim_satisfaction", None, None), ("burglary", "charnwood", dt.date(2024, 4, 9))]
    assert isinstance(found[0], OfficerQuestion) and found[0].text.startswith("Fewer victims say")


BAD_QUESTIONS = {
    "not a list": ("questions: burglary", "the file needs one list, questions;"),
    "another top-level key": ("questions: []\nnotes: x", "the file needs one list, questions;"),
    "a measure the plan lacks": ("questions: [{measure: burglery, question: why not}]",
                                 "question 1 is about measure 'burglery', which the plan does not define; "
                                 "did you mean 'burglary'?"),
    "an unknown field": ("questions: [{measure: burglary, question: why not, aera: charnwood}]",
                         "question 1 has an unknown field 'aera'; the fields are measure, area, meeting, question"),
    "no question": ("questions: [{measure: burglary}]", "question 1 needs a question (some text)"),
    "a blank question": ("questions: [{measure: burglary, question: '  '}]", "question 1 needs a question (some text)"),
    "a meeting the plan lacks": ("questions: [{measure: burglary, meeting: 2024-04-10, question: why not}]",
                                 "question 1 is for a meeting on 2024-04-10, which is not among the plan's meetings"),
    "a meeting that is not a day": ("questions: [{measure: burglary, meeting: April, question: why not}]",
                                    "question 1 has a meeting 'April' that is not a date like 2024-01-15"),
    "an area that is not an id": ("questions: [{measure: burglary, area: Charnwood Borough, question: why not}]",
                                  "question 1 has area 'Charnwood Borough'; give an area's id"),
    "the same question twice": ("questions: [{measure: burglary, question: why not}, {measure: burglary, question: why not}]",
                                "question 2 is given twice"),
    "not YAML": ("questions: [{measure: burglary", "line 1: this is not valid YAML"),
    "an entry that is not a mapping": ("questions: [burglary]", "question 1 is not a mapping;"),
}


@pytest.mark.parametrize("text, expected", BAD_QUESTIONS.values(), ids=BAD_QUESTIONS.keys())
def test_a_bad_questions_file_is_refused_with_one_line_naming_the_file_and_problem(tmp_path, demo_plan, text, expected):
    path = tmp_path / "questions.yaml"
    path.write_text(text)
    with pytest.raises(UserError) as refused:
        load_questions(path, demo_plan)
    message = str(refused.value)
    assert message.startswith("questions.yaml: " + expected) and "\n" not in message
