"""The meeting pack: one PDF for a month, from the same queries as the dashboard.

A title page with the data's as-of date and where it came from; a contents list; the headline
figures; the areas compared; every measure's rating with its chart and explanation, grouped by
the Plan's themes; the methodology; the data sources. Every page is numbered ("Page 3 of 14"),
the contents give the page of every section, and ratings carry an icon and a word as well as a
colour, so the pack reads the same printed in black and white.

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
from html import escape
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Frame, Image, KeepTogether, PageBreak,
                                PageTemplate, Paragraph, Spacer, Table, TableStyle)
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.tableofcontents import TableOfContents

from scrutiny.show import charts, map_views, plan_view
from scrutiny.core.vocab import OUTCOMES_PENDING
from scrutiny.core import formatting
from scrutiny.present import meeting
from scrutiny.core import words
from scrutiny.core.words import Items, Section
from scrutiny.rate import methodology, rag, story, yoy
from scrutiny.core.crime_types import ALL_CRIME
from scrutiny.present.meeting import Query
from scrutiny.core.months import Month, month_label

# Where a browser for the charts may be: our own setting, kaleido's, then the usual names on PATH.
BROWSER_ENV = ("SCRUTINY_CHROMIUM", "BROWSER_PATH")
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
NO_BROWSER = ("No web browser (Chromium or Chrome) was found on the computer that made this pack, "
              "so each chart is shown as a table of its figures instead.")
NO_CHARTS_ASKED = "This pack was made without charts, as asked, so each chart is shown as a table of its figures instead."
CHART_FAILED = ("The charts could not be drawn ({reason}), so each chart is shown as a table of "
                "its figures instead.")
CHART_WIDTH_PX, CHART_HEIGHT_PX, CHART_SCALE = 820, 460, 2
RENDER_TIMEOUT_S = 180

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 2 * cm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK, RULE = colors.HexColor("#0B0C0C"), colors.HexColor("#B1B4B6")
# Icons the body font may lack, drawn from the standard ZapfDingbats font instead.
DINGBATS = {"\u2716": "\u2716", "\u2714": "\u2714", "\u25CF": "\u25CF", "\u25CB": "\u274D"}


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


def build_pack(query: Query, month: dt.date, out: Path | BinaryIO, *, browser: str | None | bool = None,
               made_on: dt.date | None = None) -> PackResult:
    """Write the meeting pack for `month` to `out` (a path or a binary file).

    browser: a Chromium path, None to look for one (find_browser), or False to draw no charts
    (the pack then has tables instead, and says so)."""
    started = time.perf_counter()
    content = _Content.gather(query, month)
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
    story = _Story(content, figures, images, note, made_on or dt.date.today()).build()
    doc = _PackDoc(str(out) if isinstance(out, os.PathLike) else out, month, content.plan_loaded)
    doc.multiBuild(story)
    return PackResult(doc.page_count, bool(images), note, time.perf_counter() - started)


def pack_bytes(query: Query, month: dt.date, **options) -> bytes:
    buffer = io.BytesIO()
    build_pack(query, month, buffer, **options)
    return buffer.getvalue()


# What goes in the pack, gathered from the queries.

PLAN_NOT_LOADED_FOOTER = "Police and Crime Plan not loaded: crime measures only"  # on every page


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
        return cls(Month.of(month), force, max(meeting.months(query)), query("common/provenance"),
                   meeting.crime_type_changes(query, force.area_id, month),
                   areas, plan, query("plan/rating_matrix", month=month), evidence,
                   query("maps/population_years"), shapes, tiles,
                   meeting.crime_type_stories(query, force.area_id, month), meeting.plan_loaded(query),
                   meeting.areas_and_force(query, month))

    def figures(self) -> dict:
        found = {"areas": charts.area_comparison_chart(self.areas, ALL_CRIME, self.month)}
        if not self.area_shapes.empty:
            found["areas_map"] = map_views.area_map(self.areas, self.area_shapes, "change", ALL_CRIME, self.month,
                                                    tiles=self.tiles)
        found.update({measure_id: e.figure for measure_id, e in self.evidence.items()})
        return found


def _population_words(areas: pd.DataFrame) -> str:
    """'Census 2021 population': the year of the populations behind the areas' rates."""
    years = sorted({map_views.population_words(y) for y in areas.population_year.dropna()})
    return " and ".join(years) or "no population loaded"


# Fonts and styles.


def _register_fonts() -> tuple[str, str, bool]:
    """(regular, bold, has_icons): DejaVu Sans where it is installed (Debian: fonts-dejavu-core),
    else the Bitstream Vera that reportlab ships, with the rating icons from ZapfDingbats."""
    candidates = [(Path("/usr/share/fonts/truetype/dejavu"), "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", True)]
    import reportlab

    candidates.append((Path(reportlab.__file__).parent / "fonts", "Vera.ttf", "VeraBd.ttf", False))
    for folder, regular, bold, has_icons in candidates:
        if (folder / regular).is_file() and (folder / bold).is_file():
            name = regular.removesuffix(".ttf")
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(folder / regular)))
                pdfmetrics.registerFont(TTFont(name + "-Bold", str(folder / bold)))
                pdfmetrics.registerFontFamily(name, normal=name, bold=name + "-Bold",
                                              italic=name, boldItalic=name + "-Bold")
            return name, name + "-Bold", has_icons
    return "Helvetica", "Helvetica-Bold", False


FONT, BOLD, FONT_HAS_ICONS = _register_fonts()


def _style(name: str, **changes) -> ParagraphStyle:
    base = dict(fontName=FONT, fontSize=10.5, leading=14.5, textColor=INK, spaceAfter=6)
    base.update(changes)
    return ParagraphStyle(name, **base)


BODY = _style("body")
SMALL = _style("small", fontSize=8.5, leading=11, spaceAfter=3)
CELL = _style("cell", fontSize=8.5, leading=10.5, spaceAfter=0)
CELL_BOLD = _style("cell-bold", parent=CELL, fontName=BOLD, fontSize=8.5, leading=10.5, spaceAfter=0)
TITLE = _style("title", fontName=BOLD, fontSize=26, leading=32, spaceAfter=14)
SUBTITLE = _style("subtitle", fontSize=15, leading=20, spaceAfter=10)
H1 = _style("h1", fontName=BOLD, fontSize=18, leading=23, spaceBefore=4, spaceAfter=8)
H2 = _style("h2", fontName=BOLD, fontSize=14, leading=18, spaceBefore=10, spaceAfter=6)
H3 = _style("h3", fontName=BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4)
BADGE_LINE = _style("badge-line", leading=18)  # room for the badges' background
OBJECTIVE = _style("objective", leading=18, spaceBefore=8)
LIST_ITEM = _style("list-item", leftIndent=18, bulletIndent=6)
NOTE = _style("note", borderColor=INK, borderWidth=1, borderPadding=8, spaceBefore=8, spaceAfter=14)
TOC_STYLES = [_style("toc0", fontName=BOLD, fontSize=11, leading=16, spaceAfter=2),
              _style("toc1", fontSize=10.5, leading=14, leftIndent=14, spaceAfter=1),
              _style("toc2", fontSize=9.5, leading=12.5, leftIndent=28, spaceAfter=0)]


def _text(value) -> str:
    """Data or plan text made safe for reportlab's paragraph markup."""
    return escape(str(value), quote=False)


def _icon(icon: str) -> str:
    return icon if FONT_HAS_ICONS else f'<font name="ZapfDingbats">{DINGBATS.get(icon, icon)}</font>'


def badge(rating: str, compact: bool = False, decided_by: str | None = None) -> str:
    """A rating as paragraph markup: the icon, the colour's name and the word on its colour, so it
    reads without the colour (printed in black and white, or by someone who is colour blind).
    `decided_by` words a provisional month as such (rag.rating_word)."""
    style = rag.STYLES[rating]
    words = rating.capitalize() if compact else f"{rating.capitalize()}: {rag.rating_word(rating, decided_by)}"
    words = _text(words).replace(" ", "\u00a0")  # a badge never breaks across lines
    return (f'<font backColor="{style.colour}" color="{style.text_colour}" name="{BOLD}">'
            f'\u00a0{_icon(style.icon)}\u00a0{words}\u00a0</font>')


# The document: numbered pages, a contents list that knows every heading's page, PDF bookmarks.


class _Heading(Paragraph):
    """A heading that goes into the contents list and the PDF's bookmarks."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str):
        super().__init__(text, style)
        self.toc_level, self.toc_key = level, key


class _PageCount(Flowable):
    """'This pack has N pages.': N from the previous pass of the build, which reruns until it holds."""

    def __init__(self):
        super().__init__()
        self.pages_seen, self.pages_shown = 0, 0
        self._paragraph = None

    def isIndexing(self):
        return 1

    def isSatisfied(self):
        return self.pages_shown == self.pages_seen

    def beforeBuild(self):
        self.pages_shown = self.pages_seen

    def afterBuild(self):
        pass

    def notify(self, kind, stuff):
        if kind == "PageCount":
            self.pages_seen = stuff

    def wrap(self, available_width, available_height):
        count = self.pages_shown or "?"
        self._paragraph = Paragraph(f"This pack has {count} pages, each numbered at the foot.", BODY)
        return self._paragraph.wrap(available_width, available_height)

    def draw(self):
        self._paragraph.drawOn(self.canv, 0, 0)


class _PackDoc(BaseDocTemplate):
    """Built in passes (multiBuild) until the contents list and the page count hold still; each
    page's footer gives the total from the pass before, so the last pass prints the right one."""

    def __init__(self, out, month: dt.date, plan_loaded: bool = True):
        super().__init__(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, title=f"Police and Crime Panel meeting pack, {month_label(month)}",
                         author="scrutiny", subject="Performance against the Police and Crime Plan")
        self.footer = f"Meeting pack, {month_label(month)}" + ("" if plan_loaded else f" \u2014 {PLAN_NOT_LOADED_FOOTER}")
        frame = Frame(MARGIN, MARGIN, TEXT_WIDTH, PAGE_HEIGHT - 2 * MARGIN, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._draw_footer)])
        self.page_count = 0        # pages in this pass so far
        self.pages_before = 0      # pages in the pass before

    def beforeDocument(self):
        self.pages_before, self.page_count = self.page_count, 0

    def _draw_footer(self, canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.setFillColor(INK)
        canvas.drawString(MARGIN, MARGIN / 2, self.footer)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN / 2, f"Page {doc.page} of {self.pages_before or '?'}")
        canvas.restoreState()

    def afterFlowable(self, flowable):
        if isinstance(flowable, _Heading):
            text = flowable.getPlainText()
            self.canv.bookmarkPage(flowable.toc_key)
            self.canv.addOutlineEntry(text, flowable.toc_key, level=flowable.toc_level, closed=flowable.toc_level > 0)
            self.notify("TOCEntry", (flowable.toc_level, text, self.page, flowable.toc_key))

    def afterPage(self):
        self.page_count = self.page
        self.notify("PageCount", self.page)


# The story, section by section.


class _Story:
    def __init__(self, content: _Content, figures: dict, images: dict[str, bytes], note: str, made_on: dt.date):
        self.c, self.figures, self.images, self.note, self.made_on = content, figures, images, note, made_on
        self.flow: list = []
        self.headings = 0

    def new_heading(self, text: str, level: int) -> _Heading:
        self.headings += 1
        return _Heading(_text(text), (H1, H2, H3)[level], level, key=f"section-{self.headings}")

    def build(self) -> list:
        self.title_page()
        self.contents()
        self.headlines()
        self.areas()
        self.measures()
        self.methodology()
        self.sources()
        return self.flow

    def add(self, *flowables):
        self.flow.extend(flowables)

    def section(self, text: str):
        """A new section, on a new page."""
        self.add(PageBreak(), self.new_heading(text, 0))

    def title_page(self):
        c = self.c
        demo = (c.provenance.source == "demo").any()
        self.add(Spacer(1, 2.5 * cm),
                 Paragraph("Police and Crime Panel", SUBTITLE),
                 Paragraph(f"Meeting pack: performance in {_text(c.month.label)}", TITLE),
                 Paragraph(_text(c.force.name), SUBTITLE),
                 Spacer(1, 0.6 * cm),
                 Paragraph(f"<b>Data as of {_text(c.latest_month.label)}</b>: the latest month of "
                           f"figures in the database. Made on {formatting.day(self.made_on)} by the scrutiny "
                           "dashboard, from the same figures and ratings it shows.", BODY))
        if demo:
            self.add(Paragraph(words.as_html(words.DEMO_NOTICE), NOTE))
        if not c.plan_loaded:
            self.add(Paragraph(words.as_html(words.PLAN_NOT_LOADED), NOTE))
        if self.note:
            self.add(Paragraph(f"<b>Charts shown as tables.</b> {_text(self.note)}", NOTE))
        self.add(Paragraph("<b>Where the figures come from</b>", H3), self.provenance_table())

    def provenance_table(self) -> Table:
        rows = [["Source", "What it holds", "Rows", "Months", "Loaded"]]
        for row in self.c.provenance.itertuples():
            months = (f"{Month.of(row.first_month).label} to {Month.of(row.last_month).label}"
                      if not pd.isna(row.first_month) else "")
            loaded = "" if pd.isna(row.loaded_at) else formatting.day(row.loaded_at)
            rows.append([row.source, row.description, formatting.count(row.row_count), months, loaded])
        return _table(rows, [2.2 * cm, 7.8 * cm, 1.6 * cm, 3 * cm, 2.4 * cm], numeric_columns=[2])

    def contents(self):
        self.add(PageBreak(), Paragraph("Contents", H1), _PageCount())
        toc = TableOfContents(dotsMinLevel=0, levelStyles=TOC_STYLES)
        toc.rightColumnWidth = 1.4 * cm
        self.add(toc)

    def headlines(self):
        c = self.c
        year_before = c.month.year_before
        self.section("Headline figures")
        self.add(Paragraph(f"{_text(c.force.name)}, {c.month.label} compared with "
                           f"{year_before.label}. {words.as_html(words.ALL_CRIME_MEANS)} "
                           f"{words.as_html(words.NOTABLE)}", BODY))
        all_crime = c.stories.get(ALL_CRIME)
        if all_crime:  # All crime's change beside its own rating, squared in one sentence
            self.add(Paragraph(f"{badge(all_crime.rag)} <b>{_text(all_crime.measure_name)}</b>, the Plan\u2019s "
                               f"rating: {_text(all_crime.sentence)}", BODY))
        counts = meeting.rating_counts(c.plan.dropna(subset=["measure_id"]).drop_duplicates("measure_id"))
        self.add(Paragraph("<b>Ratings of the Plan\u2019s measures, force-wide:</b> " + ", ".join(
            f"{badge(r)} {n}" for r, n in counts.items()), BADGE_LINE))
        rows = [["Crime type", c.month.label, year_before.label, "Change", "Change (%)", "Notable"]]
        for row in c.crime_types.itertuples():
            missing = formatting.is_missing(row.count_previous_year)
            rows.append([row.crime_type, formatting.count(row.crime_count), formatting.count(row.count_previous_year),
                         "" if missing else formatting.signed_count(row.crime_count - row.count_previous_year),
                         formatting.percent(row.change_pct), yoy.notable_word(row.notable)])
        self.add(_table(rows, [5.2 * cm, 2.4 * cm, 2.4 * cm, 2.2 * cm, 2.4 * cm, 2 * cm],
                        numeric_columns=[1, 2, 3, 4], bold_first_row=True))

    def areas(self):
        c = self.c
        title, subtitle = charts.area_comparison_title(c.areas, ALL_CRIME, c.month)
        self.section("The areas compared")
        self.add(Paragraph(f"<b>{_text(title)}</b>. {_text(subtitle)}. Each neighbourhood policing area\u2019s "
                           "count of all crime beside the same month a year before, the change, and the "
                           f"rate per 1,000 residents ({_population_words(c.areas)}).", BODY))
        self.add(*self.chart_or_table("areas", None))
        table = meeting.areas_table(c.areas_and_force, c.month)
        rows = [list(table.columns)]
        for row in table.itertuples(index=False):
            rows.append([row[0], formatting.count(row[1]), formatting.count(row[2]), formatting.percent(row[3]),
                         "" if formatting.is_missing(row[4]) else f"{row[4]:.2f}", row[5]])
        self.add(Spacer(1, 0.3 * cm),
                 _table(rows, [5 * cm, 2.5 * cm, 2.5 * cm, 2.2 * cm, 2.4 * cm, 2.4 * cm], numeric_columns=[1, 2, 3, 4]))
        if "areas_map" in self.images:  # the same changes on a map; without a browser, the table says it all
            self.add(Spacer(1, 0.3 * cm), *self.chart_or_table("areas_map", None))

    def measures(self):
        c = self.c
        self.section("The Plan\u2019s measures and their ratings")
        self.add(Paragraph(
            f"Every measure of the Police and Crime Plan, rated force-wide for {c.month.label} from "
            "the figures by the rules in the Methodology section, with the reason in words and the "
            "chart the rating comes from. " + words.as_html(words.NORMAL_RANGE) + " "
            + words.as_html(words.SPECIAL_CAUSE) + " " + (
                words.as_html(words.CHART_MARKS) if self.images else
                "In this pack each chart is shown as a table of its figures (see the title page): "
                + words.as_html(words.UNUSUAL_IN_TABLES)), BODY))
        if not c.plan_loaded:
            self.add(Paragraph(words.as_html(words.PLAN_NOT_LOADED), NOTE))
        key = [badge(r) for r in rag.STYLES]
        if plan_view.has_provisional(c.matrix):  # "Not rated" alone is keyed "Too little data"
            key.append(badge(rag.NOT_RATED, decided_by=OUTCOMES_PENDING))
        self.add(Paragraph("Key: " + " \u00a0 ".join(key), BADGE_LINE))
        shown = set()
        for theme in meeting.plan_tree(c.plan):
            # A theme's heading and an objective's line stay on the page of what follows them.
            self.pending = [self.new_heading(theme.name, 1)]
            for objective in theme.objectives:
                line = Paragraph(f"{badge(objective.rag)} <b>Objective: {_text(objective.name)}</b>", OBJECTIVE)
                if objective.office:
                    self.add(KeepTogether([
                        *self.pending, line,
                        Paragraph(f"No figure measures this objective. Status entered by the office on "
                                  f"{objective.office.day}: {_text(objective.office.reason)}", BODY)]))
                    self.pending = []
                    continue
                self.pending.append(line)
                for row in objective.measures:
                    self.measure(row, first_time=row.measure_id not in shown)
                    shown.add(row.measure_id)
        outside = meeting.measures_outside_plan(c.plan)
        if outside:
            self.pending = [self.new_heading("Crime measures from the street files" if not c.plan_loaded
                                             else "Measures no objective uses", 1)]
            for row in outside:
                self.measure(row, first_time=True)

    def measure(self, row, first_time: bool):
        c = self.c
        evidence = c.evidence.get(row.measure_id)
        block = [*self.pending, self.new_heading(row.measure_name, 2),
                 Paragraph(f"{badge(row.rag, decided_by=row.decided_by)} \u00a0{_text(c.force.name)}, {c.month.label}",
                           BADGE_LINE),
                 Paragraph(_text(row.explanation), BODY)]
        if sentence := story.year_and_rating(row):
            block.append(Paragraph(f"<i>{_text(sentence)}</i>", BODY))
        self.pending = []
        if not first_time:
            block.append(Paragraph("Its chart is shown above, where the measure first appears.", SMALL))
            self.add(KeepTogether(block))
            return
        in_areas = c.matrix[(c.matrix.measure_id == row.measure_id) & (c.matrix.area_level != "force")]
        if not in_areas.empty:
            areas = "; ".join(f"{_text(a.area_name)} "
                              + badge(a.rag, compact=a.decided_by != OUTCOMES_PENDING, decided_by=a.decided_by)
                              for a in in_areas.itertuples())
            block.append(Paragraph(f"<b>In each area:</b> {areas}", _style("areas-line", fontSize=9, leading=15)))
        chart = self.chart_or_table(row.measure_id, evidence) if evidence is not None else []
        if row.measure_id in self.images:
            self.add(KeepTogether(block + chart))  # a heading never at the foot of a page without its chart
        else:
            self.add(KeepTogether(block + chart[:1]), *chart[1:])  # a long table may run over a page

    def chart_or_table(self, key: str, evidence) -> list:
        """The chart as an image; without one, the chart's figures as a table."""
        if key in self.images:
            width = TEXT_WIDTH
            height = width * _print_height(self.figures[key]) / CHART_WIDTH_PX
            return [Image(io.BytesIO(self.images[key]), width=width, height=height)]
        if evidence is None:  # the areas chart: the table below it has its figures
            return [Paragraph("The chart is not shown here: its figures are in the table below.", SMALL)]
        table = evidence.table
        rows = [["Month", "Value", "Average", "Normal range", "Unusual"]]
        def value(number) -> str:
            return formatting.measure_value(number, evidence.unit)

        for r in table.itertuples(index=False):
            normal = "" if pd.isna(r[3]) else f"{value(max(r[3], 0))} to {value(r[4])}"
            rows.append([r[0], value(r[1]), "" if pd.isna(r[2]) else value(r[2]),
                         normal, "Yes: " + r[6] if r[5] == "Yes" else "No"])
        return [Paragraph("The chart\u2019s figures, month by month (the normal range is the process limits):", SMALL),
                _table(rows, [2.8 * cm, 2 * cm, 2 * cm, 3.4 * cm, 6.8 * cm], numeric_columns=[1, 2], font_size=7.5)]

    def methodology(self):
        self.section("Methodology")
        self.add(Paragraph(words.as_html(methodology.INTRO), BODY))
        for section in methodology.SECTIONS:
            self.add(*_section(section))
        self.add(Paragraph(_text(methodology.RULES_HEADING), H3),
                 Paragraph(_text(methodology.RULES_INTRO), BODY))
        for name, rule in rag.RULES_IN_WORDS:
            self.add(Paragraph(f"{badge(name.lower())} {_text(rule)}", _style("rule", leading=18, leftIndent=10)))
        self.add(Paragraph(f"<b>Objectives of the Plan.</b> {_text(meeting.OBJECTIVE_RULE)}", BODY),
                 Paragraph(words.as_html(words.RATINGS_STORED), BODY))

    def sources(self):
        self.section("The data sources")
        self.add(self.provenance_table(), Spacer(1, 0.4 * cm))
        for line in (
            words.STREET_CRIME_SOURCE,
            map_views.population_note(self.c.populations),
            "The Police and Crime Plan\u2019s themes, objectives, measures and targets: the plan file loaded "
            "with the figures." if self.c.plan_loaded else words.as_plain(words.PLAN_NOT_LOADED),
        ):
            self.add(Paragraph(f"\u2022 {_text(line)}", BODY))


def _section(section: Section) -> list:
    """A section of words (scrutiny.core.words) as a heading and paragraphs, lists indented."""
    flowables = [Paragraph(_text(section.heading), H3)]
    for block in section.blocks:
        if isinstance(block, Items):
            for n, item in enumerate(block.items, 1):
                flowables.append(Paragraph(words.as_html(item), LIST_ITEM,
                                           bulletText=f"{n}." if block.numbered else "\u2022"))
        else:
            flowables.append(Paragraph(words.as_html(block), BODY))
    return flowables


def _table(rows: list[list], widths: list[float], numeric_columns=(), bold_first_row=False,
           font_size: float = 8.5) -> Table:
    """A plain table: a rule under the heading row, hairlines between rows, numbers to the right."""
    styles = {}
    for bold in (False, True):
        for right in (False, True):
            styles[bold, right] = _style(f"cell-{bold}-{right}-{font_size}", fontName=BOLD if bold else FONT,
                                         fontSize=font_size, leading=font_size + 2.5, spaceAfter=0,
                                         alignment=2 if right else 0)
    body = [[Paragraph(_text(value), styles[i == 0 or (bold_first_row and i == 1), j in numeric_columns])
             for j, value in enumerate(row)] for i, row in enumerate(rows)]
    table = Table(body, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, 0), 1, INK), ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return table


def _print_height(fig) -> int:
    """Charts keep their own proportions on paper, within bounds that fit two to a page."""
    return int(min(max(fig.layout.height or CHART_HEIGHT_PX, 380), 600) * CHART_WIDTH_PX / 1000)


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:120]
