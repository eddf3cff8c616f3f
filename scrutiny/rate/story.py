"""One story per figure: the sentence that squares a year-on-year change with a rating.

A month can be a notable fall on the same month a year before and still be rated amber, "no
clear change": the year-on-year test weighs one month against one month, the rating weighs it
against the normal variation of three years. Wherever the two stand together (Overview, Plan,
"changed since the last meeting", the slides, the pack) this one sentence says how they fit, built
from the same stored figures as the numbers beside it, for example:

    "Down 5.8% on January 2023, a notable fall, but within the normal range of the last three
    years, so amber."
"""
from __future__ import annotations

import pandas as pd

from scrutiny.core.months import Month
from scrutiny.rate import yoy
from scrutiny.core import formatting
from scrutiny.core.vocab import ASSURANCE, COUNT, HIGHER, LOWER, OUTCOMES_PENDING, PERCENT, VARIATION
from scrutiny.rate.rag import GREEN, NOT_RATED, RED


_NUMBER_WORDS = {1: "", 2: "two ", 3: "three ", 4: "four ", 5: "five "}


def year_and_rating(facts, suffix: str = "") -> str | None:
    """The sentence for a stored rating (or any row with the same names), or None when there is
    no figure a year before to square with it. `facts` needs: month, unit ('count' or 'percent'),
    improvement ('lower' or 'higher'), value, value_previous_year, change_pct (counts),
    change_points (percentages), rag, decided_by, window_first, window_last and, when known,
    step_change_month (the rating's range starts there); each name followed
    by `suffix` when given (a row holding two months' ratings, '_before' and '_now')."""
    def get(name):
        return facts.get(name + suffix) if isinstance(facts, dict) else getattr(facts, name + suffix)
    then = get("value_previous_year")
    if _missing(then):
        return None
    year_before = Month.of(get("month")).year_before
    value, unit = float(get("value")), get("unit")
    change = get("change_points") if unit == PERCENT else get("change_pct")
    notable = yoy.is_notable(yoy.p_value(value, then)) if unit == COUNT else None
    head = _change_words(value, float(then), change, unit, year_before.label)
    verdict = {True: f", a notable {'rise' if value > then else 'fall'}",
               False: ", not a notable change", None: ""}[notable]
    rag = get("rag")
    if rag == NOT_RATED and _optional(facts, "decided_by" + suffix) == OUTCOMES_PENDING:
        # the explanation beside it says the month is provisional: "too few months" would be a
        # second, contradictory reason for the same missing rating
        return f"{head}{verdict}; provisional, as outcomes are still being recorded, so not rated yet."
    if rag == NOT_RATED:
        return f"{head}{verdict}; too few months of figures to rate it yet."
    step_change = _step_change(facts, suffix)
    span = _span_words(Month.of(get("window_first")), Month.of(get("window_last")))
    over, of = (f"over {span}", f"of {span}") if step_change is None else \
        (f"since the step change in {step_change.label}",) * 2
    decided_by = get("decided_by")
    if decided_by == VARIATION:
        if _optional(facts, "decided_rule" + suffix) == "astronomical":
            # one month beyond the range decided it: say that, not "a pattern ... over three years"
            side = "above" if (rag == GREEN) == (get("improvement") == HIGHER) else "below"
            clause = f"this month was {side} the normal range {of}"
        else:
            clause = f"a pattern of change for the {'better' if rag == GREEN else 'worse'} {over}"
        # the two agree when the month moved notably the same way as the rating
        better_this_year = (value < then) == (get("improvement") == LOWER)
        agree = notable is True and better_this_year == (rag == GREEN)
    elif decided_by == ASSURANCE:
        side = "wrong" if rag == RED else "right"
        clause = f"the whole normal range {of} is on the {side} side of the target"
        agree = notable is not True
    else:
        clause = f"within the normal range {of}"
        agree = notable is not True
    return f"{head}{verdict}, {'and' if agree or notable is None else 'but'} {clause}, so {rag}."


def _change_words(value: float, then: float, change, unit: str, year_before: str) -> str:
    if unit == PERCENT:  # the stored change in points, as the explanation beside it gives it
        points = value - then if _missing(change) else float(change)
        if abs(points) < 0.05:
            return f"The same as in {year_before}"
        size = formatting.measure_value(abs(points))  # as the explanation beside it writes it
        noun = "percentage point" if size == "1" else "percentage points"
        return f"{'Up' if points > 0 else 'Down'} {size} {noun} on {year_before}"
    if value == then:
        return f"The same as in {year_before}"
    if then == 0 or _missing(change):
        return f"Up from none in {year_before}"
    return f"{'Up' if value > then else 'Down'} {formatting.percent(float(change), signed=False)} on {year_before}"


def _optional(facts, name: str):
    """A fact that older callers may not give (None when absent or missing)."""
    value = facts.get(name) if isinstance(facts, dict) else getattr(facts, name, None)
    return None if _missing(value) else value


def _step_change(facts, suffix: str) -> Month | None:
    """The step change the rating's normal range starts at (from the stored evidence), if any."""
    value = _optional(facts, "step_change_month" + suffix)
    return None if value is None else Month.of(value)


def _span_words(first: Month, last: Month) -> str:
    """'the last three years' for 36 months, 'the last year' for 12, else 'the last 20 months'."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    years, rest = divmod(months, 12)
    if rest == 0 and years in _NUMBER_WORDS:
        return f"the last {_NUMBER_WORDS[years]}year{'s' if years > 1 else ''}"
    return f"the last {months} months"



def _missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)
