"""Methodology: how figures are compared and ratings decided, in plain English.

The words come from scrutiny.rate.methodology and scrutiny.core.words, which the meeting pack
renders too, so the page and the pack cannot drift apart.
"""
import streamlit as st

import ui
from scrutiny.core import words
from scrutiny.present import meeting
from scrutiny.rate import methodology, rag
from scrutiny.show import map_views

# The filters keep their values (and the link) while this page is read, for the next page.
ui.filters(uses=(), unused_why={"area": "the methods are the same for every area.",
                                 "crime_type": "the methods are the same for every crime type.",
                                 "month": "the methods are the same for every month."})

st.title("Methodology")
st.markdown(methodology.INTRO)
for section in methodology.SECTIONS:
    st.header(section.heading)
    st.markdown(words.as_markdown(section))

st.header(methodology.RULES_HEADING)
st.markdown(methodology.RULES_INTRO)
for name, rule in rag.RULES_IN_WORDS:
    style = rag.STYLES[name.lower()]
    st.markdown(f"- **{style.icon} {name} ({style.word})**: {rule}")
st.markdown(f"**Objectives of the Plan.** {meeting.OBJECTIVE_RULE}")
st.markdown(f"**Since the last meeting.** {meeting.SINCE_LAST_MEETING_RULE}")
st.markdown(words.RATINGS_STORED)

st.header("Where the figures come from")
sources = ui.query("common/provenance")
for row in sources.itertuples():
    st.markdown(f"- **{ui.escape_markdown(row.source)}**: {ui.escape_markdown(row.description)}")
st.markdown("- " + words.STREET_CRIME_SOURCE)
st.markdown("- " + ui.escape_markdown(map_views.population_note(ui.query("maps/population_years"))))

with st.expander(methodology.FOR_ANALYSTS.heading):
    st.markdown(words.as_markdown(methodology.FOR_ANALYSTS))
    st.markdown("Rows loaded from each source:")
    st.dataframe(sources[["source", "row_count"]].rename(columns={"source": "Source", "row_count": "Rows"}),
                 hide_index=True, column_config={"Rows": st.column_config.NumberColumn(format="localized")})
