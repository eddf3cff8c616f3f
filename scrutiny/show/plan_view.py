"""What the Plan page and the meeting pack show, built from query results (no Streamlit here)."""
from __future__ import annotations

import html
from urllib.parse import urlencode

import pandas as pd

from scrutiny.core.months import Month
from scrutiny.core.vocab import NOT_RATED, OUTCOMES_PENDING
from scrutiny.rate.rag import STYLES, rating_label
from scrutiny.rate.spc import SpcResult, step_change_line
from scrutiny.show.spc_chart import lasting_shift_note


def lasting_shift_advice(result: SpcResult, measure_id: str) -> tuple[str, str] | None:
    """(what to tell the office, the line to add under step_changes: in the plan file) when the
    figures have sat on one side of the average for 12 months or more with no step change."""
    note = lasting_shift_note(result)
    if note is None:
        return None
    return note + ", if you know its cause. Nothing re-bases on its own.", step_change_line(result.lasting_shift_since, [measure_id])


def badge_html(rag: str, link: str | None = None, compact: bool = False, decided_by: str | None = None,
               label=rating_label) -> str:
    """A rating badge: icon, colour name and word on the rating's colour (escaped, never raw data).
    Compact badges (icon and colour name) are for the matrix, where the key gives the words.
    `decided_by` words a provisional month as such (rating_label); `label`: rag.place_rating_label
    for a place other than the home force (no target)."""
    style = STYLES[rag]
    text = html.escape(f"{style.icon} {rag.capitalize()}" if compact else label(rag, decided_by))
    padding = "2px 5px" if compact else "2px 8px"  # compact: nine areas across fit 1280 px beside the sidebar
    inner = (f'<span style="background:{style.colour};color:{style.text_colour};padding:{padding};'
             f'border-radius:4px;white-space:nowrap;font-weight:600">{text}</span>')
    return f'<a href="{html.escape(link)}" target="_self" style="text-decoration:none">{inner}</a>' if link else inner


def key_html(provisional: bool = False, label=rating_label) -> str:
    """The matrix's key: each rating's badge, and the provisional one when a cell is provisional.
    `label`: rag.place_rating_label for the peer group's grid (places with no targets)."""
    badges = [badge_html(rag, label=label) for rag in STYLES]
    if provisional:
        badges.append(badge_html(NOT_RATED, decided_by=OUTCOMES_PENDING))
    return " &nbsp; ".join(badges)


def has_provisional(matrix: pd.DataFrame) -> bool:
    """Whether any cell of plan/rating_matrix is a month whose outcomes are still being recorded."""
    return bool((matrix.decided_by == OUTCOMES_PENDING).any())


# The matrix fits the width it is given, measured in Chromium at 1920x1080, 1280x800 and 768x1024
# with a force of nine areas and one of fifteen (tests/test_viewports.py): area names wrap between
# words, cells are compact badges whose words are in the key. Where a table of every area cannot
# fit (a tablet with the sidebar open, or a force with many partnerships), each measure becomes a
# line of badges, each badge named with its area, so nothing is cut off and nothing scrolls
# sideways. A box narrower than MATRIX_NARROW_PX (a tablet; paper) always has lines; in a wider one
# the browser measures the table and takes lines when it is wider than its box (MATRIX_JS).
MATRIX_NARROW_PX = 780


def _lines_css(matrix: str) -> str:
    """The rules that draw the matrix `matrix` (a selector) as a line of named badges per measure."""
    return f"""
  {matrix} thead {{ display: none; }}
  {matrix} table, {matrix} tbody, {matrix} tr {{ display: block; }}
  {matrix} tr {{ border-top: 1px solid #B1B4B6; padding: 4px 0; }}
  {matrix} tbody th {{ display: block; }}
  {matrix} td {{ display: inline-block; }}
  {matrix} td .where {{ display: inline; font-size: 14px; margin-left: 4px; }}
  {matrix} td.none {{ display: none; }}
"""


MATRIX_CSS = f"""
.plan-matrix {{ container-type: inline-size; }}
.plan-matrix table {{ border-collapse: collapse; font-size: 15px; width: 100%; }}
.plan-matrix th, .plan-matrix td {{ padding: 4px 3px; text-align: left; vertical-align: middle; }}
.plan-matrix thead th {{ vertical-align: bottom; font-size: 14px; }}
.plan-matrix td.none {{ color: #505A5F; font-size: 14px; }}
.plan-matrix a {{ text-decoration: none; display: inline-block; border-radius: 6px; }}
.plan-matrix a:focus-visible, .plan-matrix a:hover {{ outline: 3px solid #0B0C0C; outline-offset: 1px; }}
.plan-matrix a[aria-current] {{ outline: 3px solid #12436D; outline-offset: 2px; }}
.plan-matrix td.wraps a span {{ white-space: normal !important; display: inline-block; }}
.plan-matrix td .where {{ display: none; }}
{_lines_css(".plan-matrix.as-lines")}
@container (max-width: {MATRIX_NARROW_PX}px) {{{_lines_css(".plan-matrix")}}}
"""


def detail_link(measure_id: str, area_id: str, link_params: dict[str, str]) -> str:
    """A cell's link: the page as it is (its filters), showing that measure's detail for that
    area. `detail_area`, not `area`: the sidebar's Area is the reader's, a cell does not change it."""
    return "?" + urlencode({**link_params, "measure": measure_id, "detail_area": area_id}) + "#measure-detail"


def detail_area(measured_in: list[str], asked: str | None, sidebar_area: str) -> str:
    """The area whose detail the Measure detail section shows: the one a cell (or a link's
    `detail_area`) asked for, else the sidebar's, else the first area the measure is reported for
    (a force-wide measure)."""
    for area_id in (asked, sidebar_area):
        if area_id in measured_in:
            return area_id
    return measured_in[0]


def shown_cell(matrix: pd.DataFrame, measure_id: str | None, asked_area: str | None,
               sidebar_area: str) -> tuple[str, str] | None:
    """(measure, area) of the cell whose detail a link or a click asked for, to mark it in the
    matrix; None when none was asked for or the link names an unknown measure."""
    measured_in = list(matrix[matrix.measure_id == measure_id].area_id)
    return (measure_id, detail_area(measured_in, asked_area, sidebar_area)) if measured_in else None


def matrix_html(matrix: pd.DataFrame, month: Month, link_params: dict[str, str] | None = None,
                shown: tuple[str, str] | None = None) -> str:
    """Measures down, areas across; every cell a badge that links to that measure's detail for that
    area (the Plan page opens it in place; the link is for a new tab and without JavaScript).
    `link_params` are the page's filters, kept in every link; `shown` (measure, area) marks the cell
    whose detail is shown."""
    link_params = {"month": month.key, **(link_params or {})}
    areas = matrix.drop_duplicates("area_id")[["area_id", "area_name"]]
    head = "".join(f'<th scope="col">{html.escape(n)}</th>' for n in areas.area_name)
    rows = []
    for measure_id, cells in matrix.groupby("measure_id", sort=False):
        by_area = cells.set_index("area_id")
        tds = []
        for area_id in areas.area_id:
            if area_id in by_area.index:
                cell = by_area.loc[area_id]
                # a provisional cell says so in words: the key's "Not rated" word is "Too little data"
                provisional = cell.decided_by == OUTCOMES_PENDING
                badge = badge_html(cell.rag, compact=not provisional, decided_by=cell.decided_by)
                current = ' aria-current="true"' if shown == (measure_id, area_id) else ""
                label = html.escape(f"{cells.measure_name.iloc[0]}, {by_area.loc[area_id, 'area_name']}: "
                                    f"{rating_label(cell.rag, cell.decided_by)}")
                wraps = ' class="wraps"' if provisional else ""  # its longer words may wrap
                tds.append(f'<td{wraps}>'
                           f'<a href="{html.escape(detail_link(measure_id, area_id, link_params))}" target="_self" '
                           f'data-measure="{html.escape(measure_id)}" data-area="{html.escape(area_id)}" '
                           f'aria-label="{label}"{current}>{badge}</a>'
                           f'<span class="where">{html.escape(by_area.loc[area_id, "area_name"])}</span></td>')
            else:
                tds.append('<td class="none">not measured</td>')
        name = html.escape(cells.measure_name.iloc[0])
        rows.append(f'<tr><th scope="row">{name}</th>{"".join(tds)}</tr>')
    return (f'<div class="plan-matrix"><style>{MATRIX_CSS}</style><table>'
            f'<thead><tr><th scope="col">Measure</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


# In the browser, a click on a cell (or Enter on it) asks the page for that cell's detail instead of
# following the link, so the page does not reload, keeps its sidebar and shows the detail just
# below; a click with a modifier key still opens the link (a new tab). The page scrolls to the
# detail when a run asks it to (ui.plan_matrix: after a click, or on opening a link to a measure),
# once for each number it sends, so a run for anything else leaves the reader where they are.
MATRIX_JS = """
export default function ({ parentElement, data, setStateValue }) {
  const root = parentElement.querySelector(".plan-matrix-root");
  root.innerHTML = data.html;
  // a table wider than its box becomes lines; measured again when the box changes width
  const fit = () => {
    const matrix = root.querySelector(".plan-matrix");
    if (!matrix) return;
    matrix.classList.remove("as-lines");
    if (matrix.querySelector("table").getBoundingClientRect().width > matrix.clientWidth + 1) matrix.classList.add("as-lines");
  };
  fit();
  if (!root.scrutinyFits) {
    root.scrutinyFits = true;
    let width = root.clientWidth;
    new ResizeObserver(() => { if (root.clientWidth !== width) { width = root.clientWidth; fit(); } }).observe(root);
  }
  const detail = () => document.getElementById("measure-detail");
  root.onclick = (event) => {
    const cell = event.target.closest("a[data-measure]");
    if (!cell || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    setStateValue("cell", { measure: cell.dataset.measure, area: cell.dataset.area });
    detail()?.scrollIntoView({ block: "start" });
  };
  // what the run drawn last asked for (0: no scroll), for the browser tests to read
  root.dataset.scrollToDetail = String(data.scroll_to_detail || 0);
  if (data.scroll_to_detail && data.scroll_to_detail !== window.scrutinyDetailScrolledFor) {
    window.scrutinyDetailScrolledFor = data.scroll_to_detail;
    let tries = 0;
    const scroll = () => detail() ? detail().scrollIntoView({ block: "start" }) : (++tries < 50 && setTimeout(scroll, 100));
    scroll();
  }
}
"""
