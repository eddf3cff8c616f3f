"""Overview: the month at a glance for the whole force, and where the change is clearest."""
import streamlit as st

import ui
from scrutiny.core import formatting, words
from scrutiny.core.crime_types import ALL_CRIME, ANTI_SOCIAL_BEHAVIOUR
from scrutiny.present import meeting
from scrutiny.rate import yoy
from scrutiny.show.plan_view import badge_html

chosen = ui.filters()
month = chosen["month"]
year_before = month.year_before

st.title("Overview")
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
        # Streamlit reads the direction of a delta (arrow and colour) from a leading ASCII '-',
        # so the count leads with one; the percentage keeps the true minus sign.
        f"{difference:+,.0f} ({formatting.percent(row.change_pct)}) on {formatting.count(row.count_previous_year)} in {year_before.label}",
        delta_color="inverse", border=True,
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
        st.header(f"Areas with the clearest change: {ui.escape_markdown(chosen['crime_type'])}")
        movers = meeting.clearest_area_changes(ui.query, month, chosen["crime_type"])
        for row in movers.rows.itertuples():
            note = yoy.notable_note(row.notable, before=" \u2014 ")
            st.markdown(f"- **{ui.escape_markdown(row.area_name)}**: {formatting.change_phrase(row.crime_count, row.count_previous_year, row.change_pct)}{note}")
        if movers.note:
            st.markdown(ui.escape_markdown(movers.note))
    with right:
        st.header("Crime types with the clearest change")
        types = by_type.drop(index=ALL_CRIME)
        types = types.head(5)  # already from the strongest evidence of change to the weakest
        for crime_type, row in types.iterrows():
            note = yoy.notable_note(row.notable, before=" \u2014 ")
            st.markdown(f"- **{ui.escape_markdown(crime_type)}**: {formatting.change_phrase(row.crime_count, row.count_previous_year, row.change_pct)}{note}")
    st.caption(words.CLEAREST_CHANGE)  # under both lists: what they are ordered by
