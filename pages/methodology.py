"""Methodology: how figures are compared and ratings decided, in plain English."""
import streamlit as st

import ui
from scrutiny.show import map_views
from scrutiny.rate import rag, spc, story, yoy
from scrutiny.plan.plan_file import OBJECTIVE_RATING_RULE

ui.filters()  # keeps the shared filters (and the link) as they are while this page is read

st.title("Methodology")
st.markdown("""
Every rating on this dashboard is computed from the figures by published rules, the same way
every month, and comes with a written explanation. Nobody chooses a colour by hand, except for
objectives that have no figures, where the office's own status is shown with its reason and date.
""")

st.header("Comparing with a year before")
st.markdown("""
Each month is compared with **the same month a year before**, so that the usual seasonal rise and
fall is not mistaken for change. The two counts are always shown beside the percentage, because a
large percentage of a small number can mislead.
""")
st.markdown(yoy.NOTABLE_IN_WORDS)

st.subheader("Why a notable change can still be rated amber")
st.markdown(story.WHY_THEY_CAN_DIFFER)

st.header("The normal range, and unusual patterns")
st.markdown(f"""
Ratings use **statistical process control**, the method NHS England sets out in *Making Data
Count* and the one most used in UK public services for this job. It asks one question: is this
month's figure the kind of variation the measure always shows, or a sign that something has
changed?

- The **average** is the mean of the months used (the {rag.RATING_WINDOW_MONTHS} months up to the
  rated month, or all there are if fewer).
- The **normal range** (the *process limits*) runs from the average minus {spc.LIMIT_FACTOR} times
  the average month-to-month change to the average plus the same amount. Almost every month of a
  stable measure falls inside it.
- A **special cause** is a pattern that is unlikely to happen by chance, so it is a sign of real
  change. It is called an **improvement** or a **concern** by whether the measure moved the good
  or the bad way (fewer crimes is better; higher satisfaction is better). Four patterns count:
  1. **Outside the normal range**: one month above or below the process limits.
  2. **A run on one side**: 7 or more months in a row all above, or all below, the average
     (a month exactly on the average breaks the run).
  3. **A run up or down**: 7 or more months in a row each higher, or each lower, than the one
     before (a repeated figure breaks the run).
  4. **Two of three near a limit**: 2 of 3 months in a row beyond the "2-sigma" lines
     (the average plus or minus {spc.TWO_SIGMA_FACTOR} times the average month-to-month change),
     on the same side.
- A measure with **fewer than {spc.MIN_POINTS} months** of figures is not rated: too few to tell
  change from chance.
- Against a **target**, the normal range tells what to expect: if the whole range is on the right
  side of the target, it will be met every month; if it is all on the wrong side, it will not be
  met without a change; if the target is inside the range, it will be met in some months and
  missed in others.

Crime counts rise and fall with the seasons; a run of summer months above the average can show
up as a pattern. Read a rating with its chart and its explanation, which say what was found.
""")

st.header("How a rating is decided")
st.markdown("The rules are applied in this order, and the first that fits decides:")
for name, rule in rag.RULES_IN_WORDS:
    style = rag.STYLES[name.lower()]
    st.markdown(f"- **{style.icon} {name} ({style.word})**: {rule}")
st.markdown(f"**Objectives of the Plan.** {OBJECTIVE_RATING_RULE}")

st.header("Where the figures come from")
sources = ui.query("common/provenance")
for row in sources.itertuples():
    st.markdown(f"- **{row.source}**: {row.description} ({row.row_count:,} rows)")
st.markdown("""
- Street-level crime: [data.police.uk](https://data.police.uk), Open Government Licence v3.0.
  "All crime" is every crime type except anti-social behaviour, which police recorded crime does
  not count.
""")
st.markdown("- " + ui.escape_markdown(map_views.population_note(ui.query("maps/population_years"))))
