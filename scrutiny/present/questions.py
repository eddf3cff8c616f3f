"""Questions the panel may wish to ask, for a month: one for every measure rated red or amber and
every rating that changed since the last meeting, in every area, on the Overview, under a
measure's detail on the Plan page, on a slide and in the pack.

A question is drafted from the rating's stored facts (`QuestionFacts`: the figures, limits and
latest pattern stored with the rating, the same ones its explanation was written from; nothing is
worked out again here), in the words of scrutiny.core.words (QUESTION_*, ASK_*); two questions in a
row never end with the same words. The panel's
officers can write their own in the questions file beside the plan (scrutiny.plan.questions_file):
theirs win over the drafted one for the same measure and area.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from scrutiny.core import words
from scrutiny.core.formatting import is_missing, measure_value as figure
from scrutiny.core.months import Month
from scrutiny.core.vocab import (AMBER, ASSURANCE, COUNT, GREEN, HIGHER, IMPROVEMENT, NOT_RATED, PERCENT, RED,
                                  VARIATION)
from scrutiny.load.office_files import Peers
from scrutiny.plan import meetings as panel_meetings
from scrutiny.present import meeting, peer_pattern
from scrutiny.present.meeting import Query

ORDER = (RED, AMBER, GREEN, NOT_RATED)  # red first: what most needs asking


@dataclass(frozen=True)
class Question:
    measure_id: str
    measure_name: str
    area_id: str
    area_name: str
    rag: str            # the rating now ('red'/'amber'/'green' as the ratings store it)
    text: str           # the question, one or two sentences, plain words
    drafted: bool       # True: drafted from the rating's facts; False: written by the officers
    # Shown first (the Overview's list, the pack's numbered questions): red, changed since the last
    # meeting, the force's own, or the officers'. The others (the areas' amber ratings) follow.
    first: bool = True


@dataclass(frozen=True)
class QuestionFacts:
    """A stored rating's facts a question is drafted from (queries/plan/question_facts.sql)."""
    measure_name: str
    area_name: str
    unit: str                   # scrutiny.core.vocab.UNITS
    improvement: str            # 'lower' or 'higher' is better
    month: dt.date
    rag: str
    decided_by: str
    value: float
    lower_limit: float | None = None
    upper_limit: float | None = None
    target: float | None = None
    latest_pattern: str | None = None  # the SPC rule of the latest month, if any
    run_length: int = 0                # how many months that pattern runs for
    rag_before: str | None = None      # the rating at the last meeting's month (None: none then)
    variation: str | None = None       # the SPC verdict (vocab.IMPROVEMENT, CONCERN, COMMON_CAUSE)


def draft(facts: QuestionFacts, since: dt.date | None = None, after: str | None = None,
          peers_ask: str | None = None) -> str:
    """The drafted question: a sentence of fact, then what to ask. A rating that moved since
    `since` (the last meeting's month) says so instead of the fact. `after`: the question before
    it in the list, whose ending this one does not repeat when there is another way to ask.
    `peers_ask`: the ending the peer group's ratings call for (peer_pattern.question_ask), asked first."""
    if facts.rag_before is not None and facts.rag_before != facts.rag and since is not None:
        fact = words.QUESTION_CHANGED.format(measure=facts.measure_name, area=facts.area_name,
                                             before=facts.rag_before, now=facts.rag, since=Month.of(since).label)
    else:
        fact = fact_sentence(facts)
    asks = ((peers_ask,) if peers_ask else ()) + _asks(facts)
    ask = next((a for a in asks if not (after or "").endswith(a)), asks[0])
    return f"{fact} {ask}"


def fact_sentence(f: QuestionFacts) -> str:
    """The rating's reason in one sentence, from its facts: the first half of its question, and
    the one-line reason the briefing gives beside a red measure."""
    named = {"measure": f.measure_name, "area": f.area_name, "value": figure(f.value, f.unit),
             "month": Month.of(f.month).label}
    if f.decided_by == VARIATION and f.latest_pattern in words.QUESTION_FACTS:
        return words.QUESTION_FACTS[f.latest_pattern].format(**named, **_pattern_words(f))
    if f.decided_by == ASSURANCE and f.rag == RED:
        target = figure(f.target, f.unit)
        if f.variation == IMPROVEMENT:  # better than its usual level, yet red by the target: say both
            short = words.SHORT_OF_TARGET[f.improvement]
            if f.latest_pattern in ("shift", "trend") and f.run_length > 1:
                return words.QUESTION_IMPROVING_SHORT.format(**named, months=f.run_length, short=short, target=target)
            return words.QUESTION_BETTER_SHORT.format(**named, short=short, target=target)
        return words.QUESTION_TARGET_MISSED.format(**named, target=target)
    if f.target is not None and not is_missing(f.target):
        return words.QUESTION_TARGET_SOMETIMES.format(**named, target=figure(f.target, f.unit))
    return words.QUESTION_NO_CLEAR_CHANGE.format(**named, range=_range(f))


def _pattern_words(f: QuestionFacts) -> dict:
    return {**direction_words(f.rag, f.improvement), "months": f.run_length,
            "count": "all" if f.run_length == 3 else "two", "range": _range(f)}


def direction_words(rag: str, improvement: str) -> dict:
    """Which way a pattern runs. A rating decided by its pattern is red for a change for the
    worse and green for one for the better, so the direction follows from the rating and which way
    is better (the stored facts keep no other)."""
    up = (rag == RED) == (improvement != HIGHER)
    return {"side": "above" if up else "below", "moved": "risen" if up else "fallen",
            "moving": "rising" if up else "falling", "edge": "top" if up else "bottom"}


def _range(f: QuestionFacts) -> str:
    """The normal range as the explanation writes it (scrutiny.rate.explain): a count's cannot go
    below 0."""
    per = "" if f.unit == PERCENT else " a month"
    if f.unit == COUNT and f.lower_limit <= 0:
        return f"up to {figure(f.upper_limit, f.unit)}{per}"
    return f"{figure(max(f.lower_limit, 0), f.unit)} to {figure(f.upper_limit, f.unit)}{per}"


def _asks(f: QuestionFacts) -> tuple[str, ...]:
    """The ways to ask about a rating, the most fitting first: by the rating, and for a red one by
    what made it red (its pattern, or its target); for an amber one that was not amber at the last
    meeting, by what it was."""
    has_target = f.target is not None and not is_missing(f.target)
    if f.rag == RED:
        if f.decided_by == ASSURANCE and has_target:
            first = words.ASK_RED_TARGET.format(target=figure(f.target, f.unit))
        else:
            first = words.ASK_RED.get(f.latest_pattern, words.ASK_RED_GENERAL)
        return (first, words.ASK_RED_GENERAL) if first != words.ASK_RED_GENERAL else (first,)
    if f.rag == AMBER:
        usual = words.ASK_AMBER_TARGET if has_target else words.ASK_AMBER[f.improvement]
        moved = {RED: words.ASK_AMBER_FROM_RED, GREEN: words.ASK_AMBER_FROM_GREEN}.get(f.rag_before)
        return (moved, *usual) if moved else usual
    return words.ASK_GREEN if f.rag == GREEN else words.ASK_NOT_RATED


def facts_of(row) -> QuestionFacts:
    """A row of queries/plan/question_facts.sql as QuestionFacts."""
    def number(value):
        return None if is_missing(value) else float(value)
    return QuestionFacts(
        measure_name=row.measure_name, area_name=row.area_name, unit=row.unit, improvement=row.improvement,
        month=pd.Timestamp(row.month).date(), rag=row.rag, decided_by=row.decided_by, value=float(row.value),
        lower_limit=number(row.lower_limit), upper_limit=number(row.upper_limit), target=number(row.target),
        latest_pattern=None if is_missing(row.latest_pattern) else row.latest_pattern,
        run_length=int(row.run_length), rag_before=None if is_missing(row.rag_before) else row.rag_before,
        variation=None if is_missing(getattr(row, "variation", None)) else row.variation)


def needs_asking(facts: QuestionFacts) -> bool:
    """Red and amber ratings, and every rating that changed since the last meeting."""
    return facts.rag in (RED, AMBER) or (facts.rag_before is not None and facts.rag_before != facts.rag)


def for_month(query: Query, month, peers: Peers | None = None) -> list[Question]:
    """Every red and amber measure, and every rating changed since the last meeting, with its
    question, in the order the Overview, the slides and the pack show them: first (`Question.first`)
    the red, the changed, the force's own and the officers', then the areas' other amber ratings;
    each part red first, then in plan order (the force before its areas). The officers' questions
    for the month (asked whenever the measure is discussed, or at the meeting that looks at this
    month) take the place of the drafted one for the same measure and area, and are asked even
    where the rating raises no question; one for a measure and area with no rating this month has
    nothing to stand beside and is left out. A red crime rating's question asks by how many of the
    peer group (`peers`, the office's; every place when None) show the same rise."""
    month = Month.of(month)
    since = meeting.last_meeting(query, month)
    rows = query("plan/question_facts", month=month, since=since)
    officers = _officers_questions(query, month)
    asked = []  # (shown first, rating order, plan order, row, its facts, the officers' questions)
    for position, row in enumerate(rows.itertuples()):
        facts = facts_of(row)
        written = officers.get((row.measure_id, row.area_id), [])
        if not written and not needs_asking(facts):
            continue
        changed = facts.rag_before is not None and facts.rag_before != facts.rag
        first = bool(written) or facts.rag == RED or changed or row.area_level == "force"
        asked.append((not first, ORDER.index(row.rag) if row.rag in ORDER else len(ORDER), position, row, facts, written))
    found: list[Question] = []
    for later, _, _, row, facts, written in sorted(asked, key=lambda a: a[:3]):
        texts = [(text, False) for text in written] or [
            (draft(facts, since, found[-1].text if found else None, _peers_ask(query, peers, row, facts, month)), True)]
        found += [Question(row.measure_id, row.measure_name, row.area_id, row.area_name, row.rag, text, drafted, not later)
                  for text, drafted in texts]
    return found


def _peers_ask(query: Query, peers: Peers | None, row, facts: QuestionFacts, month: Month) -> str | None:
    """The ending a red rating's peers call for ("Only this force shows it: why?"), or None."""
    if facts.rag != RED:
        return None
    rule = peer_pattern.home_rule(facts.decided_by, facts.latest_pattern)
    found = peer_pattern.for_rating(query, peers or Peers(), row.measure_id, row.area_id, month, facts.rag, rule)
    return peer_pattern.question_ask(found, rule)


def first_and_more(asked: list[Question]) -> tuple[tuple[Question, ...], tuple[Question, ...]]:
    """The questions shown first, and the areas' other amber ones (for_month's two parts)."""
    return tuple(q for q in asked if q.first), tuple(q for q in asked if not q.first)


def _officers_questions(query: Query, month: Month) -> dict[tuple[str, str], list[str]]:
    """{(measure id, area id): the officers' questions for this month, in the file's order}."""
    table = query("plan/officer_questions")
    figures = meeting.months(query)
    found: dict[tuple[str, str], list[str]] = {}
    for row in table.itertuples():
        if not pd.isna(row.meeting_date):
            if panel_meetings.shown_at_meeting(pd.Timestamp(row.meeting_date).date(), figures) != month:
                continue  # for another meeting: another month's figures
        found.setdefault((row.measure_id, row.area_id), []).append(row.question)
    return found


def for_rating(query: Query, month, measure_id: str, area_id: str, peers: Peers | None = None) -> list[Question]:
    """The month's questions about one measure in one area (none when its rating raises none)."""
    return [q for q in for_month(query, month, peers) if (q.measure_id, q.area_id) == (measure_id, area_id)]
