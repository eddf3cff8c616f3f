"""The member's briefing: what a panel member reads first (the Overview), so that someone who
reads only this knows what to ask. In this order: one headline sentence for the month; the count
of red, amber and green measures for the force, each red one named with its one-line reason and a
link to its detail on the Plan page, then the areas' red ratings under a line of their own (the
counts are the force's, so the lines under them are the force's too); what changed since the last
meeting, each change led by why; the questions the panel may wish to ask; then (drawn by the
page) the month's key figures with counts and the pack.

Built from the same stored ratings as the Plan page, the slides and the pack (scrutiny.present.
meeting and scrutiny.present.questions), so they agree. No Streamlit here: the page arranges it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scrutiny.core import words
from scrutiny.core.months import Month
from scrutiny.core.vocab import AMBER, GREEN, NOT_RATED, RED
from scrutiny.load.office_files import Peers
from scrutiny.present import change_reason, comparison, meeting, peer_pattern, questions
from scrutiny.present.peer_pattern import PeerPattern
from scrutiny.present.meeting import Query
from scrutiny.present.questions import Question


@dataclass(frozen=True)
class RatedLine:
    """A rating named with its one-line reason and the link to its detail on the Plan page."""
    measure_name: str
    area_name: str
    rag: str
    reason: str
    link: str
    peers: PeerPattern | None = None  # the peer group's ratings of the same measure that month ("is it just us?")


@dataclass(frozen=True)
class Change:
    """A rating that moved since the last meeting."""
    measure_name: str
    area_name: str
    rag_before: str
    decided_by_before: str | None
    rag_now: str
    decided_by_now: str | None
    why: str      # why it moved, in one sentence (change_reason.why): shown first
    reason: str   # the reason now, in one sentence (questions.fact_sentence); '' when `why` says it
    link: str


@dataclass(frozen=True)
class Briefing:
    month: Month
    headline: str
    counts: dict[str, int]           # the force-wide measures' ratings, in meeting.RAG_ORDER
    reds: tuple[RatedLine, ...]      # the force-wide red ratings: as many as counts['red']
    area_reds: tuple[RatedLine, ...]  # the areas' red ratings, under a line of their own
    since: Month | None              # the month the panel last saw (None: no earlier month)
    since_note: str | None           # how that month was chosen (the meeting, or two months before)
    changes: tuple[Change, ...]
    questions: tuple[Question, ...]  # red, changed, the force's and the officers': shown first
    more_questions: tuple[Question, ...]  # the other areas' amber ratings: shown on request
    plan_loaded: bool                # False: crime measures only (words.PLAN_NOT_LOADED)
    inspection: tuple[str, ...] = ()  # the home force or its partnerships outside the range of similar areas now


def detail_link(measure_id: str, area_id: str, month: dt.date) -> str:
    """The Plan page's detail of a measure in an area for a month (the page reads these parameters).
    `detail_area`, as the Plan matrix's cells: `area` would change the reader's sidebar Area."""
    return f"plan?measure={measure_id}&detail_area={area_id}&month={Month.of(month).key}#measure-detail"


def for_month(query: Query, month: dt.date, peers: Peers | None = None, with_inspection: bool = True) -> Briefing | None:
    """The month's briefing; None when the month has no ratings. `peers`: the office's peer group
    (comparison.peer_group), for the inspection trigger; every place when None. with_inspection=False
    leaves the trigger out (its quarters of funnels are the slowest part), for the slides' questions."""
    month = Month.of(month)
    earlier = meeting.earlier_months(query, month)
    since = earlier.last_meeting
    facts = query("plan/question_facts", month=month, since=since)
    if facts.empty:
        return None
    force = meeting.force(query)
    by_key = {(row.measure_id, row.area_id): row for row in facts.itertuples()}
    counts = meeting.rating_counts(facts[facts.area_level == "force"])
    def red_lines(rows) -> tuple[RatedLine, ...]:
        return tuple(RatedLine(row.measure_name, row.area_name, row.rag, questions.fact_sentence(questions.facts_of(row)),
                               detail_link(row.measure_id, row.area_id, month),
                               peer_pattern.for_rating(query, peers or Peers(), row.measure_id, row.area_id, month,
                                                       row.rag, peer_pattern.home_rule(row.decided_by, row.latest_pattern)))
                     for row in rows.itertuples())

    red = facts[facts.rag == RED]
    changes = _changes(query, month, since, by_key) if since is not None else ()
    first, more = questions.first_and_more(questions.for_month(query, month, peers))
    return Briefing(
        month=month, headline=_headline(month, force.name, counts, len(changes), since), counts=counts,
        reds=red_lines(red[red.area_level == "force"]), area_reds=red_lines(red[red.area_level != "force"]),
        since=since, since_note=_since_note(month, earlier), changes=changes, questions=first,
        more_questions=more, plan_loaded=meeting.plan_loaded(query),
        inspection=tuple(comparison.inspection_sentence(flag) for flag in comparison.home_flags_now(query, month, peers))
        if with_inspection else ())


def _changes(query: Query, month: Month, since: Month, by_key: dict) -> tuple[Change, ...]:
    rows = meeting.rating_changes(query, month, since)
    by_names = {(row.measure_name, row.area_name): row for row in by_key.values()}
    found = []
    for row in rows.itertuples():
        now = by_names[(row.measure_name, row.area_name)]  # the same stored rating, with its facts
        found.append(Change(row.measure_name, row.area_name, row.rag_before, row.decided_by_before, row.rag_now,
                            row.decided_by_now, change_reason.why(row),
                            # the reason now, unless the sentence of why is already its pattern
                            "" if change_reason.only_the_new_pattern(row) else questions.fact_sentence(questions.facts_of(now)),
                            detail_link(now.measure_id, now.area_id, month)))
    return tuple(found)


def _headline(month: Month, force_name: str, counts: dict[str, int], changes: int, since: Month | None) -> str:
    measures = sum(counts.values())
    parts = [f"{counts.get(rag, 0)} {'are' if counts.get(rag, 0) != 1 else 'is'} {rag}" if i == 0
             else f"{counts.get(rag, 0)} {rag}" for i, rag in enumerate((RED, AMBER, GREEN))]
    if counts.get(NOT_RATED):
        parts.append(f"{counts[NOT_RATED]} not rated")
    counted = ", ".join(parts[:-1]) + " and " + parts[-1]
    if since is None:
        return words.BRIEFING_HEADLINE_NO_EARLIER.format(month=month.label, counts=counted, measures=measures,
                                                         force=force_name)
    moved = f"{changes} rating{'s' if changes != 1 else ''} in the force and its areas {'have' if changes != 1 else 'has'} changed"
    return words.BRIEFING_HEADLINE.format(month=month.label, counts=counted, measures=measures, force=force_name,
                                          changes=moved, since=since.label)


def _since_note(month: Month, earlier: meeting.EarlierMonths) -> str | None:
    if earlier.last_meeting is None:
        return None
    if earlier.meeting_day is not None:
        return words.BRIEFING_SINCE_MEETING.format(since=earlier.last_meeting.label,
                                                   day=earlier.meeting_day.strftime("%-d %B %Y"))
    return words.BRIEFING_SINCE_INTERVAL.format(since=earlier.last_meeting.label, month=month.label)
