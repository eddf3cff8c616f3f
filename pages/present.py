"""Present: the chosen month's slides for the big screen, one message per screen.

No sidebar or header in view, large type, high contrast. The slide number is in the link
(`?slide=3`), and so is the month the changes are counted from (`?since=2023-11`). Previous and
Next are buttons, also worked by the Left and Right arrow keys (Streamlit's button shortcuts).
"""
import streamlit as st

import ui
from scrutiny.present import meeting, slides
from scrutiny.core.months import month_key
from scrutiny.show.plan_view import badge_html

# Only on this page: Streamlit removes the style when another page is shown.
BIG_SCREEN_STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1rem 2.5rem 2rem; max-width: 100%; }
[data-testid="stMain"] { color: #0B0C0C; background: #FFFFFF; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 28px; line-height: 1.35; }
[data-testid="stMain"] [data-testid="stAlert"] p { font-size: 22px; }
[data-testid="stMain"] h1 { font-size: 24px; font-weight: 600; padding: 0; margin: 0; }
[data-testid="stMain"] button p { font-size: 26px; }
.slide-title { font-size: 52px; line-height: 1.15; font-weight: 700; margin: 0 0 0.2em; }
.slide-title span { font-size: 34px; vertical-align: middle; }
.slide-subtitle { font-size: 28px; color: #0B0C0C; margin: 0 0 0.5em; }
.big-numbers { display: flex; flex-wrap: wrap; gap: 32px; margin: 0.5em 0 1em; }
.big-number { flex: 1 1 380px; border: 3px solid #0B0C0C; border-radius: 8px; padding: 16px 28px; }
.big-number p { margin: 0; }
.big-number-label { font-size: 32px !important; font-weight: 700; }
.big-number-value { font-size: 104px !important; font-weight: 700; line-height: 1.1 !important; }
.big-number-detail { font-size: 30px !important; }
ul.rating-counts, ul.rating-changes { list-style: none; padding: 0; }
ul.rating-counts li, ul.rating-changes li { font-size: 30px; margin: 0.35em 0; }
@media (max-width: 1200px) {  /* a laptop or tablet: the words above the chart, the buttons under the title */
  .st-key-slide-body [data-testid="stHorizontalBlock"] { flex-direction: column; }
  .st-key-slide-body [data-testid="stColumn"] { width: 100% !important; flex: 1 1 auto !important; }
  .st-key-slide-bar [data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
  .st-key-slide-bar [data-testid="stColumn"] { flex: 1 1 40% !important; width: auto !important; min-width: 0; }
  .st-key-slide-bar [data-testid="stColumn"]:first-child { flex: 1 1 100% !important; }
  .slide-title { font-size: 40px; }
}
</style>"""

chosen = ui.filters(uses={"month"}, unused_why={"area": "the slides show the force as a whole.",
                                                     "crime_type": "the slides show every measure of the Plan."})
month = chosen["month"]
st.html(BIG_SCREEN_STYLE)

outline = slides.outline(ui.query, month)
# Previous and Next move through the slides, so the slide and the month compared with have no widget.
number = ui.linked_choice("slide", list(range(1, len(outline) + 1)), what="the slide", widget=None)
# "What changed since the last meeting": two months before unless the link names another month.
earlier = meeting.earlier_months(ui.query, month)
since = ui.linked_choice("since", earlier.months, what="the month to compare with", widget=None, link_text=month_key,
                         default=earlier.last_meeting) if earlier.months else None


def go_to(slide_number: int) -> None:
    st.query_params["slide"] = str(slide_number)


# Presentation clickers send Page Down and Page Up: they work the same buttons.
st.html("""<script>
if (!window.scrutinySlideKeys) {
  window.scrutinySlideKeys = true;
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    const key = !typing && {PageDown: "slide-next", PageUp: "slide-previous"}[event.key];
    const button = key && document.querySelector(`.st-key-${key} button`);
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });
}
</script>""", unsafe_allow_javascript=True)

bar_title, bar_previous, bar_next = st.container(key="slide-bar").columns([6, 1.3, 1.3], vertical_alignment="center")
with bar_title:
    st.title("Presentation")
    st.caption(f"{chosen['force_name']}, {month.label}: slide {number} of {len(outline)}")
bar_previous.button("Previous", key="slide-previous", icon=":material/arrow_back:", shortcut="Left",
                    disabled=number == 1, on_click=go_to, args=(number - 1,), width="stretch")
bar_next.button("Next", key="slide-next", icon=":material/arrow_forward:", shortcut="Right",
                disabled=number == len(outline), on_click=go_to, args=(number + 1,), width="stretch")

slide = slides.build_slide(ui.query, month, outline[number - 1], since=since)
badge = f"<span>{badge_html(slide.rag)}</span> " if slide.rag else ""
st.html(f'<h2 class="slide-title">{badge}{ui.escape(slide.title)}</h2>'
        f'<p class="slide-subtitle">{ui.escape(slide.subtitle)}</p>')
if slide.plan_note:
    st.warning(slide.plan_note)

with st.container(key="slide-body"):
    if slide.kind == "headline":
        st.html(slides.numbers_html(slide))
        if slide.story:
            st.html(f'<p class="slide-story">{ui.escape(slide.story)}</p>')
        st.html(slides.rating_counts_html(slide))
    elif slide.kind == "measure":
        words, chart = st.columns([2, 3])
        words.markdown(ui.escape_markdown(slide.text))
        if slide.story:
            words.markdown(f"*{ui.escape_markdown(slide.story)}*")
        chart.plotly_chart(slide.figure, width="stretch", theme=None, config={"displaylogo": False})
    elif slide.kind == "changes":
        st.html(slides.changes_html(slide))
    if slide.figure is not None and slide.kind != "measure":
        st.plotly_chart(slide.figure, width="stretch", theme=None, config={"displaylogo": False})

if slide.table is not None:
    with st.expander("The figures on this slide as a table"):
        st.dataframe(slide.table if slide.shown_table is None else slide.shown_table, hide_index=True, width="stretch")
        ui.download_csv(slide.table, slide.file_name)
st.page_link("pages/plan.py", label="Leave the presentation (to the Plan page)", icon=":material/close:")
