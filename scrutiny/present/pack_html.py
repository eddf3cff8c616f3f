"""The meeting pack as HTML, section by section, for WeasyPrint to lay out as a tagged PDF.

Only real HTML elements carry the structure (h1-h3, table/thead/th/td, img with alt, lists), so
the PDF's structure tree is the document's outline: a screen reader reads headings, tables and
charts' descriptions in order. Every text from data or plan files is escaped here.
"""
from __future__ import annotations

import base64
import datetime as dt
import html
import re
import pandas as pd

from scrutiny.core import formatting, words
from scrutiny.core.crime_types import ALL_CRIME
from scrutiny.core.months import Month
from scrutiny.core.vocab import OUTCOMES_PENDING
from scrutiny.core.words import Items, Section
from scrutiny.present import change_reason, meeting, peer_pattern, questions
from scrutiny.rate import methodology, rag, story, yoy
from scrutiny.show import charts, map_views, plan_view
from scrutiny.show.peer_view import level_text

PLAN_NOT_LOADED_FOOTER = "Police and Crime Plan not loaded: crime measures only"  # on every page
NOT_DATED = "Not dated: the demonstration data is built the same every time"


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def plain(text: str) -> str:
    """Plotly's bit of HTML (a title's '<br>', '<b>') as plain words, for alt text and captions."""
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", " ", text)))


def badge(rating: str, compact: bool = False, decided_by: str | None = None, label=rag.rating_label) -> str:
    """A rating: the icon, the colour's name and the word on its colour, so it reads without the
    colour (printed in black and white, or by someone who is colour blind). `label`:
    rag.place_rating_label for a peer (no target)."""
    style = rag.STYLES[rating]
    text = f"{style.icon} {rating.capitalize()}" if compact else label(rating, decided_by)
    return (f'<span class="badge" style="background:{style.colour};color:{style.text_colour}">'
            f'{esc(text)}</span>')


def peers_html(found, short: bool = False, lead: str = words.PEER_HEADING) -> str:
    """The peer group's ratings beside a red or amber rating (peer_pattern.PeerPattern): the
    sentence and a small table, each peer's rating a badge with its icon; this force or area first,
    in bold. `short`: the table kept to the peers sharing the rise, or the first few, saying how many
    more (an area's peers: some thirty partnerships, beside every red area rating). `lead`: the bold
    words before the sentence."""
    shown, more = peer_pattern.short_table(found) if short else (peer_pattern.table(found), 0)
    rows = "".join(f"<tr{_peer_row_class(r)}><td>{esc(r.place)}</td>"
                   f"<td>{_peer_badge(r.rag, r.decided_by)}</td>"
                   f'<td>{esc(r.pattern)}</td><td class="number">{level_text(r.count)}</td>'
                   f'<td class="number">{level_text(r.usual_level)}</td></tr>' for r in shown.itertuples())
    caption = words.PEER_PACK_CAPTION.format(measure=found.measure_name, month=found.month.label)
    table_html = (f'<table class="peers"><caption>{esc(caption)}</caption><thead><tr><th scope="col">Place</th><th scope="col">Rating</th>'
                  f'<th scope="col">Pattern</th><th scope="col" class="number">Count in {found.month.label}</th>'
                  f'<th scope="col" class="number">{esc(words.PEER_USUAL_LEVEL)}</th></tr></thead><tbody>{rows}</tbody></table>'
                  if not shown.empty else "")
    more_html = (words.PEER_PACK_MORE[1] if more == 1 else words.PEER_PACK_MORE["many"].format(k=more)) + " " if more else ""
    return (f'<p class="peers-line"><b>{esc(lead)}</b> {esc(found.sentence)}</p>{table_html}'
            + (f'<p class="small">{esc(more_html + words.PEER_PACK_LINK)}</p>' if found.rated else ""))


def _peer_row_class(row) -> str:
    """This force or area (bold) and an area's own partnership (italics): not among the peers counted."""
    return ' class="home"' if row.is_home else ' class="home-unit"' if row.is_home_unit else ""


def _peer_badge(rating, decided_by) -> str:
    """A peer's rating in the pack's peers' table; 'No figures' when it has none that month."""
    if formatting.is_missing(rating):
        return "No figures"
    return badge(rating, decided_by=None if formatting.is_missing(decided_by) else decided_by, label=rag.place_rating_label)


def footer_text(month: Month, plan_loaded: bool) -> str:
    return f"Meeting pack, {month.label}" + ("" if plan_loaded else f" \u2014 {PLAN_NOT_LOADED_FOOTER}")


def page_style(footer: str) -> str:
    """The running footer and 'Page X of Y' of every page (CSS page counters)."""
    quoted = footer.replace("\\", "\\\\").replace('"', '\\"')
    return (f'@page {{ @bottom-left {{ content: "{quoted}"; font-size: 8.5pt; }} '
            '@bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8.5pt; } }')


def table(rows: list[list], numeric_columns=(), css_class: str = "", bold_first_row: bool = False) -> str:
    """A plain table: the first row is its header; numbers to the right."""
    head, *body = rows

    def cell(tag: str, j: int, value, bold=False) -> str:
        cls = ' class="number"' if j in numeric_columns else ""
        text = f"<b>{esc(value)}</b>" if bold else esc(value)
        scope = ' scope="col"' if tag == "th" else ""
        return f"<{tag}{cls}{scope}>{text}</{tag}>"

    header = "".join(cell("th", j, v) for j, v in enumerate(head))
    lines = ["<tr>" + "".join(cell("td", j, v, bold_first_row and i == 0) for j, v in enumerate(row)) + "</tr>"
             for i, row in enumerate(body)]
    cls = f' class="{css_class}"' if css_class else ""
    return f"<table{cls}><thead><tr>{header}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def loaded_words(loaded_at) -> str:
    """When a source was loaded; the demo build records no time, so that it is reproducible."""
    return NOT_DATED if pd.isna(loaded_at) else formatting.day(loaded_at)


class PackHtml:
    """The pack's HTML: build() returns the whole document."""

    def __init__(self, content,  # scrutiny.present.pack._Content (no import: pack imports this)
                 images: dict[str, bytes], note: str, made_on: dt.date,
                 questions: list | None = None):
        self.c, self.images, self.note, self.made_on = content, images, note, made_on
        self.questions = questions
        self.parts: list[str] = []
        self.toc: list[tuple[int, str, str]] = []  # (level, text, anchor)

    def heading(self, text: str, level: int) -> str:
        """A heading in the contents and the bookmarks: h1 a section, h2 a theme, h3 a measure."""
        anchor = f"section-{len(self.toc) + 1}"
        self.toc.append((level, text, anchor))
        cls = ("section", "theme", "measure")[level - 1]
        return f'<h{level} class="{cls}" id="{anchor}">{esc(text)}</h{level}>'

    def add(self, *parts: str) -> None:
        self.parts.extend(parts)

    def build(self) -> str:
        self.title_page()
        body_start = len(self.parts)
        self.headlines()
        self.changes()
        if self.questions is not None:
            self.questions_section()
        self.areas()
        self.measures()
        self.methodology()
        self.sources()
        if self.questions:
            self.more_questions()
        self.parts.insert(body_start, self.contents())  # known only once every heading is made
        c = self.c
        title = f"Police and Crime Panel meeting pack, {c.month.label}"
        return ("<!DOCTYPE html>\n"
                f'<html lang="en-GB"><head><meta charset="utf-8"><title>{esc(title)}</title>'
                '<meta name="author" content="scrutiny">'
                '<meta name="description" content="Performance against the Police and Crime Plan">'
                f"</head><body>{''.join(self.parts)}"
                # The last page's number is the page count that the contents page states.
                '<span id="end"></span></body></html>')

    # The title page and the contents.

    def title_page(self):
        c = self.c
        self.add('<div class="title-page">',
                 '<p class="over-title">Police and Crime Panel</p>',
                 f"<h1>Meeting pack: performance in {esc(c.month.label)}</h1>",
                 f'<p class="force">{esc(c.force.name)}</p>',
                 f"<p><b>Data as of {esc(c.latest_month.label)}</b>: the latest month of figures in the database. "
                 f"Made on {formatting.day(self.made_on)} by the scrutiny dashboard, from the same figures and "
                 "ratings it shows.</p>")
        if (c.provenance.source == "demo").any():
            self.add(f'<p class="note">{words.as_html(words.DEMO_NOTICE)}</p>')
        if not c.plan_loaded:
            self.add(f'<p class="note">{words.as_html(words.PLAN_NOT_LOADED)}</p>')
        if self.note:
            self.add(f'<p class="note"><b>Charts shown as tables.</b> {esc(self.note)}</p>')
        self.add("<h2>Where the figures come from</h2>", self.provenance_table(), "</div>")

    def provenance_table(self) -> str:
        rows = [["Source", "What it holds", "Rows", "Months", "Loaded"]]
        for row in self.c.provenance.itertuples():
            months = (f"{Month.of(row.first_month).label} to {Month.of(row.last_month).label}"
                      if not pd.isna(row.first_month) else "")
            rows.append([row.source, row.description, formatting.count(row.row_count), months,
                         loaded_words(row.loaded_at)])
        return table(rows, numeric_columns=[2])

    def contents(self) -> str:
        entries = "".join(f'<li class="level-{level}"><a href="#{anchor}">{esc(text)}</a></li>'
                          for level, text, anchor in self.toc)
        return ('<h1 class="contents-heading" style="break-before: page">Contents</h1>'
                '<p>This pack has <span class="page-total"></span> pages, each numbered at the foot.</p>'
                f'<ol class="contents">{entries}</ol>')

    # The sections.

    def headlines(self):
        c = self.c
        year_before = c.month.year_before
        self.add(self.heading("Headline figures", 1),
                 f"<p>{esc(c.force.name)}, {c.month.label} compared with {year_before.label}. "
                 f"{words.as_html(words.ALL_CRIME_MEANS)} {words.as_html(words.NOTABLE)}</p>")
        all_crime = c.stories.get(ALL_CRIME)
        if all_crime:  # All crime's change beside its own rating, squared in one sentence
            self.add(f"<p>{badge(all_crime.rag)} <b>{esc(all_crime.measure_name)}</b>, the Plan\u2019s "
                     f"rating: {esc(all_crime.sentence)}</p>")
        for sentence in c.inspection:  # the two-quarter trigger, as on the Overview
            self.add(f'<p class="badge-line"><b>Outside the range of similar areas:</b> {esc(sentence)}</p>')
        counts = meeting.rating_counts(c.plan.dropna(subset=["measure_id"]).drop_duplicates("measure_id"))
        self.add('<p class="badge-line"><b>Ratings of the Plan\u2019s measures, force-wide:</b> '
                 + ", ".join(f"{badge(r)} {n}" for r, n in counts.items()) + "</p>")
        rows = [["Crime type", c.month.label, year_before.label, "Change", "Change (%)", "Notable"]]
        for row in c.crime_types.itertuples():
            missing = formatting.is_missing(row.count_previous_year)
            rows.append([row.crime_type, formatting.count(row.crime_count), formatting.count(row.count_previous_year),
                         "" if missing else formatting.signed_count(row.crime_count - row.count_previous_year),
                         formatting.percent(row.change_pct), yoy.notable_word(row.notable)])
        self.add(table(rows, numeric_columns=[1, 2, 3, 4], bold_first_row=True))

    def changes(self):
        """The ratings that moved since the month the panel last looked at (as the Plan page), each
        in one short paragraph: the two ratings, why it moved, and how it squares with a year before.
        Each force-wide rating's full explanation is in the measures' section."""
        c = self.c
        self.add(self.heading("Changed since the last meeting", 1))
        if c.last_meeting is None:
            self.add("<p>There is no earlier month to compare with.</p>")
            return
        since = c.last_meeting.label
        self.add(f"<p>The ratings that changed between {since}, the month the panel last looked at, and "
                 f"{c.month.label}, each with why it changed.</p>")
        if c.changes.empty:
            self.add(f"<p>No rating changed between {since} and {c.month.label}.</p>")
        for row in c.changes.itertuples():
            self.add(f'<p class="badge-line change"><b>{esc(row.measure_name)}, {esc(row.area_name)}</b>: '
                     f"{badge(row.rag_before, decided_by=row.decided_by_before)} in {since} \u2192 "
                     f"{badge(row.rag_now, decided_by=row.decided_by_now)} in {c.month.label}. "
                     f"{esc(change_reason.why(row))}" + (f" <i>{esc(row.story_now)}</i>" if row.story_now else "")
                     + "</p>")

    def questions_section(self):
        """The Overview's questions in the Overview's order: those it shows first, numbered (the
        officers' own marked as theirs; the others are drafted); the areas' other amber ratings'
        questions are an appendix at the end (more_questions), in the same order."""
        self.add(self.heading("Questions the panel may wish to ask", 1))
        if not self.questions:
            self.add(f"<p>{esc(words.BRIEFING_NO_QUESTIONS)}</p>")
            return
        first, more = questions.first_and_more(self.questions)
        self.add(f"<p>{esc(words.QUESTIONS_INTRO)}</p>")
        if first:
            self.add('<ol class="questions">', *(f"<li>{self.question(q)}</li>" for q in first), "</ol>")
        if more:
            self.add(f"<p>{esc(words.MORE_QUESTIONS_IN_APPENDIX.format(count=len(more)))}</p>")

    def more_questions(self):
        """The appendix: the areas' other amber ratings' questions, after the Overview's first ones."""
        _, more = questions.first_and_more(self.questions)
        if more:
            self.add(self.heading(f"Appendix: {words.MORE_QUESTIONS.format(count=len(more))}", 1),
                     '<ul class="questions small">', *(f"<li>{self.question(q)}</li>" for q in more), "</ul>")

    @staticmethod
    def question(q) -> str:
        """A drafted question names its measure and area itself; the officers' is labelled with them."""
        if q.drafted:
            return f"{badge(q.rag, compact=True)} {esc(q.text)}"
        return (f"{badge(q.rag, compact=True)} <b>{esc(q.measure_name)}, {esc(q.area_name)}</b>: {esc(q.text)} "
                f"<i>({esc(words.OFFICERS_QUESTION)})</i>")

    def areas(self):
        c = self.c
        title, subtitle = charts.area_comparison_title(c.areas, ALL_CRIME, c.month)
        self.add(self.heading("The areas compared", 1),
                 f"<p><b>{esc(title)}</b>. {esc(subtitle)}. Each {esc(c.area_kind)}\u2019s count of all "
                 "crime beside the same month a year before, the change, and the rate per 1,000 residents "
                 f"({esc(population_words(c.areas))}).</p>")
        if "areas" in self.images:
            self.add(self.figure("areas", self.areas_alt(title, subtitle)))
        else:  # the table below has its figures
            self.add('<p class="small">The chart is not shown here: its figures are in the table below.</p>')
        shown = meeting.areas_table(c.areas_and_force, c.month)
        rows = [list(shown.columns)]
        for row in shown.itertuples(index=False):
            rows.append([row[0], formatting.count(row[1]), formatting.count(row[2]), formatting.percent(row[3]),
                         "" if formatting.is_missing(row[4]) else f"{row[4]:.2f}", row[5]])
        # The map with its own caption, kept together with the table so no page holds the map alone.
        self.add('<div class="keep">' + table(rows, numeric_columns=[1, 2, 3, 4]))
        if "areas_map" in self.images:  # without a browser, the table says it all
            self.add(f"<p><b>The same changes on a map.</b> {esc(title)}: each area coloured by its change "
                     f"on {c.month.year_before.label}.</p>",
                     self.figure("areas_map", f"Map of the areas. {title}. {subtitle}. Each area is coloured by "
                                 "its change on a year before; the figures are in the table above."))
        self.add("</div>")

    def areas_alt(self, title: str, subtitle: str) -> str:
        bars = "; ".join(f"{row.area_name} {formatting.percent(row.change_pct)} ({formatting.count(row.crime_count)} "
                         f"against {formatting.count(row.count_previous_year)})"
                         for row in self.c.areas.dropna(subset=["change_pct"]).sort_values("change_pct").itertuples())
        return f"Bar chart: {title}. {subtitle}. Change on a year before by area: {bars}."

    def measures(self):
        c = self.c
        self.add(self.heading("The Plan\u2019s measures and their ratings", 1),
                 f"<p>Every measure of the Police and Crime Plan, rated force-wide for {c.month.label} from the "
                 "figures by the rules in the Methodology section, with the reason in words and the chart the "
                 "rating comes from. " + words.as_html(words.NORMAL_RANGE) + " " + words.as_html(words.SPECIAL_CAUSE)
                 + " " + (words.as_html(words.CHART_MARKS) if self.images else
                          "In this pack each chart is shown as a table of its figures (see the title page): "
                          + words.as_html(words.UNUSUAL_IN_TABLES)) + "</p>")
        if not c.plan_loaded:
            self.add(f'<p class="note">{words.as_html(words.PLAN_NOT_LOADED)}</p>')
        key = [badge(r) for r in rag.STYLES]
        if plan_view.has_provisional(c.matrix):  # "Not rated" alone is keyed "Too little data"
            key.append(badge(rag.NOT_RATED, decided_by=OUTCOMES_PENDING))
        self.add('<p class="badge-line">Key: ' + " &nbsp; ".join(key) + "</p>")
        shown = set()
        for theme in meeting.plan_tree(c.plan):
            self.add(self.heading(theme.name, 2))
            for objective in theme.objectives:
                line = f'<p class="objective badge-line">{badge(objective.rag)} <b>Objective: {esc(objective.name)}</b></p>'
                if objective.office:
                    self.add(line, f"<p>No figure measures this objective. Status entered by the office on "
                                   f"{esc(objective.office.day)}: {esc(objective.office.reason)}</p>")
                    continue
                self.add(line)
                for row in objective.measures:
                    self.measure(row, first_time=row.measure_id not in shown)
                    shown.add(row.measure_id)
        outside = meeting.measures_outside_plan(c.plan)
        if outside:
            self.add(self.heading("Crime measures from the street files" if not c.plan_loaded
                                  else "Measures no objective uses", 2))
            for row in outside:
                self.measure(row, first_time=True)

    def measure(self, row, first_time: bool):
        c = self.c
        evidence = c.evidence.get(row.measure_id)
        block = [self.heading(row.measure_name, 3),
                 f'<p class="badge-line">{badge(row.rag, decided_by=row.decided_by)} {esc(c.force.name)}, '
                 f"{c.month.label}</p>", f"<p>{esc(row.explanation)}</p>"]
        if sentence := story.year_and_rating(row):
            block.append(f"<p><i>{esc(sentence)}</i></p>")
        if found := c.peer_patterns.get(row.measure_id):
            block.append(peers_html(found))
        if not first_time:
            block.append('<p class="small">Its chart is shown above, where the measure first appears.</p>')
            self.add('<div class="keep">', *block, "</div>")
            return
        in_areas = c.matrix[(c.matrix.measure_id == row.measure_id) & (c.matrix.area_level != "force")]
        if not in_areas.empty:
            areas = "; ".join(f"{esc(a.area_name)} "
                              + badge(a.rag, compact=a.decided_by != OUTCOMES_PENDING, decided_by=a.decided_by)
                              for a in in_areas.itertuples())
            block.append(f'<p class="areas-line"><b>In each area:</b> {areas}</p>')
            # is it just us? each red area beside the partnerships of the peer forces, as on the Overview
            for area in in_areas[in_areas.rag == rag.RED].itertuples():
                if found := c.area_peer_patterns.get((row.measure_id, area.area_id)):
                    block.append(peers_html(found, short=True, lead=words.PEER_AREA_HEADING.format(area=area.area_name)))
        if evidence is None:
            self.add('<div class="keep">', *block, "</div>")
        elif row.measure_id in self.images:  # a heading never at the foot of a page without its chart
            alt = (f"Chart of {row.measure_name}, {c.force.name}, month by month to {c.month.label}, with its "
                   f"average and normal range. {row.explanation}")
            self.add('<div class="keep">', *block, self.figure(row.measure_id, alt), "</div>")
        else:  # a long table may run over a page; its heading stays with its first rows
            self.add('<div class="keep">', *block, "</div>", self.figures_table(evidence))

    def figure(self, key: str, alt: str) -> str:
        data = base64.b64encode(self.images[key]).decode("ascii")
        return f'<figure><img src="data:image/png;base64,{data}" alt="{esc(plain(alt))}"></figure>'

    def figures_table(self, evidence) -> str:
        """A chart's figures, month by month, where the chart cannot be drawn."""
        def value(number) -> str:
            return formatting.measure_value(number, evidence.unit)

        rows = [["Month", "Value", "Average", "Normal range", "Unusual"]]
        for r in evidence.table.itertuples(index=False):
            normal = "" if pd.isna(r[3]) else f"{value(max(r[3], 0))} to {value(r[4])}"
            rows.append([r[0], value(r[1]), "" if pd.isna(r[2]) else value(r[2]),
                         normal, "Yes: " + r[6] if r[5] == "Yes" else "No"])
        return ('<p class="small">The chart\u2019s figures, month by month (the normal range is the process '
                "limits):</p>" + table(rows, numeric_columns=[1, 2], css_class="figures"))

    def methodology(self):
        self.add(self.heading("Methodology", 1), f"<p>{words.as_html(methodology.INTRO)}</p>")
        for section in methodology.SECTIONS:
            self.add(words_section(section))
        self.add(f"<h2>{esc(methodology.RULES_HEADING)}</h2>", f"<p>{esc(methodology.RULES_INTRO)}</p>",
                 '<ul class="rules">')
        for name, rule in rag.RULES_IN_WORDS:
            self.add(f'<li class="badge-line">{badge(name.lower())} {esc(rule)}</li>')
        self.add("</ul>", f"<p><b>Objectives of the Plan.</b> {esc(meeting.OBJECTIVE_RULE)}</p>",
                 f"<p>{words.as_html(words.RATINGS_STORED)}</p>")

    def sources(self):
        c = self.c
        self.add(self.heading("The data sources", 1), self.provenance_table(), "<ul>")
        for line in (
            words.STREET_CRIME_SOURCE,
            map_views.population_note(c.populations),
            "The Police and Crime Plan\u2019s themes, objectives, measures and targets: the plan file loaded "
            "with the figures." if c.plan_loaded else words.as_plain(words.PLAN_NOT_LOADED),
        ):
            self.add(f"<li>{esc(line)}</li>")
        self.add("</ul>")


def words_section(section: Section) -> str:
    """A section of words (scrutiny.core.words) as a heading, paragraphs and lists."""
    parts = [f"<h2>{esc(section.heading)}</h2>"]
    for block in section.blocks:
        if isinstance(block, Items):
            tag = "ol" if block.numbered else "ul"
            parts.append(f"<{tag}>" + "".join(f"<li>{words.as_html(item)}</li>" for item in block.items) + f"</{tag}>")
        else:
            parts.append(f"<p>{words.as_html(block)}</p>")
    return "".join(parts)


def population_words(areas: pd.DataFrame) -> str:
    """'Census 2021 population': the year of the populations behind the areas' rates."""
    years = sorted({map_views.population_words(y) for y in areas.population_year.dropna()})
    return " and ".join(years) or "no population loaded"
