"""Why a rating changed since the last meeting, in one sentence, from the two ratings' stored facts
(what decided each, its pattern and how long it ran, its step change and target): "It changed
because the run of 9 months above its usual level ended." It leads every change on the Overview,
the Plan page and in the pack, so that "red -> amber" beside "up 13.0% on a year before" does not
read as a contradiction.

`row` is a row of queries/plan/rating_changes.sql (meeting.rating_changes): each fact with the
suffix _before or _now.
"""
from __future__ import annotations

import pandas as pd

from scrutiny.core import words
from scrutiny.core.formatting import is_missing, measure_value
from scrutiny.core.months import Month
from scrutiny.core.vocab import ASSURANCE, TOO_FEW_POINTS, VARIATION
from scrutiny.present.questions import direction_words


def why(row) -> str:
    """The sentence of why the rating moved."""
    return words.CHANGE_WHY.format(why=_reason(row)[0])


def only_the_new_pattern(row) -> bool:
    """Whether the sentence of why is no more than the new rating's own pattern ("it has now been
    above its usual level for 7 months"): the new rating's one-line reason would then say it again."""
    return _reason(row)[1]


def _reason(row) -> tuple[str, bool]:
    """Why it moved, the most telling reason first: too few months, a step change, the target,
    then the pattern that ended and the one that began; and whether only the one that began."""
    before, now = _facts(row, "_before"), _facts(row, "_now")
    target = None if is_missing(getattr(row, "target", None)) else measure_value(row.target, row.unit_now)
    if now["decided_by"] == TOO_FEW_POINTS:
        return words.CHANGE_TOO_FEW, False
    if before["decided_by"] == TOO_FEW_POINTS:
        return words.CHANGE_RATED_AGAIN, False
    if now["step"] and now["step"] != before["step"]:
        return words.CHANGE_STEP.format(step=Month.of(pd.Timestamp(now["step"] + "-01").date()).label), False
    if now["decided_by"] == ASSURANCE:
        return words.CHANGE_TARGET_NOW_MISSED.format(target=target or "its"), False
    reachable = (words.CHANGE_TARGET_NOW_REACHABLE.format(target=target or "its")
                 if before["decided_by"] == ASSURANCE else None)  # red by the target before
    # An ended pattern is told as of now ("January 2024 was back inside its normal range").
    ended = (_pattern(words.CHANGE_ENDED, {**before, "month": now["month"]}, row.improvement_before)
             if before["decided_by"] == VARIATION else None)
    started = _pattern(words.CHANGE_STARTED, now, row.improvement_now) if now["decided_by"] == VARIATION else None
    parts = [p for p in (reachable, ended, started) if p]
    if not parts:
        return words.CHANGE_OTHER.format(now=now["rag"], month=now["month"]), False
    return ", and ".join(parts), parts == [started]


def _facts(row, suffix: str) -> dict:
    def get(name):
        value = getattr(row, name + suffix, None)
        return None if is_missing(value) else value
    return {"rag": get("rag"), "decided_by": get("decided_by"), "pattern": get("latest_pattern"),
            "months": int(get("run_length") or 0), "step": get("step_change_month"),
            "month": Month.of(pd.Timestamp(get("month")).date()).label}


def _pattern(sentences: dict[str, str], facts: dict, improvement: str) -> str | None:
    if facts["pattern"] not in sentences:
        return None
    return sentences[facts["pattern"]].format(
        **direction_words(facts["rag"], improvement), months=facts["months"], month=facts["month"],
        count="all" if facts["months"] == 3 else "two")
