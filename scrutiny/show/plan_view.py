"""What the Plan page and the meeting pack show, built from query results (no Streamlit here)."""
from __future__ import annotations

import html

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


def badge_html(rag: str, link: str | None = None, compact: bool = False, decided_by: str | None = None) -> str:
    """A rating badge: icon, colour name and word on the rating's colour (escaped, never raw data).
    Compact badges (icon and colour name) are for the matrix, where the key gives the words.
    `decided_by` words a provisional month as such (rating_label)."""
    style = STYLES[rag]
    text = html.escape(f"{style.icon} {rag.capitalize()}" if compact else rating_label(rag, decided_by))
    inner = (f'<span style="background:{style.colour};color:{style.text_colour};padding:2px 8px;'
             f'border-radius:4px;white-space:nowrap;font-weight:600">{text}</span>')
    return f'<a href="{html.escape(link)}" target="_self" style="text-decoration:none">{inner}</a>' if link else inner


def key_html(provisional: bool = False) -> str:
    """The matrix's key: each rating's badge, and the provisional one when a cell is provisional."""
    badges = [badge_html(rag) for rag in STYLES]
    if provisional:
        badges.append(badge_html(NOT_RATED, decided_by=OUTCOMES_PENDING))
    return " &nbsp; ".join(badges)


def has_provisional(matrix: pd.DataFrame) -> bool:
    """Whether any cell of plan/rating_matrix is a month whose outcomes are still being recorded."""
    return bool((matrix.decided_by == OUTCOMES_PENDING).any())


def matrix_html(matrix: pd.DataFrame, month: Month) -> str:
    """Measures down, areas across; every cell a badge that links to that measure's chart."""
    areas = matrix.drop_duplicates("area_id")[["area_id", "area_name"]]
    head = "".join(f'<th scope="col" style="text-align:left;padding:6px">{html.escape(n)}</th>' for n in areas.area_name)
    rows = []
    for measure_id, cells in matrix.groupby("measure_id", sort=False):
        by_area = cells.set_index("area_id")
        tds = []
        for area_id in areas.area_id:
            if area_id in by_area.index:
                link = f"?measure={measure_id}&area={area_id}&month={month.key}#measure-detail"
                cell = by_area.loc[area_id]
                # a provisional cell says so in words: the key's "Not rated" word is "Too little data"
                provisional = cell.decided_by == OUTCOMES_PENDING
                tds.append(f'<td style="padding:6px">{badge_html(cell.rag, link, compact=not provisional, decided_by=cell.decided_by)}</td>')
            else:
                tds.append('<td style="padding:6px;color:#505A5F">not measured</td>')
        name = html.escape(cells.measure_name.iloc[0])
        rows.append(f'<tr><th scope="row" style="text-align:left;padding:6px">{name}</th>{"".join(tds)}</tr>')
    return ('<div style="overflow-x:auto"><table style="border-collapse:collapse;font-size:16px">'
            f'<thead><tr><th scope="col" style="text-align:left;padding:6px">Measure</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')
