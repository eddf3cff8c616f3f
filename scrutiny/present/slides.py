"""The slides shown on the big screen at a panel meeting, built from the current data and ratings
for a month: one message per slide, its title saying it in words.

1. the headline figures (all crime and anti-social behaviour, each beside a year before, and how
   many measures have each rating);
2. the areas compared (a bar chart labelled with both counts);
3. the same changes on a map (the areas' outlines, or the demo's tiles), when there is one;
4. one slide per red, then amber, measure (force-wide): its chart and the written explanation;
5. what changed since the last meeting, over as many slides as it takes (every change is shown);
6. the questions the panel may wish to ask, the force-wide ones first, over a few slides.

No Streamlit here: pages/present.py shows these, and the tests read them as plain data.
"""
from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from scrutiny.show import charts, map_views
from scrutiny.core import formatting, words
from scrutiny.load.office_files import Peers
from scrutiny.present import briefing, meeting, peer_pattern
from scrutiny.present import change_reason as why_changed
from scrutiny.present.questions import Question
from scrutiny.core.crime_types import ALL_CRIME
from scrutiny.rate.explain import REASONS
from scrutiny.present.meeting import Query
from scrutiny.core.months import Month, month_key, month_label
from scrutiny.show.plan_view import badge_html
from scrutiny.show import spc_chart
from scrutiny.show.spc_chart import spc_table_shown
from scrutiny.rate.rag import AMBER, RED

CHANGE_COLUMNS = ("measure_name", "area_name", "rag_before", "rag_now", "explanation_before", "story_before",
                  "explanation_now", "story_now")
MAX_CHANGES_SHOWN = 5  # a slide's worth: with each one's reason, they fit a 1024 x 768 screen
MAX_QUESTIONS_SHOWN = 4  # a slide's worth: a question is two lines of big text: four fit 1024 x 768
# Questions run on to more slides only while that is few (a long list is for the pack, not read
# aloud); the force-wide questions come first and always get slides of their own.
MAX_QUESTION_SLIDES = 3
# A measure chart's legend entries, shorter on a slide, so that the legend at a readable size
# takes one or two rows over the chart rather than three or four.
SLIDE_LEGEND_NAMES = {spc_chart.LIMITS_NAME: "Normal range", spc_chart.TWO_SIGMA_NAME: "2-sigma",
                      spc_chart.IMPROVEMENT_NAME: "Improvement", spc_chart.CONCERN_NAME: "Concern",
                      spc_chart.PROVISIONAL_NAME: "Provisional"}


@dataclass(frozen=True)
class BigNumber:
    label: str
    value: str
    detail: str


@dataclass(frozen=True)
class RatingChange:
    measure_name: str
    area_name: str
    rag_before: str
    rag_now: str
    reason: str = ""  # why it is rated so now: the sentence squaring the rating with a year before


@dataclass(frozen=True)
class Slide:
    kind: str                                   # 'headline', 'areas', 'map', 'measure', 'changes' or 'questions'
    title: str                                  # the one message, in words
    subtitle: str = ""
    rag: str | None = None                      # a measure slide's rating, shown as a badge
    text: str = ""                              # a paragraph: a measure's explanation
    story: str = ""                             # how a change on a year before squares with a rating
    numbers: tuple[BigNumber, ...] = ()
    rating_counts: dict = field(default_factory=dict)
    changes: tuple[RatingChange, ...] = ()
    questions: tuple[Question, ...] = ()
    more: str = ""                              # a line saying what did not fit
    figure: go.Figure | None = None             # big-screen text, no height: the page sizes it to the screen
    table: pd.DataFrame | None = None           # the figures as a table (every chart has one)
    shown_table: pd.DataFrame | None = None     # the table as written on screen, where not as in the CSV
    file_name: str = ""                         # for the table's CSV download
    plan_note: str = ""                         # words.PLAN_NOT_LOADED on a slide of ratings, when no plan is loaded
    peers: peer_pattern.PeerPattern | None = None  # a red or amber measure's peer group that month ("is it just us?")


@dataclass(frozen=True)
class SlidePlan:
    """Which slide goes where, cheap to work out: the page builds only the slide on screen."""
    kind: str
    measure_id: str | None = None
    page: int = 1    # of a list carried over several slides (changes, questions): which part
    pages: int = 1


def outline(query: Query, month: dt.date, since: dt.date | None = None, peers: Peers | None = None) -> list[SlidePlan]:
    """The slides for `month` in order: headline, areas, the map (if there is one), each red then
    amber measure, changes since `since` (default: the last meeting) and questions, each over as
    many slides as they take."""
    ratings = meeting.force_ratings(query, month)
    measures = [SlidePlan("measure", row.measure_id)
                for rag in (RED, AMBER) for row in ratings[ratings.rag == rag].itertuples()]
    shapes, _ = _area_shapes(query, meeting.areas(query, month))
    on_a_map = [SlidePlan("map")] if not shapes.empty else []
    since = since or meeting.last_meeting(query, month)
    changed = len(meeting.rating_changes(query, month, since)) if since is not None else 0
    change_pages = max(1, math.ceil(changed / MAX_CHANGES_SHOWN))
    question_pages = _question_pages(slide_questions(query, month, peers), meeting.force(query).area_id)
    return [SlidePlan("headline"), SlidePlan("areas"), *on_a_map, *measures,
            *(SlidePlan("changes", page=p, pages=change_pages) for p in range(1, change_pages + 1)),
            *(SlidePlan("questions", page=p, pages=question_pages) for p in range(1, question_pages + 1))]


def _question_pages(asked: list[Question], force_id: str) -> int:
    """Every question's slides when that is few, else as many as the force-wide questions take."""
    every = math.ceil(len(asked) / MAX_QUESTIONS_SHOWN)
    if every <= MAX_QUESTION_SLIDES:
        return max(1, every)
    force_wide = sum(q.area_id == force_id for q in asked)
    return max(1, math.ceil(force_wide / MAX_QUESTIONS_SHOWN))


RATING_SLIDES = ("headline", "measure", "changes", "questions")  # the slides that show the Plan's ratings


def build_slide(query: Query, month: dt.date, plan: SlidePlan, since: dt.date | None = None,
                peers: Peers | None = None) -> Slide:
    """One slide; `since` is the last meeting's month (default: two months before). A slide of
    ratings says so when no Police and Crime Plan is loaded (the ratings are of crime measures only)."""
    slide = _slide(query, month, plan, since, peers or Peers())
    if plan.kind in RATING_SLIDES and not meeting.plan_loaded(query):
        slide = replace(slide, plan_note=words.PLAN_NOT_LOADED_SLIDE)
    return slide


def _slide(query: Query, month: dt.date, plan: SlidePlan, since: dt.date | None, peers: Peers) -> Slide:
    if plan.kind == "headline":
        return headline_slide(query, month, meeting.force_ratings(query, month))
    if plan.kind == "areas":
        return areas_slide(query, month)
    if plan.kind == "map":
        return map_slide(query, month)
    if plan.kind == "measure":
        area_id = meeting.force(query).area_id
        evidence = meeting.measure_evidence(query, plan.measure_id, area_id, month)
        detail = query("plan/rating_detail", measure=plan.measure_id, area=area_id, month=month).iloc[0]
        found = peer_pattern.for_detail(query, peers, plan.measure_id, area_id, month, detail)
        return replace(measure_slide(evidence, month), peers=found)
    if plan.kind == "changes":
        return changes_slide(query, month, since or meeting.last_meeting(query, month), page=plan.page)
    if plan.kind == "questions":
        return questions_slide(query, month, page=plan.page, pages=plan.pages, peers=peers)
    raise ValueError(f"unknown slide kind {plan.kind!r}")


def build_slides(query: Query, month: dt.date, since: dt.date | None = None, peers: Peers | None = None) -> list[Slide]:
    """Every slide for `month`."""
    return [build_slide(query, month, plan, since, peers) for plan in outline(query, month, since, peers)]


def headline_slide(query: Query, month: dt.date, ratings: pd.DataFrame) -> Slide:
    force = meeting.force(query)
    year_before = Month.of(month).year_before
    found = meeting.headlines(query, month)
    numbers = []
    for h in found:
        if h.count_previous_year is None:
            detail = f"no figure for {month_label(year_before)}"
        else:
            change = formatting.change_words(h.change_pct) or formatting.count(h.count)
            detail = (f"{change} on {formatting.count(h.count_previous_year)} in {month_label(year_before)}"
                      + ("; a notable change" if h.notable else ""))
        numbers.append(BigNumber(h.label, formatting.count(h.count), detail))
    first = found[0] if found else None
    title = (f"{first.label} {formatting.change_phrase(first.count, first.count_previous_year, first.change_pct)}"
             if first else f"{force.name}, {month_label(month)}")
    # All crime's change stands beside the Plan's ratings: say how it squares with its own rating.
    all_crime = meeting.crime_type_stories(query, force.area_id, month).get(ALL_CRIME)
    return Slide("headline", title, subtitle=f"{force.name}, {month_label(month)} against {month_label(year_before)}",
                 numbers=tuple(numbers), rating_counts=meeting.rating_counts(ratings),
                 story=f"{all_crime.measure_name}, rated {all_crime.rag}: {all_crime.sentence}" if all_crime else "")


def areas_slide(query: Query, month: dt.date) -> Slide:
    table = meeting.areas(query, month)
    title, subtitle = charts.area_comparison_title(table, ALL_CRIME, month)
    figure = charts.area_comparison_chart(table, ALL_CRIME, month)
    figure = charts.for_slide(figure)
    # Each area's figures on the line of its name: eight two-line labels overlap on a 768 px screen.
    figure.update_yaxes(ticktext=[label.replace("<br>", ": ", 1) for label in figure.layout.yaxis.ticktext])
    return Slide("areas", title, subtitle=subtitle + ". Each bar is labelled with the change and both counts.",
                 figure=figure, table=meeting.areas_table(table, month),
                 file_name=f"areas-all-crime-{month_key(month)}.csv")


def _area_shapes(query: Query, areas: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    return map_views.shapes_or_tiles(query, "maps/area_shapes", "area", areas.area_id)


def map_slide(query: Query, month: dt.date) -> Slide:
    table = meeting.areas(query, month)
    shapes, tiles = _area_shapes(query, table)
    title, subtitle = charts.area_comparison_title(table, ALL_CRIME, month)
    figure = charts.for_slide(map_views.area_map(table, shapes, "change", ALL_CRIME, month, tiles=tiles,
                                                 label_size=charts.BIG_SCREEN_TEXT))
    # The classes' key beside the map rather than over it: a map keeps its shape, so the screen's
    # spare width holds the key and its height goes to the areas, whose names then have room.
    figure.update_layout(legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top"))
    where = "a tile map, one square per area" if tiles else "the areas' outlines"
    return Slide("map", f"On the map: {title[0].lower()}{title[1:]}",
                 subtitle=subtitle + f". Coloured by the change, on {where}.",
                 figure=figure, table=meeting.areas_table(table, month),
                 file_name=f"areas-map-all-crime-{month_key(month)}.csv")


def measure_slide(evidence: meeting.MeasureEvidence, month: dt.date) -> Slide:
    window = evidence.result.points
    span = f"{window[0].period.label} to {month_label(month)}" if window else ""
    reason = REASONS.get((evidence.rag, evidence.decided_by))  # 'Rated red: the change is for the worse.'
    title = f"{evidence.measure_name}: {reason.split(': ', 1)[1].rstrip('.')}" if reason else evidence.measure_name
    figure = charts.for_slide(evidence.figure)
    # The axis's title in the subtitle: turned on its side, it is longer than a short chart is high.
    unit = figure.layout.yaxis.title.text
    figure.update_yaxes(title=None)
    for trace in figure.data:
        trace.name = SLIDE_LEGEND_NAMES.get(trace.name, trace.name)
    return Slide("measure", title, subtitle=f"{evidence.area_name}, {span}" + (f" ({unit.lower()})" if unit else ""),
                 rag=evidence.rag, text=evidence.explanation, story=evidence.story or "",
                 figure=figure,
                 table=evidence.table, shown_table=spc_table_shown(evidence.table, evidence.unit),
                 file_name=f"spc-{evidence.measure_id}-{month_key(month)}.csv")


def changes_slide(query: Query, month: dt.date, since: dt.date | None, page: int = 1) -> Slide:
    """The ratings changed since `since`, MAX_CHANGES_SHOWN a slide: `page` is which of them."""
    if since is None:
        return Slide("changes", "No earlier ratings to compare with",
                     subtitle=f"{month_label(month)} is the first month rated")
    changes = meeting.rating_changes(query, month, since)
    subtitle = f"Ratings for {month_label(month)} against those for {month_label(since)}, the last meeting"
    if changes.empty:
        return Slide("changes", f"No rating changed since {month_label(since)}", subtitle=subtitle)
    count = len(changes)
    pages = math.ceil(count / MAX_CHANGES_SHOWN)
    part = changes.iloc[(page - 1) * MAX_CHANGES_SHOWN:page * MAX_CHANGES_SHOWN]
    shown = tuple(RatingChange(r.measure_name, r.area_name, r.rag_before, r.rag_now, reason=changed_because(r))
                  for r in part.itertuples())
    return Slide(
        "changes", f"{count} rating{'s' if count != 1 else ''} changed since {month_label(since)}"
                   + (f" ({page} of {pages})" if pages > 1 else ""),
        subtitle=subtitle, changes=shown,
        table=changes[list(CHANGE_COLUMNS)].rename(columns={
            "measure_name": "Measure", "area_name": "Area", "rag_before": month_label(since),
            "rag_now": month_label(month), "explanation_before": f"Explanation, {month_label(since)}",
            "story_before": f"Against a year before, {month_label(since)}",
            "explanation_now": f"Explanation, {month_label(month)}",
            "story_now": f"Against a year before, {month_label(month)}"}),
        file_name=f"rating-changes-{month_key(since)}-to-{month_key(month)}.csv")


def slide_questions(query: Query, month: dt.date, peers: Peers | None = None) -> list[Question]:
    """The month's questions in the order the chamber hears them: the force-wide ones (red, then
    amber), then the areas' ratings that changed since the last meeting, then the officers' own
    about areas, then the other areas' (each group red first, as scrutiny.present.questions orders)."""
    found = briefing.for_month(query, month, peers, with_inspection=False)
    if found is None:
        return []
    force_id = meeting.force(query).area_id
    changed = {(c.measure_name, c.area_name) for c in found.changes}

    def group(q: Question) -> int:
        if q.area_id == force_id:
            return 0
        if (q.measure_name, q.area_name) in changed:
            return 1
        return 2 if not q.drafted else 3

    return sorted(found.questions + found.more_questions, key=group)


def questions_slide(query: Query, month: dt.date, page: int = 1, pages: int = 1, peers: Peers | None = None) -> Slide:
    """The `page`th of `pages` slides of questions (slide_questions' order), MAX_QUESTIONS_SHOWN a
    slide; the last says how many more the Overview and the pack list. The table has every one."""
    every = slide_questions(query, month, peers)
    if not every:
        return Slide("questions", "No questions drafted", subtitle=f"No measure is rated red or amber in {month_label(month)}")
    shown = every[(page - 1) * MAX_QUESTIONS_SHOWN:page * MAX_QUESTIONS_SHOWN]
    hidden = len(every) - min(len(every), pages * MAX_QUESTIONS_SHOWN) if page == pages else 0
    return Slide(
        "questions", "Questions the panel may wish to ask" + (f" ({page} of {pages})" if pages > 1 else ""),
        subtitle=f"{len(every)} question{'s' if len(every) != 1 else ''} for {month_label(month)}: "
                 "the officers\u2019 own where they wrote one, else drafted from the rating\u2019s figures",
        questions=tuple(shown),
        more=f"And {hidden} more: the Overview and the meeting pack list every question." if hidden else "",
        table=pd.DataFrame({"Measure": [q.measure_name for q in every], "Area": [q.area_name for q in every],
                            "Rating": [q.rag for q in every], "Question": [q.text for q in every],
                            "Written by": ["drafted" if q.drafted else "the officers" for q in every]}),
        file_name=f"questions-{month_key(month)}.csv")


def changed_because(change) -> str:
    """What the changes slide says beside a change: why the rating moved (change_reason.why, as the
    Overview, the Plan page and the pack say it), then, when that is only the new rating's own
    pattern, the sentence squaring it with a year before."""
    because = why_changed.why(change)
    return f"{because} {change_reason(change)}".strip() if why_changed.only_the_new_pattern(change) else because


def change_reason(change) -> str:
    """Why a changed rating is what it is now, in one sentence: the one squaring it with a year
    before ('Up 13.0% on January 2023, ..., so amber.'), or else the rule that decided it."""
    return change.story_now or REASONS.get((change.rag_now, change.decided_by_now), "")


# What the page shows around the chart, as HTML (every value escaped).


def numbers_html(slide: Slide) -> str:
    cards = "".join(
        f'<div class="big-number"><p class="big-number-label">{html.escape(n.label)}</p>'
        f'<p class="big-number-value">{html.escape(n.value)}</p>'
        f'<p class="big-number-detail">{html.escape(n.detail)}</p></div>' for n in slide.numbers)
    return f'<div class="big-numbers">{cards}</div>'


def rating_counts_html(slide: Slide) -> str:
    items = "".join(f"<li>{badge_html(rag)} {count} measure{'s' if count != 1 else ''}</li>"
                    for rag, count in slide.rating_counts.items())
    return f'<p>Ratings of the Plan\u2019s measures, force-wide:</p><ul class="rating-counts">{items}</ul>'


def changes_html(slide: Slide) -> str:
    items = "".join(
        f'<li><p class="change-what"><b>{html.escape(c.measure_name)}</b>, {html.escape(c.area_name)}: '
        f'{badge_html(c.rag_before)} \u2192 {badge_html(c.rag_now)}</p>'
        f'<p class="change-reason">{html.escape(c.reason)}</p></li>' for c in slide.changes)
    more = f"<p>{html.escape(slide.more)}</p>" if slide.more else ""
    return f'<ul class="rating-changes">{items}</ul>{more}'


def questions_html(slide: Slide) -> str:
    items = "".join(
        f'<li><p class="change-what">{badge_html(q.rag)} <b>{html.escape(q.measure_name)}</b>, {html.escape(q.area_name)}</p>'
        f'<p class="change-reason">{html.escape(q.text)}</p></li>' for q in slide.questions)
    more = f"<p>{html.escape(slide.more)}</p>" if slide.more else ""
    return f'<ul class="rating-changes">{items}</ul>{more}'
