"""Present: the chosen month's slides for the big screen, one message per screen.

No sidebar or header in view, large type, high contrast. The slide number is in the link
(`?slide=3`), and so is the month the changes are counted from (`?since=2023-11`). Previous and
Next are buttons, also worked by the Left and Right arrow keys and by a clicker's Page keys.
"""
import streamlit as st

import ui
from scrutiny.core.words import PEER_HEADING
from scrutiny.core.paths import database_path
from scrutiny.present import comparison, meeting, peer_pattern, slides
from scrutiny.show import peer_view
from scrutiny.core.months import month_key
from scrutiny.show.plan_view import badge_html

# Only on this page: Streamlit removes the style when another page is shown.
# Every slide fits the screen without scrolling, from 1024 x 768 to 1920 x 1080: type is sized by
# the screen's height (vh, within bounds), and the chart box takes the height the rest leaves
# (--slide-chart: the bar, the heading, the foot and the gaps between them). Plotly fills that box.
BIG_SCREEN_STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"] { display: none !important; }
[data-testid="stMain"] { color: #0B0C0C; background: #FFFFFF;
  --slide-text: clamp(20px, 2.6vh, 28px); --slide-chart: calc(100vh - 17rem - 11vh); }
[data-testid="stMainBlockContainer"] { padding: 0.75rem 2.5rem 0.5rem; max-width: 100%; }
[data-testid="stMainBlockContainer"] > div > [data-testid="stVerticalBlock"] { gap: 0.6rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: var(--slide-text); line-height: 1.3; }
[data-testid="stMain"] [data-testid="stAlert"] p { font-size: clamp(18px, 2.2vh, 22px); }
[data-testid="stMain"] h1 { font-size: 22px; font-weight: 600; padding: 0; margin: 0; }
[data-testid="stMain"] button p { font-size: clamp(20px, 2.4vh, 26px); }
.slide-title { font-size: clamp(32px, 4.8vh, 52px); line-height: 1.15; font-weight: 700; margin: 0; padding: 0; }
.slide-title > span { font-size: max(0.65em, var(--slide-text)); vertical-align: middle; }
.slide-subtitle { font-size: var(--slide-text); color: #0B0C0C; margin: 0.15em 0 0; }
.st-key-slide-chart [data-testid="stPlotlyChart"], .st-key-slide-chart [data-testid="stPlotlyChart"] > div,
.st-key-slide-chart .js-plotly-plot { height: var(--slide-chart) !important; min-height: 0 !important; }
/* The chart's element container too: Streamlit keeps it at the chart's default 450 px, and a taller
   chart inside it scrolled on its own, hiding the x axis. */
.st-key-slide-chart [data-testid="stElementContainer"] { height: var(--slide-chart) !important; overflow: visible !important; }
.big-numbers { display: flex; flex-wrap: wrap; gap: 32px; margin: 0.5vh 0 1vh; }
.big-number { flex: 1 1 380px; border: 3px solid #0B0C0C; border-radius: 8px; padding: 1vh 28px; }
.big-number p { margin: 0; }
.big-number-label { font-size: clamp(24px, 3vh, 32px) !important; font-weight: 700; }
.big-number-value { font-size: clamp(64px, 9.6vh, 104px) !important; font-weight: 700; line-height: 1.1 !important; }
.big-number-detail { font-size: var(--slide-text) !important; }
ul.rating-counts { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 0.4em 1.5em; }
ul.rating-changes { list-style: none; padding: 0; margin: 0; }
ul.rating-counts li { font-size: clamp(22px, 2.8vh, 30px); margin: 0; }
ul.rating-changes li { display: flex; gap: 1.5em; align-items: baseline; margin: 0 0 0.9vh;
  border-bottom: 1px solid #B1B4B6; padding-bottom: 0.6vh; }
ul.rating-changes p { margin: 0; }
ul.rating-changes .change-what { flex: 0 0 46%; font-size: var(--slide-text); }
/* the sentence read aloud is as large as the label beside it */
ul.rating-changes .change-reason { flex: 1 1 56%; font-size: var(--slide-text); }
.st-key-slide-foot [data-testid="stCaptionContainer"] p { font-size: clamp(15px, 1.7vh, 18px); margin: 0; }
.st-key-slide-foot [data-testid="stExpander"] summary p, .st-key-slide-foot a p { font-size: clamp(17px, 2vh, 22px); }
.st-key-slide-foot [data-testid="stExpander"] summary { padding: 0.3rem 0.75rem; }
@media (max-width: 900px) {  /* a tablet held upright: the words above the chart, the buttons under the title */
  .st-key-slide-body [data-testid="stHorizontalBlock"] { flex-direction: column; }
  .st-key-slide-body [data-testid="stColumn"] { width: 100% !important; flex: 1 1 auto !important; }
  .st-key-slide-bar [data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
  .st-key-slide-bar [data-testid="stColumn"] { flex: 1 1 40% !important; width: auto !important; min-width: 0; }
  .st-key-slide-bar [data-testid="stColumn"]:first-child { flex: 1 1 100% !important; }
  .st-key-slide-foot [data-testid="stHorizontalBlock"] { flex-direction: column; gap: 0.3rem; }
  .st-key-slide-foot [data-testid="stColumn"] { width: 100% !important; flex: 1 1 auto !important; }
}
</style>"""

chosen = ui.filters(uses={"month"}, unused_why={"area": "the slides show the force as a whole.",
                                                     "crime_type": "the slides show every measure of the Plan."})
month = chosen["month"]
st.html(BIG_SCREEN_STYLE)

# "What changed since the last meeting": two months before unless the link names another month.
# Previous and Next move through the slides, so the slide and the month compared with have no widget.
earlier = meeting.earlier_months(ui.query, month)
since = ui.linked_choice("since", earlier.months, what="the month to compare with", widget=None, link_text=month_key,
                         default=earlier.last_meeting) if earlier.months else None
# Worked out once for every session, as a chart is; the changes run over as many slides as they take.
# The office's peer group (the file beside the database), as the Overview and the Plan page use
peers = comparison.peer_group(database_path())
outline = ui.derived(slides.outline, month, since=since, peers=peers)
number = ui.linked_choice("slide", list(range(1, len(outline) + 1)), what="the slide", widget=None)


# Plotly sizes the chart to its box (the style's --slide-chart), again when the window changes size.
# No toolbar: on hover it covered the legend, and nobody zooms a chart in front of the chamber.
CHART_CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True}


def go_to(slide_number: int) -> None:
    st.query_params["slide"] = str(slide_number)


# The arrow keys, and the Page Down and Page Up that presentation clickers send, work the same
# buttons. Here rather than as Streamlit's button shortcuts, which print the key again beside the
# label ("Previous" between two arrows); the buttons' own arrow icon is enough.
# Presses that come while a slide is still being shown wait their turn: Streamlit merges button
# clicks that arrive during a run into one, so three quick Page Downs moved only one slide.
st.html("""<script>
if (!window.scrutinySlideKeys) {
  window.scrutinySlideKeys = true;
  const queued = [];
  let awaiting = 0;  // when the last press was sent: until its run has finished, more presses wait
  const app = () => document.querySelector('[data-testid="stApp"]');
  const idle = () => { const a = app(); return !a || a.getAttribute("data-test-script-state") !== "running"; };
  const press = (key) => {
    const button = document.querySelector(`.st-key-${key} button`);
    if (button && !button.disabled) { awaiting = Date.now(); button.click(); }
  };
  const next = () => {
    if (queued.length && idle() && (!awaiting || Date.now() - awaiting > 5000)) press(queued.shift());
  };
  let seenRunning = false;
  new MutationObserver(() => {
    if (!idle()) { seenRunning = true; return; }
    if (seenRunning) { seenRunning = false; awaiting = 0; setTimeout(next, 50); }
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ["data-test-script-state"]});
  setInterval(next, 500);  // a press whose run never showed as running is not waited on forever
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    const key = !typing && {ArrowRight: "slide-next", PageDown: "slide-next", ArrowLeft: "slide-previous",
                            PageUp: "slide-previous"}[event.key];
    if (!key) return;
    event.preventDefault();
    queued.push(key);
    next();
  });
}
</script>""", unsafe_allow_javascript=True)

bar_title, bar_previous, bar_next = st.container(key="slide-bar").columns([6, 1.3, 1.3], vertical_alignment="center")
with bar_title:
    st.title("Presentation")
    st.caption(f"{chosen['force_name']}, {month.label}: slide {number} of {len(outline)}")
bar_previous.button("Previous", key="slide-previous", icon=":material/arrow_back:",
                    disabled=number == 1, on_click=go_to, args=(number - 1,), width="stretch")
bar_next.button("Next", key="slide-next", icon=":material/arrow_forward:",
                disabled=number == len(outline), on_click=go_to, args=(number + 1,), width="stretch")

slide = ui.derived(slides.build_slide, month, outline[number - 1], since=since, peers=peers)
badge = f"<span>{badge_html(slide.rag)}</span> " if slide.rag else ""
st.html(f'<h2 class="slide-title">{badge}{ui.escape(slide.title)}</h2>'
        f'<p class="slide-subtitle">{ui.escape(slide.subtitle)}</p>')
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
        if slide.peers is not None:  # is it just us? the sentence here; the peers' table in the foot
            words.markdown(ui.escape_markdown(slide.peers.sentence))
        with chart.container(key="slide-chart"):
            st.plotly_chart(slide.figure, width="stretch", theme=None, config=CHART_CONFIG)
    elif slide.kind == "changes":
        st.html(slides.changes_html(slide))
    elif slide.kind == "questions":
        st.html(slides.questions_html(slide))
    if slide.figure is not None and slide.kind != "measure":
        with st.container(key="slide-chart"):
            st.plotly_chart(slide.figure, width="stretch", theme=None, config=CHART_CONFIG)

# The foot of every slide: the figures as a table, the way out, and lines for the demonstration
# notice and a missing Plan (as boxes above the slide they pushed it past the screen).
with st.container(key="slide-foot"):
    table, leave = st.columns([3, 2], vertical_alignment="top")
    if slide.table is not None:
        # Keyed by slide, so that each slide starts with its table closed (one left open made the
        # next slide too tall for the screen).
        with table.expander("The figures on this slide as a table", key=f"slide-table-{number}"):
            st.dataframe(slide.table if slide.shown_table is None else slide.shown_table, hide_index=True,
                         width="stretch")
            ui.download_csv(slide.table, slide.file_name)
            if slide.peers is not None and slide.peers.rated:  # the peers' table too (no room on the slide)
                st.html(f"<p><b>{PEER_HEADING}</b></p>" + peer_view.peer_block_html(
                    "", peer_pattern.table(slide.peers), slide.peers.month, slide.peers.link))
    leave.page_link("pages/plan.py", label="Leave the presentation (to the Plan page)", icon=":material/close:")
    if slide.plan_note:
        st.caption(slide.plan_note)
    notice = ui.demo_notice_text()
    if notice:
        st.caption(notice)
