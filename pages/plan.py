"""Plan: the Police and Crime Plan's themes, objectives and measures, each rating explained."""
import pandas as pd
import streamlit as st

import ui
from scrutiny.show import peer_view, plan_view
from scrutiny.core import words
from scrutiny.core.paths import database_path
from scrutiny.core.months import Month, month_key, month_label
from scrutiny.present import change_reason, comparison, meeting, peer_pattern, questions
from scrutiny.rate import story, window
from scrutiny.rate.rag import rating_label

chosen = ui.filters(uses={"area", "month"}, unused_why={
    "crime_type": "every measure of the Plan is shown, each with its own crime type."})
month = chosen["month"]

st.title("Police and Crime Plan")
plan_loaded = meeting.plan_loaded(ui.query)
if not plan_loaded:
    st.warning(words.PLAN_NOT_LOADED)
st.markdown(
    f"Every measure of the Plan, rated for **{month.label}** from the figures by the rules on "
    f"the Methodology page, with the reason in words. {words.SPECIAL_CAUSE} {words.NORMAL_RANGE}")

matrix = ui.query("plan/rating_matrix", month=month)
if matrix.empty:
    st.warning(f"There are no ratings for {month.label}. Choose another month in the sidebar.")
    st.stop()
ui.meeting_pack_download(month)
st.caption("The meeting pack has every rating below with its chart and explanation, the areas compared, "
           "the methodology and the data sources, ready to print. The Present page shows the month on a big screen.")

st.header("Every measure in every area")
st.html(f"<p>Key: {plan_view.key_html(provisional=plan_view.has_provisional(matrix))}</p>")
st.caption("Choose a cell to see that measure's chart and explanation for that area just below.")
ui.detail_follows_the_sidebar(chosen["area"])
shown = plan_view.shown_cell(matrix, st.query_params.get("measure"), st.query_params.get("detail_area"), chosen["area"])
ui.plan_matrix(plan_view.matrix_html(matrix, month, link_params=dict(st.query_params), shown=shown),
               detail_asked=shown is not None)

st.header("Measure detail", anchor="measure-detail")
measure_names = dict(zip(matrix.measure_id, matrix.measure_name))
measure_id = ui.linked_choice("measure", list(measure_names), what="the measure", label="Measure",
                              format_func=measure_names.get)
area_ids = list(matrix[matrix.measure_id == measure_id].area_id)
asked_area = ui.choice_from_link("detail_area", list(matrix.area_id.unique()), None, "the area of the detail")
area_id = plan_view.detail_area(area_ids, asked_area, chosen["area"])
if area_ids == [chosen["force_id"]] and area_id != chosen["area"]:
    st.caption("This measure is reported for the force area only.")
detail = ui.query("plan/rating_detail", measure=measure_id, area=area_id, month=month).iloc[0]
series = ui.query("plan/measure_series", measure=measure_id, area=area_id, month=month)
result = window.spc_for_rating(series, detail, ui.query("plan/step_changes", measure=measure_id),
                               meeting.left_out_months(ui.query, area_id))
st.html(f"<p>{plan_view.badge_html(detail.rag, decided_by=detail.decided_by)} <b>{ui.escape(detail.measure_name)}, "
        f"{ui.escape(detail.area_name)}</b></p>")
st.markdown(ui.escape_markdown(detail.explanation))
if sentence := story.year_and_rating(detail):
    st.markdown(f"*{ui.escape_markdown(sentence)}*")
peer_group = comparison.peer_group(database_path())
peers_now = peer_pattern.for_detail(ui.query, peer_group, measure_id, area_id, month, detail)
if peers_now is not None:  # is it just us? (red and amber crime ratings only)
    st.html(f"<p><b>{words.PEER_HEADING}</b></p>" + peer_view.peer_block_html(
        peers_now.sentence, peer_pattern.table(peers_now), peers_now.month, peers_now.link,
        folded=True))  # an area's peers are some 26 partnerships: open, they pushed the chart 700 px down
for asked in questions.for_rating(ui.query, month, measure_id, area_id, peer_group):  # the panel's questions
    st.markdown(f"**{words.QUESTION_HEADING}:** {ui.escape_markdown(asked.text)}"
                + ("" if asked.drafted else f" *({words.OFFICERS_QUESTION})*"))
st.caption(ui.escape_markdown(detail.description))
ui.spc_chart_and_table(
    result, table_label="The same figures as a table", file_name=f"spc-{measure_id}-{area_id}-{month.key}.csv",
    improvement=detail.improvement, unit=detail.unit, target=None if pd.isna(detail.target) else float(detail.target),
    title=f"{detail.measure_name}: {rating_label(detail.rag, detail.decided_by)}",
    subtitle=f"{detail.area_name}, {Month.of(detail.window_first).label} to {Month.of(detail.window_last).label}",
    provisional=meeting.provisional_months(ui.query, measure_id, area_id, month))
advice = plan_view.lasting_shift_advice(result, measure_id)
if advice:  # for the office: nothing re-bases on its own
    st.info(f"For the office: {advice[0]} Add this line under `step_changes:` in the plan file, with the reason:")
    st.code(advice[1], language="yaml")


def measure_line(row) -> None:
    """A measure's force-wide rating, its explanation and how it squares with a year before."""
    sentence = story.year_and_rating(row)
    st.html(f'<div style="margin-left:1.5em"><p>{plan_view.badge_html(row.rag, decided_by=row.decided_by)} '
            f'<b>{ui.escape(row.measure_name)}</b>: {ui.escape(row.explanation)}</p>'
            + (f'<p><i>{ui.escape(sentence)}</i></p>' if sentence else "") + '</div>')


plan_rows = meeting.plan(ui.query, month)
if plan_loaded:
    st.header("Themes and objectives")
for theme in meeting.plan_tree(plan_rows):
    st.subheader(theme.name)
    for objective in theme.objectives:
        st.html(f"<p>{plan_view.badge_html(objective.rag)} <b>{ui.escape(objective.name)}</b></p>")
        if objective.office:
            st.markdown(f"Status entered by the office on {objective.office.day}: "
                        f"{ui.escape_markdown(objective.office.reason)}")
        for row in objective.measures:
            measure_line(row)
if outside := meeting.measures_outside_plan(plan_rows):
    st.header("Crime measures from the street files" if not plan_loaded else "Measures no objective uses")
    for row in outside:
        measure_line(row)

st.header("Changed since the last meeting")
earlier = meeting.earlier_months(ui.query, month)
if not earlier.months:
    st.info("There is no earlier month to compare with.")
else:
    since = ui.linked_choice("since", earlier.months, what="the month to compare with",
                             label="Compare with the ratings of", default=earlier.last_meeting,
                             link_text=month_key, format_func=month_label)
    changes = meeting.rating_changes(ui.query, month, since)
    if changes.empty:
        st.markdown(f"No rating changed between {since.label} and {month.label}.")
    for row in changes.itertuples():
        st.html(f"<p><b>{ui.escape(row.measure_name)}, {ui.escape(row.area_name)}</b>: "
                f"{plan_view.badge_html(row.rag_before, decided_by=row.decided_by_before)} in {since.label} \u2192 "
                f"{plan_view.badge_html(row.rag_now, decided_by=row.decided_by_now)} in {month.label}. "
                f"{ui.escape(change_reason.why(row))}</p>")  # why first: the two explanations follow
        st.markdown(f"- **{since.label}**: {ui.escape_markdown(row.explanation_before)}"
                    + (f" *{ui.escape_markdown(row.story_before)}*" if row.story_before else "") + "\n"
                    f"- **{month.label}**: {ui.escape_markdown(row.explanation_now)}"
                    + (f" *{ui.escape_markdown(row.story_now)}*" if row.story_now else ""))
