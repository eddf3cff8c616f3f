"""The peer group's ratings drawn as HTML ("is it just us?"): the small table beside a red or amber
rating (scrutiny.present.peer_pattern) and the grid of one measure's ratings across the peer group
over twelve months on Compare forces. Every cell is a rating's icon and word or colour name, never
colour alone; every name from the data is escaped here."""
from __future__ import annotations

import html

import pandas as pd

from scrutiny.core import words
from scrutiny.core.formatting import is_missing, measure_value
from scrutiny.core.months import Month
from scrutiny.rate.rag import STYLES, place_rating_label
from scrutiny.show.plan_view import badge_html

NO_FIGURES = "No figures"

_CELL = "padding:3px 8px;border-bottom:1px solid #b1b4b6;text-align:left"


def peer_table_html(table: pd.DataFrame, month: Month) -> str:
    """peer_pattern.table's rows: place; rating badge (icon and words) with its pattern in words
    under it, in one cell so that the table fits beside the sidebar at 1024 px; the month's count
    and its usual level side by side (one formatter). This force (or this area) comes first, bold,
    then an area's own partnership, in italics; a thicker line under them sets them apart from the
    peers counted in the sentence."""
    not_peer = (table.is_home.astype(bool) | table.is_home_unit.astype(bool)).tolist()
    rows = "".join(
        f'<tr{_row_attributes(r, last_before_peers=not_peer[i] and (i + 1 == len(not_peer) or not not_peer[i + 1]))}>'
        f'<td style="{_CELL}">{html.escape(str(r.place))}</td>'
        f'<td style="{_CELL}">{_rating_and_pattern(r.rag, r.decided_by, r.pattern)}</td>'
        f'<td style="{_CELL};text-align:right">{level_text(r.count)}</td>'
        f'<td style="{_CELL};text-align:right">{level_text(r.usual_level)}</td></tr>'
        for i, r in enumerate(table.itertuples()))
    # in a box of its own that scrolls sideways if it must (an upright tablet with the sidebar open):
    # the page itself must never scroll sideways
    return ('<div style="overflow-x:auto"><table class="peer-ratings" style="border-collapse:collapse;margin:0.3em 0 0.6em 0">'
            f'<thead><tr><th style="{_CELL}">Place</th><th style="{_CELL}">{words.PEER_RATING_AND_PATTERN}</th>'
            f'<th style="{_CELL};text-align:right">Count in {month.label}</th>'
            f'<th style="{_CELL};text-align:right">{words.PEER_USUAL_LEVEL}</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></div>')


def _row_attributes(row, last_before_peers: bool) -> str:
    """This force or area bold, an area's own partnership in italics, the last of them underlined."""
    if not (row.is_home or row.is_home_unit):
        return ""
    style = ("font-weight:700" if row.is_home else "font-style:italic") + (
        ";border-bottom:3px solid #0b0c0c" if last_before_peers else "")
    return f' class="{"home" if row.is_home else "home-unit"}" style="{style}"'


def _rating_and_pattern(rag, decided_by, pattern: str) -> str:
    """The badge, and the pattern in words under it; a peer with no figures that month only says so."""
    if is_missing(rag):
        return html.escape(pattern)
    return f'{_badge_or_none(rag, decided_by)}<div class="peer-pattern-words" style="margin-top:2px">{html.escape(pattern)}</div>'


def level_text(value) -> str:
    """A count or a usual level in the peers' table: one formatter for both, so 864.8 beside 791."""
    return "" if is_missing(value) else measure_value(value)


def peer_block_html(sentence: str, table: pd.DataFrame, month: Month, link: str | None, folded: bool = False) -> str:
    """The sentence, the table and the link to Compare forces, as one block. `folded`: the table
    and the link behind a 'The peers' ratings' toggle (the briefing, where every red rating has
    one and an area's peers are some thirty partnerships); the sentence is always shown. The toggle
    counts the peers only, not this force or area nor an area's own partnership listed first."""
    link_html = (f'<p><a href="{html.escape(link)}" target="_self">{words.PEER_LINK}</a></p>' if link else "")
    more = (peer_table_html(table, month) if not table.empty else "") + link_html
    if folded and not table.empty:
        more = (f'<details style="margin-bottom:0.8em"><summary style="cursor:pointer">{(words.PEER_TABLE_SUMMARY_ONE if peers_counted(table) == 1 else words.PEER_TABLE_SUMMARY).format(n=peers_counted(table))}</summary>'
                f'{more}</details>')
    sentence_html = f"<p>{html.escape(sentence)}</p>" if sentence else ""
    return f'<div class="peer-pattern">{sentence_html}{more}</div>'


def peers_counted(table: pd.DataFrame) -> int:
    """The rows of peer_pattern.table that are peers (not this force or area, nor its partnership)."""
    return int((~(table.is_home.astype(bool) | table.is_home_unit.astype(bool))).sum())


def _badge_or_none(rag, decided_by) -> str:
    if is_missing(rag):
        return NO_FIGURES
    return badge_html(rag, decided_by=None if is_missing(decided_by) else decided_by, label=place_rating_label)


# The grid grows with the screen, so that it reads from the back of a room on a projector: its text
# is 1rem up to about a 1024 px window and about 1.45rem at 1920 px, and its cells are sized in em,
# so they grow with it. The table takes the width it is given (up to 60em), so at 1024 px beside the
# sidebar it still fits without scrolling sideways.
GRID_FONT = "clamp(1rem, 0.35rem + 0.9vw, 1.75rem)"
MARK = "\u25B6"  # before the name of the row a link asked about (an area's partnership)


def grid_html(grid: pd.DataFrame, months: list[Month], measure_name: str, marked: str | None = None,
              marked_note: str = "") -> str:
    """One measure's ratings, places by months (peer_pattern.grid's rows: unit_id, place, is_home,
    month, rag): each cell the rating's icon on its colour, its words in the cell's title and for
    screen readers; a month with no figures is an empty cell saying so. The home places' rows are
    bold; the row of unit `marked` (the partnership holding the area a link came from) is marked
    with MARK, a tint and `marked_note` under its name."""
    by_cell = {(r.place, Month.of(r.month)): (r.rag, None if is_missing(r.decided_by) else r.decided_by)
               for r in grid.itertuples() if not is_missing(r.month)}
    ordered = grid.sort_values(["is_home", "place"], ascending=[False, True]).drop_duplicates("place")
    home = set(grid[grid.is_home.astype(bool)].place)
    # Two header rows, the years over their months, so that twelve columns fit 1024 px beside the
    # sidebar; each month's full name is in its title (and the cells' labels).
    years = "".join(f'<th scope="colgroup" colspan="{n}" style="text-align:center;border-bottom:1px solid #b1b4b6">'
                    f'{year}</th>' for year, n in pd.Series([m.year for m in months]).value_counts(sort=False).items())
    head = "".join(f'<th scope="col" style="padding:0.1em 0;font-weight:600;text-align:center;min-width:2.1em">'
                   f'<abbr title="{m.label}" style="text-decoration:none">{m.strftime("%b")}</abbr></th>'
                   for m in months)
    rows = []
    for unit_id, place in zip(ordered.unit_id, ordered.place):
        cells = "".join(_grid_cell(place, m, *by_cell.get((place, m), (None, None))) for m in months)
        weight = "700" if place in home else "400"
        name = html.escape(place)
        tint = ""
        if marked is not None and unit_id == marked:
            name = (f'<span aria-hidden="true">{MARK} </span>{name}'
                    + (f'<br><span style="font-weight:400;font-size:0.8em">{html.escape(marked_note)}</span>'
                       if marked_note else ""))
            tint = "background:#fff7bf;"
        row_class = ' class="marked"' if tint else ""
        rows.append(f'<tr{row_class}><th scope="row" style="{tint}text-align:left;'
                    f'padding:0.1em 0.5em 0.1em 0.2em;font-weight:{weight};white-space:normal;min-width:7em">'
                    f'{name}</th>{cells}</tr>')
    caption = html.escape(f"{measure_name}: each place's rating, month by month")
    return ('<div style="overflow-x:auto"><table class="ratings-grid" style="border-collapse:separate;'
            f'border-spacing:2px;font-size:{GRID_FONT};width:100%;max-width:60em">'
            '<caption style="text-align:left;font-weight:600;padding-bottom:4px">'
            f'{caption}</caption><thead><tr><th rowspan="2" scope="col" style="text-align:left;vertical-align:bottom">Place</th>'
            f'{years}</tr><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _grid_cell(place: str, month: Month, rag, decided_by) -> str:
    if is_missing(rag):
        label = f"{place}, {month.label}: no figures"
        return (f'<td title="{html.escape(label)}" aria-label="{html.escape(label)}" '
                'style="text-align:center;color:#505a5f;border:1px dashed #b1b4b6">\u2013</td>')
    style = STYLES[rag]
    label = f"{place}, {month.label}: {place_rating_label(rag, decided_by)}"
    return (f'<td title="{html.escape(label)}" aria-label="{html.escape(label)}" style="text-align:center;'
            f'background:{style.colour};color:{style.text_colour};font-weight:700;padding:0.2em 0;'
            f'border-radius:3px">{html.escape(style.icon)}</td>')
