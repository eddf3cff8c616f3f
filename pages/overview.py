"""Overview: the member's briefing for the month. A panel member who reads only this screen knows
what to ask: the headline, the ratings with the red ones' reasons, what changed since the last
meeting, the questions; then the month's key figures and the meeting pack. The briefing is put
together by scrutiny.present.briefing; this page only arranges it."""
import streamlit as st

import ui
from scrutiny.core import formatting, words
from scrutiny.core.crime_types import ALL_CRIME, ANTI_SOCIAL_BEHAVIOUR
from scrutiny.core.paths import database_path
from scrutiny.present import briefing, comparison, meeting, peer_pattern
from scrutiny.show import peer_view
from scrutiny.rate import yoy
from scrutiny.show.plan_view import badge_html

chosen = ui.filters(uses={"crime_type", "month"}, unused_why={"area": "the briefing is for the force as a whole."})
month = chosen["month"]
year_before = month.year_before

st.title("Overview")
# worked out once per database file, month and peer group for every session, as query results are
brief = ui.derived(briefing.for_month, month, comparison.peer_group(database_path()))
if brief is None:
    st.warning(words.BRIEFING_NOTHING_RATED.format(month=month.label))
else:
    st.markdown(f"**The member\u2019s briefing for {month.label}.** {ui.escape_markdown(brief.headline)}")
    if not brief.plan_loaded:
        st.warning(words.PLAN_NOT_LOADED)

    st.header("Ratings for the force as a whole")
    st.html("<p>" + " &nbsp; ".join(f"{badge_html(rag)} <b>{count}</b>" for rag, count in brief.counts.items()) + "</p>")

    def red_lines(reds) -> str:  # the reason names the measure and the area already
        return "".join(f'<p>{badge_html(red.rag, ui.with_the_readers_filters(red.link))} {ui.escape(red.reason)} '
                       f'<a href="{ui.escape(ui.with_the_readers_filters(red.link))}" target="_self">Its chart and explanation</a></p>'
                       + (_peers_html(red.peers) if red.peers else "") for red in reds)

    def _peers_html(found) -> str:  # is it just us? the sentence, the peers' table, the link
        return ('<div style="margin-left:1.5em">' + peer_view.peer_block_html(
            found.sentence, peer_pattern.table(found), found.month, found.link, folded=True) + "</div>")

    if not brief.reds:
        st.markdown(words.BRIEFING_NO_RED)
    else:  # st.html refuses an empty body
        st.html(red_lines(brief.reds))
    if brief.area_reds:  # not in the force's count above: a line of their own, with their own count
        st.html(f"<p><b>{words.BRIEFING_RED_IN_AREAS.format(count=len(brief.area_reds))}</b></p>"
                + red_lines(brief.area_reds))

    for sentence in brief.inspection:  # the two-quarter trigger (Compare forces has the funnel)
        st.warning(ui.escape_markdown(sentence), icon=":material/policy:")

    st.header("Changed since the last meeting")
    if brief.since is None:
        st.markdown("There is no earlier month to compare with.")
    else:
        st.caption(brief.since_note)
        if not brief.changes:
            st.markdown(words.BRIEFING_NO_CHANGES.format(since=brief.since.label, month=month.label))
        else:
            st.html("".join(
                f'<p><b>{ui.escape(c.measure_name)}, {ui.escape(c.area_name)}</b>: '
                f'{badge_html(c.rag_before, decided_by=c.decided_by_before)} in {brief.since.label} \u2192 '
                f'{badge_html(c.rag_now, ui.with_the_readers_filters(c.link), decided_by=c.decided_by_now)} in {month.label}. '
                f'<b>{ui.escape(c.why)}</b> {ui.escape(c.reason)} '
                f'<a href="{ui.escape(ui.with_the_readers_filters(c.link))}" target="_self">Its chart and explanation</a></p>' for c in brief.changes))

    st.header("Questions the panel may wish to ask")
    st.caption(words.QUESTIONS_INTRO)

    def question_list(asked) -> str:  # a drafted question names its measure and area itself
        return "<ul>" + "".join(
            f"<li>{badge_html(q.rag)} {ui.escape(q.text)}" if q.drafted else
            f"<li>{badge_html(q.rag)} <b>{ui.escape(q.measure_name)}, {ui.escape(q.area_name)}</b>: {ui.escape(q.text)}"
            f" <i>({words.OFFICERS_QUESTION})</i>" + "</li>" for q in asked) + "</ul>"

    if brief.questions:
        st.html(question_list(brief.questions))
    elif not brief.more_questions:
        st.markdown(words.BRIEFING_NO_QUESTIONS)
    if brief.more_questions:
        with st.expander(words.MORE_QUESTIONS.format(count=len(brief.more_questions))):
            st.html(question_list(brief.more_questions))

st.header("The month\u2019s key figures")
st.caption(words.KEY_FIGURES_CRIME_TYPE)
by_type = meeting.crime_type_changes(ui.query, chosen["force_id"], month).set_index("crime_type")
# The first months of the files have no year before: nothing is compared, so nothing is ranked.
compared = by_type.count_previous_year.notna().any()
st.markdown(f"**{ui.escape_markdown(chosen['force_name'])}**, {month.label}"
            + (f" compared with {year_before.label}." if compared else "."))
headline_types = [ALL_CRIME, ANTI_SOCIAL_BEHAVIOUR]
if chosen["crime_type"] not in headline_types:
    headline_types.append(chosen["crime_type"])
for column, crime_type in zip(st.columns(len(headline_types)), headline_types):
    row = by_type.loc[crime_type]
    difference = (row.crime_count - row.count_previous_year) if not formatting.is_missing(row.count_previous_year) else None
    column.metric(
        crime_type if crime_type != ANTI_SOCIAL_BEHAVIOUR else "Anti-social behaviour (not in all crime)",
        formatting.count(row.crime_count),
        None if difference is None else
        f"{formatting.signed_count(difference)} ({formatting.percent(row.change_pct)}) on "
        f"{formatting.count(row.count_previous_year)} in {year_before.label}",
        # Streamlit reads a delta's direction from a leading ASCII '-', which the true minus sign
        # of the text is not: the arrow and colour are given (a fall in crime is good, so green).
        delta_arrow="off" if not difference else "down" if difference < 0 else "up",
        delta_color="gray" if not difference else "green" if difference < 0 else "red", border=True,
    )
# Where a measure of the Plan counts a headline crime type, its rating stands beside the change on
# a year before, with the sentence that squares the two.
stories = meeting.crime_type_stories(ui.query, chosen["force_id"], month)
for crime_type in headline_types:
    if crime_type in stories:
        found = stories[crime_type]
        st.html(f"<p>{badge_html(found.rag)} <b>{ui.escape(found.measure_name)}</b>, the Plan\u2019s rating: "
                f"{ui.escape(found.sentence)}</p>")
st.caption(f"{words.ALL_CRIME_MEANS} {words.NOTABLE}")

if not compared:  # one sentence instead of the two ranked lists and their headings
    st.markdown(words.NOTHING_TO_RANK.format(year_before=year_before.label))
else:
    left, right = st.columns(2)
    with left:
        st.subheader(f"Areas with the clearest change: {ui.escape_markdown(chosen['crime_type'])}")
        movers = meeting.clearest_area_changes(ui.query, month, chosen["crime_type"])
        for row in movers.rows.itertuples():
            note = yoy.notable_note(row.notable, before=" \u2014 ")
            st.markdown(f"- **{ui.escape_markdown(row.area_name)}**: {formatting.change_phrase(row.crime_count, row.count_previous_year, row.change_pct)}{note}")
        if not movers.rows.empty and not (movers.rows.notable == True).any():  # noqa: E712 (None: no test)
            st.markdown(words.NONE_NOTABLE)
        if movers.note:
            st.markdown(ui.escape_markdown(movers.note))
    with right:
        st.subheader("Crime types with the clearest change")
        types = by_type.drop(index=ALL_CRIME)
        types = types.head(5)  # already from the strongest evidence of change to the weakest
        for crime_type, row in types.iterrows():
            note = yoy.notable_note(row.notable, before=" \u2014 ")
            st.markdown(f"- **{ui.escape_markdown(crime_type)}**: {formatting.change_phrase(row.crime_count, row.count_previous_year, row.change_pct)}{note}")
    st.caption(words.CLEAREST_CHANGE)  # under both lists: what they are ordered by

st.header("The meeting pack")
ui.meeting_pack_download(month)
st.caption("The meeting pack has every rating with its chart and explanation, the areas compared, the "
           "methodology and the data sources, ready to print.")
