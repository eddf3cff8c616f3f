"""The presentation slides as plain data: what each says, in what order, and that a projector can
show it (every chart text at least 18 px, every chart with a table)."""
import datetime as dt
from html import escape

import pytest

from scrutiny.show import charts
from scrutiny.present import briefing, meeting, questions, slides
from scrutiny.rate.rag import AMBER, RED, STYLES
from tests.helpers import ALL_CRIME_JANUARY_2024

JANUARY_2024 = dt.date(2024, 1, 1)
MIN_CHART_TEXT_PX = 18


@pytest.fixture(scope="module")
def deck(demo_db):
    import duckdb

    with duckdb.connect(str(demo_db), read_only=True) as con:
        yield slides.build_slides(meeting.runner(con), JANUARY_2024), meeting.runner(con)


def font_sizes(node, path="figure"):
    """Every font size set anywhere in a figure's JSON, with where it was set."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("font") and isinstance(value, dict) and value.get("size") is not None:
                found.append((f"{path}.{key}", value["size"]))
            found += font_sizes(value, f"{path}.{key}")
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            found += font_sizes(value, f"{path}[{i}]")
    return found


def test_the_slides_run_headline_areas_map_each_red_then_amber_measure_changes_and_questions(deck, demo_con):
    deck, _ = deck
    force_ratings = demo_con.execute("""
        select m.measure_name, r.rag from ratings r join measures m using (measure_id)
        join home_areas a using (area_id)
        where r.month = '2024-01-01' and a.area_level = 'force' and r.rag in ('red', 'amber')
        order by r.rag = 'amber', m.sort_order""").fetchall()
    # 7 changes since November 2023 at 5 a slide: 2 slides. 56 questions would take 14 slides, too
    # many to read aloud, so the force-wide ones get theirs: 10 at 4 a slide, 3 slides.
    measures = len(force_ratings)
    assert [s.kind for s in deck] == (["headline", "areas", "map"] + ["measure"] * measures
                                      + ["changes"] * 2 + ["questions"] * 3)
    assert [(s.title.split(":")[0], s.rag) for s in deck[3:3 + measures]] == force_ratings
    assert [s.rag for s in deck[3:3 + measures]] == sorted((s.rag for s in deck[3:3 + measures]), key=[RED, AMBER].index)


def test_the_map_slide_colours_every_area_by_its_change_with_text_for_a_big_screen(deck):
    on_the_map = deck[0][2]
    assert on_the_map.title == "On the map: all crime fell in 8 of 8 areas"
    assert "tile map" in on_the_map.subtitle  # the demo has no boundaries loaded
    filled = [t for t in on_the_map.figure.data if t.fill == "toself"]
    assert len(filled) == 8 and len(on_the_map.table) == 8
    labels = next(t for t in on_the_map.figure.data if t.mode == "text")
    assert labels.textfont.size >= MIN_CHART_TEXT_PX


def test_the_headline_slide_gives_counts_beside_percentages(deck):
    headline = deck[0][0]
    assert headline.title == "All crime down 5.8% (7,774 against 8,249)"
    assert headline.numbers[0] == slides.BigNumber(
        "All crime", "7,774", "down 5.8% on 8,249 in January 2023; a notable change")
    assert headline.numbers[1].label == "Anti-social behaviour"
    assert headline.story == f"All crime, rated amber: {ALL_CRIME_JANUARY_2024}"
    # with the demo plan's step changes, neighbourhood crime is amber (its range starts after lockdown)
    # and victim satisfaction red (screened limits, all below its 80% target)
    assert headline.rating_counts == {"red": 3, "amber": 5, "green": 2}
    html = slides.rating_counts_html(headline)
    assert "\u2716 Red: Concern</span> 3 measures" in html


def test_the_areas_slide_states_the_finding_and_has_the_figures_as_a_table(deck):
    areas = deck[0][1]
    assert areas.title == "All crime fell in 8 of 8 areas"
    assert "Melton and Rutland (\u221210.0%)" in areas.subtitle
    assert len(areas.figure.data[0].y) == 8
    assert list(areas.table.columns[:3]) == ["Area", "January 2024", "January 2023"]
    assert len(areas.table) == 8 and areas.file_name == "areas-all-crime-2024-01.csv"


def test_a_measure_slide_carries_the_stored_explanation_and_its_chart(deck, demo_con):
    burglary = next(s for s in deck[0] if s.title.startswith("Burglary"))
    stored = demo_con.execute("""select explanation from ratings where measure_id = 'burglary'
        and area_id = 'leicestershire' and month = '2024-01-01'""").fetchone()[0]
    assert burglary.text == stored
    assert burglary.title == "Burglary: the change is for the worse" and burglary.rag == RED
    assert len(burglary.table) == 36 and burglary.figure.layout.title.text == ""
    # Sized by the page to the screen, with the axis's unit in the subtitle (on its side it was cut off).
    assert burglary.figure.layout.height is None and burglary.figure.layout.yaxis.title.text is None
    assert burglary.subtitle == "Leicester, Leicestershire and Rutland, February 2021 to January 2024 (number each month)"
    # On screen each count is written whole, with separators (the CSV keeps the numbers).
    assert burglary.shown_table.Value.tolist() == [f"{int(v):,}" for v in burglary.table.Value]


def test_every_chart_on_a_slide_is_readable_from_the_back_of_the_room_and_has_a_table(deck):
    for slide in deck[0]:
        if slide.figure is None:
            continue
        sizes = font_sizes(slide.figure.to_plotly_json())
        assert sizes, "the big-screen figure sets its font sizes"
        assert [where for where, size in sizes if size < MIN_CHART_TEXT_PX] == [], slide.title
        assert slide.figure.layout.font.size >= MIN_CHART_TEXT_PX
        assert slide.table is not None and not slide.table.empty and slide.file_name.endswith(".csv")


def test_a_slide_chart_labels_each_january_within_the_months_it_shows(deck):
    burglary = next(s for s in deck[0] if s.title.startswith("Burglary"))
    axis = burglary.figure.layout.xaxis
    assert (axis.dtick, axis.tick0) == ("M12", "2000-01-01")
    # half a month beyond February 2021 and January 2024: the step change's note no longer widens it
    assert [str(v)[:10] for v in axis.range] == ["2021-01-17", "2024-01-16"]
    (note,) = burglary.figure.layout.annotations
    assert note.text == "Step change: people back at<br>work after lockdown"


def test_the_areas_slide_puts_each_areas_figures_on_its_names_line(deck):
    areas = deck[0][1]
    labels = areas.figure.layout.yaxis.ticktext
    assert len(labels) == 8 and not any("<br>" in label for label in labels)
    # Plotly draws the first label at the foot: the biggest fall (421 against 468 is down 10.0%)
    assert labels[0] == "<b>Melton and Rutland</b>: \u221210.0% (421 vs 468)"


def test_for_big_screen_leaves_the_dashboard_figure_as_it_was(demo_con):
    table = meeting.areas(meeting.runner(demo_con), JANUARY_2024, "All crime")
    figure = charts.area_comparison_chart(table, "All crime", JANUARY_2024)
    before = figure.to_json()
    big = charts.for_big_screen(figure, show_title=False)
    assert figure.to_json() == before
    assert big.layout.title.text == "" and figure.layout.title.text == "All crime fell in 8 of 8 areas"
    # The areas' figures are in their axis labels (so narrow screens keep them): those grow too.
    assert big.layout.yaxis.tickfont.size == charts.BIG_SCREEN_TEXT
    assert figure.layout.yaxis.tickfont.size < charts.BIG_SCREEN_TEXT


def test_the_changes_slide_lists_what_moved_since_the_last_meeting_each_with_its_reason(deck):
    deck, query = deck
    first, second = [s for s in deck if s.kind == "changes"]
    changes = first
    expected = query("plan/rating_changes", month=JANUARY_2024, since=dt.date(2023, 11, 1))
    assert len(expected) == 7  # more than a slide holds: five on the first, the other two carried over
    assert first.title == "7 ratings changed since November 2023 (1 of 2)"
    assert second.title == "7 ratings changed since November 2023 (2 of 2)"
    every = [tuple(r) for r in expected[["measure_name", "area_name", "rag_before", "rag_now"]].itertuples(index=False)]
    assert [(c.measure_name, c.area_name, c.rag_before, c.rag_now) for c in first.changes + second.changes] == every
    assert len(first.changes) == 5 and first.more == second.more == ""  # every change is on a slide
    # The reason is why the rating moved, as the Overview, the Plan page and the pack word it.
    assert changes.changes[0].reason == "It changed because the run of 9 months above its usual level ended."
    html = slides.changes_html(changes)
    assert all(STYLES[c.rag_now].word in html for c in changes.changes)
    assert all(f'<p class="change-reason">{c.reason}</p>' in html for c in changes.changes)


def test_a_changed_rating_without_a_year_before_gives_the_rule_that_decided_it():
    from types import SimpleNamespace

    no_story = SimpleNamespace(story_now=None, rag_now=AMBER, decided_by_now="common_cause")
    assert slides.change_reason(no_story) == "Rated amber: no clear change."


def test_the_changes_slide_counts_from_the_month_asked_for(deck):
    _, query = deck
    since_december = slides.build_slide(query, JANUARY_2024, slides.SlidePlan("changes"), since=dt.date(2023, 12, 1))
    assert since_december.title.endswith("changed since December 2023")


def test_the_first_month_has_no_earlier_ratings_to_compare_with(deck):
    _, query = deck
    first = min(meeting.months(query))
    assert meeting.last_meeting(query, first) is None
    assert slides.changes_slide(query, first, None).title == "No earlier ratings to compare with"


def test_slide_text_from_data_is_escaped_in_html():
    slide = slides.Slide("changes", "t", changes=(slides.RatingChange("<script>", "<b>x</b>", "red", "green"),),
                         numbers=(slides.BigNumber("<i>", "1", "&"),))
    assert "<script>" not in slides.changes_html(slide) and "&lt;script&gt;" in slides.changes_html(slide)
    assert "<i>" not in slides.numbers_html(slide) and "&amp;" in slides.numbers_html(slide)


@pytest.fixture
def present(demo_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from scrutiny.core.paths import REPO_ROOT

    monkeypatch.setenv("SCRUTINY_DB", str(demo_db))

    def start(**query_params):
        at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60)
        at.query_params.update({"month": "2024-01", **query_params})
        at.run()
        at.switch_page("pages/present.py").run()
        assert not at.exception
        return at

    return start


def shown_title(at) -> str:
    return next(h.proto.body for h in at.get("html") if 'class="slide-title"' in h.proto.body)


def test_the_present_page_keeps_the_slide_in_the_link_and_steps_with_its_buttons(present):
    at = present(slide="4")
    assert "Burglary: the change is for the worse" in shown_title(at)
    at.button(key="slide-next").click().run()
    assert at.query_params["slide"] == "5" and "Victim satisfaction" in shown_title(at)
    at.button(key="slide-previous").click().run()
    at.button(key="slide-previous").click().run()
    assert at.query_params["slide"] == "3" and "On the map: all crime fell in 8 of 8 areas" in shown_title(at)
    at.button(key="slide-previous").click().run()
    assert at.query_params["slide"] == "2" and "All crime fell in 8 of 8 areas" in shown_title(at)


@pytest.mark.parametrize("param, value", [("slide", "0"), ("slide", "eleven"), ("since", "1999-01")])
def test_an_unknown_slide_or_month_in_a_link_gives_a_note_and_the_default(present, param, value):
    at = present(**{param: value})
    assert any("does not have" in w.value for w in at.warning)
    assert (at.query_params["slide"], at.query_params["since"]) == ("1", "2023-11")
    assert "All crime down 5.8%" in shown_title(at)


def test_the_all_crime_slide_squares_its_change_with_its_rating(deck):
    (all_crime,) = [s for s in deck[0] if s.kind == "measure" and s.title.startswith("All crime")]
    assert all_crime.rag == AMBER and all_crime.story == ALL_CRIME_JANUARY_2024


def test_the_questions_slides_show_every_force_wide_question_first_and_their_table_has_every_one(demo_db, deck):
    deck, query = deck
    asked = [s for s in deck if s.kind == "questions"]
    every = questions.for_month(query, JANUARY_2024)
    force_id = meeting.force(query).area_id
    force_wide = [q for q in every if q.area_id == force_id]  # red, then amber, then green (changed)
    assert len(every) == 56 and len(force_wide) == 10
    assert [s.title for s in asked] == [f"Questions the panel may wish to ask ({n} of 3)" for n in (1, 2, 3)]
    on_slides = [q for s in asked for q in s.questions]
    # the force-wide questions lead, in the order red then amber, and every one is on a slide
    assert on_slides[:10] == force_wide
    assert [q.rag for q in on_slides[:10]] == sorted((q.rag for q in force_wide), key=questions.ORDER.index)
    # then the areas' changed ratings (the Overview's list of changes names them)
    changed = {(c.measure_name, c.area_name) for c in briefing.for_month(query, JANUARY_2024).changes}
    assert all((q.measure_name, q.area_name) in changed for q in on_slides[10:])
    assert [s.more for s in asked] == ["", "", f"And {56 - 12} more: the Overview and the meeting pack list every question."]
    assert sorted(asked[0].table.Question) == sorted(q.text for q in every)
    html = slides.questions_html(asked[0])
    assert all(f'<p class="change-reason">{escape(q.text)}</p>' in html for q in asked[0].questions)


def test_question_slides_carry_every_question_when_few_else_the_force_wide_ones():
    def asked(force_wide, in_areas):
        made = [questions.Question("m", "M", "force", "F", RED, "?", True)] * force_wide
        return made + [questions.Question("m", "M", "area", "A", RED, "?", True)] * in_areas

    assert slides._question_pages(asked(0, 0), "force") == 1  # the slide saying none were drafted
    assert slides._question_pages(asked(2, 10), "force") == 3  # 12 questions: three slides of four
    assert slides._question_pages(asked(2, 11), "force") == 1  # 13 would take 4: the force's 2 take 1
    assert slides._question_pages(asked(9, 40), "force") == 3  # the force's 9 take 3


def test_a_measure_slides_legend_is_as_large_as_its_axes_with_short_names(deck):
    burglary = next(s for s in deck[0] if s.title.startswith("Burglary"))
    assert burglary.figure.layout.legend.font.size == charts.BIG_SCREEN_TEXT == 22
    names = [t.name for t in burglary.figure.data if t.showlegend is not False]
    # the lines every measure chart has, under their short names, and no long name left
    assert {"Normal range", "2-sigma", "Average", "Each month"} <= set(names)
    assert not any(name.startswith(("Normal range (", "Special cause", "Provisional:")) for name in names)
