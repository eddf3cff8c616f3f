"""The meeting pack: one PDF for a month, from the same queries as the dashboard.

A title page with the data's as-of date and where it came from; a contents list; the headline
figures; the ratings changed since the last meeting; the areas compared; every measure's rating
with its chart and explanation, grouped by the Plan's themes; the methodology; the data sources.
Every page is numbered ("Page 3 of 14"), the contents give the page of every section, and ratings
carry an icon and a word as well as a colour, so the pack reads the same printed in black and white.

The PDF is an accessible, tagged one (PDF/UA-1): WeasyPrint lays out the pack's HTML
(scrutiny.present.pack_html) and writes its structure tree (headings, tables, figures with their
alternative text), its language (en-GB) and its title. ReportLab, used before, writes no structure
tree, and public bodies must publish accessible documents. WeasyPrint needs Pango, a system library
(scripts/run-tests.sh and scripts/start-dashboard.sh install it when missing); without it the pack
cannot be made, and PackUnavailable says so in one line.

Charts are drawn by Plotly's static export (kaleido), which drives a Chromium or Chrome already
on the computer (it never downloads one). Without a browser, or if drawing fails, the pack is
still made, with each chart's figures as a table, and its title page says so.
"""
from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import io
import os
import shutil
import time
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from scrutiny.core import words
from scrutiny.core.errors import UserError
from scrutiny.core.months import Month
from scrutiny.core.vocab import RED
from scrutiny.core.crime_types import ALL_CRIME
from scrutiny.load.office_files import Peers
from scrutiny.present import comparison, meeting, peer_pattern
from scrutiny.present import questions as panel_questions
from scrutiny.present.meeting import Query
from scrutiny.present.pack_html import PLAN_NOT_LOADED_FOOTER, PackHtml, footer_text, page_style
from scrutiny.show import charts, map_views

__all__ = ["PLAN_NOT_LOADED_FOOTER", "PackResult", "PackUnavailable", "build_pack", "find_browser", "pack_bytes"]

# Where a browser for the charts may be: our own setting, kaleido's, then the usual names on PATH.
BROWSER_ENV = ("SCRUTINY_CHROMIUM", "BROWSER_PATH")
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
NO_BROWSER = ("No web browser (Chromium or Chrome) was found on the computer that made this pack, "
              "so each chart is shown as a table of its figures instead.")
NO_CHARTS_ASKED = "This pack was made without charts, as asked, so each chart is shown as a table of its figures instead."
CHART_FAILED = ("The charts could not be drawn ({reason}), so each chart is shown as a table of "
                "its figures instead.")
NO_PANGO = ("The meeting pack cannot be made on this computer: its PDF library (WeasyPrint) needs the Pango "
            "text library, which is missing (on Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0).")
CHART_WIDTH_PX, CHART_HEIGHT_PX, CHART_SCALE = 820, 460, 2
RENDER_TIMEOUT_S = 180
STYLESHEET = Path(__file__).with_name("pack.css")


class PackUnavailable(UserError):
    """The pack cannot be made here at all (no Pango): one line for the command line and the app."""


@dataclasses.dataclass(frozen=True)
class PackResult:
    pages: int
    charts_drawn: bool
    note: str           # what the title page says about the charts
    seconds: float


def find_browser() -> str | None:
    """A Chromium or Chrome to draw the charts with, or None. Nothing is ever downloaded."""
    for name in BROWSER_ENV:
        path = os.environ.get(name)
        if path:
            return path if Path(path).is_file() else None
    return next((found for name in BROWSER_NAMES if (found := shutil.which(name))), None)


def render_charts(figures: dict, browser: str) -> dict[str, bytes]:
    """PNG bytes for each figure, all drawn by one browser (starting one takes seconds)."""
    import kaleido  # imported here: the dashboard needs it only when a pack is made

    async def draw_all() -> dict[str, bytes]:
        # mathjax=False: kaleido would otherwise fetch MathJax from the internet; no chart uses it.
        async with kaleido.Kaleido(n=1, timeout=60, mathjax=False, path=browser) as k:
            return {key: await k.calc_fig(fig, opts=dict(format="png", width=CHART_WIDTH_PX,
                                                          height=_print_height(fig), scale=CHART_SCALE))
                    for key, fig in figures.items()}

    async def bounded() -> dict[str, bytes]:
        return await asyncio.wait_for(draw_all(), RENDER_TIMEOUT_S)

    return asyncio.run(bounded())


def weasyprint():
    """The PDF library, imported when a pack is made: it loads Pango, which may be missing."""
    try:
        import weasyprint as library
    except OSError:  # cffi cannot open libpango / libgobject
        raise PackUnavailable(NO_PANGO) from None
    return library


def build_pack(query: Query, month: dt.date, out: Path | BinaryIO, *, browser: str | None | bool = None,
               made_on: dt.date | None = None, questions: list | None = None,
               peers: Peers | None = None) -> PackResult:
    """Write the meeting pack for `month` to `out` (a path or a binary file).

    browser: a Chromium path, None to look for one (find_browser), or False to draw no charts
    (the pack then has tables instead, and says so). questions: the panel's questions for the
    month (a section of their own); by default those the Overview shows (questions.for_month).
    peers: the office's peer group (comparison.peer_group) for the inspection trigger; every place when None."""
    started = time.perf_counter()
    library = weasyprint()
    content = _Content.gather(query, month)
    content.inspection = [comparison.inspection_sentence(flag) for flag in comparison.home_flags_now(query, month, peers)]
    content.peer_patterns = peer_patterns(query, month, content.force.area_id, content.plan.measure_id.dropna().unique(),
                                          peers or Peers())
    content.area_peer_patterns = area_peer_patterns(query, month, content.matrix, peers or Peers())
    if questions is None:
        questions = panel_questions.for_month(query, month, peers)
    figures = content.figures()
    images, note = {}, ""
    path = find_browser() if browser is None else (browser or None)
    if browser is False:
        note = NO_CHARTS_ASKED
    elif not path:
        note = NO_BROWSER
    else:
        try:
            images = render_charts(figures, path)
        except Exception as error:  # a browser that will not start or a drawing that times out
            note = CHART_FAILED.format(reason=_short(error))
    html = PackHtml(content, images, note, made_on or dt.date.today(), questions).build()
    styles = [library.CSS(filename=str(STYLESHEET)),
              library.CSS(string=page_style(footer_text(content.month, content.plan_loaded)))]
    document = library.HTML(string=html, base_url=str(STYLESHEET.parent)).render(stylesheets=styles)
    document.write_pdf(out, pdf_variant="pdf/ua-1")
    return PackResult(len(document.pages), bool(images), note, time.perf_counter() - started)


def peer_patterns(query: Query, month: dt.date, area_id: str, measure_ids, peers: Peers) -> dict:
    """{measure_id: the peer group's ratings beside its force-wide red or amber rating}."""
    found = {}
    for measure_id in measure_ids:
        details = query("plan/rating_detail", measure=measure_id, area=area_id, month=month)
        if not details.empty and (pattern := peer_pattern.for_detail(query, peers, measure_id, area_id, month,
                                                                     details.iloc[0])):
            found[measure_id] = pattern
    return found


def area_peer_patterns(query: Query, month: dt.date, matrix: pd.DataFrame, peers: Peers) -> dict:
    """{(measure_id, area_id): the partnerships of the peer forces beside a red rating in one of the
    force's areas} (plan/rating_matrix rows), so that the pack shows the evidence its questions ask about."""
    found = {}
    for row in matrix[(matrix.area_level != "force") & (matrix.rag == RED)].itertuples():
        details = query("plan/rating_detail", measure=row.measure_id, area=row.area_id, month=month)
        if not details.empty and (pattern := peer_pattern.for_detail(query, peers, row.measure_id, row.area_id, month,
                                                                     details.iloc[0])):
            found[(row.measure_id, row.area_id)] = pattern
    return found


def pack_bytes(query: Query, month: dt.date, **options) -> bytes:
    buffer = io.BytesIO()
    build_pack(query, month, buffer, **options)
    return buffer.getvalue()


# What goes in the pack, gathered from the queries.


@dataclasses.dataclass
class _Content:
    month: Month
    force: meeting.Force
    latest_month: Month
    provenance: pd.DataFrame
    crime_types: pd.DataFrame
    areas: pd.DataFrame
    plan: pd.DataFrame
    matrix: pd.DataFrame
    evidence: dict
    populations: pd.DataFrame  # queries/maps/population_years: what the rates per 1,000 use
    area_shapes: pd.DataFrame  # the areas' outlines, or the demo's tiles, or none
    tiles: bool
    stories: dict  # crime type -> meeting.CrimeTypeStory: a change beside its measure's rating
    plan_loaded: bool  # False: crime measures only, and every page says so (words.PLAN_NOT_LOADED)
    areas_and_force: pd.DataFrame  # the areas, the records in no area and the force (meeting.areas_and_force)
    last_meeting: Month | None  # the month the panel last looked at (meeting.earlier_months), if any
    changes: pd.DataFrame  # the ratings that moved since then (meeting.rating_changes)
    inspection: list[str] = dataclasses.field(default_factory=list)  # comparison.home_flags_now, in words
    peer_patterns: dict = dataclasses.field(default_factory=dict)  # measure_id -> peer_pattern.PeerPattern (red, amber)
    area_peer_patterns: dict = dataclasses.field(default_factory=dict)  # (measure_id, area_id) -> the same, red areas
    area_kind: str = words.AREA_KINDS["npa"]  # what the home force's areas are (words.area_kind)

    @classmethod
    def gather(cls, query: Query, month: dt.date) -> "_Content":
        force = meeting.force(query)
        plan = meeting.plan(query, month)
        evidence = {}
        for measure_id in plan.measure_id.dropna().unique():
            found = meeting.measure_evidence(query, measure_id, force.area_id, month)
            if found is not None:
                evidence[measure_id] = found
        areas = meeting.areas(query, month)
        shapes, tiles = map_views.shapes_or_tiles(query, "maps/area_shapes", "area", areas.area_id)
        last_meeting = meeting.earlier_months(query, month).last_meeting
        changes = meeting.rating_changes(query, month, last_meeting) if last_meeting else pd.DataFrame()
        return cls(Month.of(month), force, max(meeting.months(query)), query("common/provenance"),
                   meeting.crime_type_changes(query, force.area_id, month),
                   areas, plan, query("plan/rating_matrix", month=month), evidence,
                   query("maps/population_years"), shapes, tiles,
                   meeting.crime_type_stories(query, force.area_id, month), meeting.plan_loaded(query),
                   meeting.areas_and_force(query, month), last_meeting, changes,
                   area_kind=words.area_kind(query("common/areas").area_level))

    def figures(self) -> dict:
        found = {"areas": charts.area_comparison_chart(self.areas, ALL_CRIME, self.month)}
        if not self.area_shapes.empty:
            found["areas_map"] = map_views.area_map(self.areas, self.area_shapes, "change", ALL_CRIME, self.month,
                                                    tiles=self.tiles)
        found.update({measure_id: e.figure for measure_id, e in self.evidence.items()})
        return found


def _print_height(fig) -> int:
    """Charts keep their own proportions on paper, within bounds that fit two to a page."""
    return int(min(max(fig.layout.height or CHART_HEIGHT_PX, 380), 600) * CHART_WIDTH_PX / 1000)


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:120]
