"""The RAG rules: how variation and assurance become red, amber, green or not rated.

These words are shown to users on the Methodology page and in the pack (rendered from here)
and in the README, so change them together with the rules.
"""
from __future__ import annotations

from dataclasses import dataclass

from scrutiny.core.vocab import (AMBER, ASSURANCE, COMMON_CAUSE, CONCERN, FAIL, GREEN, IMPROVEMENT, NOT_RATED,
                                 INCOMPLETE_MONTH, OUTCOMES_PENDING, PASS, RAG_WORDS, RED, TOO_FEW_POINTS, VARIATION)
from scrutiny.core.words import PLACE_GREEN_WORD, TOO_FEW_MONTHS
from scrutiny.rate.spc import MIN_POINTS

# RED, AMBER, GREEN and NOT_RATED are defined in scrutiny.core.vocab and re-exported here for callers
__all__ = ["RED", "AMBER", "GREEN", "NOT_RATED", "RATING_WINDOW_MONTHS", "RULES_IN_WORDS", "rag_for",
           "RagStyle", "STYLES", "badge_text", "rating_label", "place_rating_label"]
RATING_WINDOW_MONTHS = 36  # limits come from the 36 months up to the rated month (or all there are)

RULES_IN_WORDS = [
    ("Not rated", f"{TOO_FEW_MONTHS.format(min_points=MIN_POINTS)}: too few to tell a real change from chance."),
    ("Red", "the latest month shows a change for the worse that is unlikely to be chance "
            "(special cause concern), or the target will not be met without change (the whole "
            "normal range is on the wrong side of it)."),
    ("Green", "otherwise, the latest month shows a change for the better that is unlikely to be "
              "chance (special cause improvement), or the target is met every month (the whole "
              "normal range is on the right side of it)."),
    ("Amber", "otherwise: the figures vary only as they usually do, and either there is no target "
              "or the target lies inside the normal range, so it is met in some months and "
              "missed in others."),
]


def rag_for(variation: str | None, assurance: str | None) -> tuple[str, str]:
    """(rag, decided_by) from the SPC variation and assurance of the latest month.

    Concern outranks everything, so a failing or worsening measure is never shown green; a
    target that will not be met is red even while the figures are steady.
    """
    if variation is None:
        return NOT_RATED, TOO_FEW_POINTS
    if variation == CONCERN:
        return RED, VARIATION
    if assurance == FAIL:
        return RED, ASSURANCE
    if variation == IMPROVEMENT:
        return GREEN, VARIATION
    if assurance == PASS:
        return GREEN, ASSURANCE
    return AMBER, COMMON_CAUSE


@dataclass(frozen=True)
class RagStyle:
    word: str      # the status as an adjective, shown with the colour name
    icon: str      # a shape, so the rating survives black-and-white printing and colour blindness
    colour: str    # background colour (GOV.UK palette)
    text_colour: str


STYLES = {
    RED: RagStyle(RAG_WORDS[RED], "\u2716", "#D4351C", "#FFFFFF"),
    AMBER: RagStyle(RAG_WORDS[AMBER], "\u25CF", "#FFDD00", "#0B0C0C"),
    GREEN: RagStyle(RAG_WORDS[GREEN], "\u2714", "#00703C", "#FFFFFF"),
    NOT_RATED: RagStyle(RAG_WORDS[NOT_RATED], "\u25CB", "#505A5F", "#FFFFFF"),
}


def _label(rag: str, word: str) -> str:
    """The icon, the colour's name and WORD: every rating label's shape."""
    return f"{STYLES[rag].icon} {rag.capitalize()}: {word}"


def badge_text(rag: str) -> str:
    """'✖ Red: Concern' — the icon, the colour's name and the word, never colour alone."""
    return _label(rag, STYLES[rag].word)


PROVISIONAL_WORD = "Provisional"
INCOMPLETE_WORD = "Incomplete month"  # an area's month with too many crimes in no area (scrutiny.rate.incomplete)


def rating_word(rag: str, decided_by: str | None = None) -> str:
    """The rating's word, except that a month whose outcomes are still being recorded
    (scrutiny.rate.provisional) is 'Provisional', not 'Too little data': it is just not settled."""
    if decided_by == INCOMPLETE_MONTH:
        return INCOMPLETE_WORD
    return PROVISIONAL_WORD if decided_by == OUTCOMES_PENDING else STYLES[rag].word


def rating_label(rag: str, decided_by: str | None = None) -> str:
    """badge_text, with rating_word: '○ Not rated: Provisional' for a provisional month."""
    return _label(rag, rating_word(rag, decided_by))


def place_rating_label(rag: str, decided_by: str | None = None) -> str:
    """rating_label of a place rating (place_ratings: the peers' table, the grid, Compare forces):
    a place other than the home force has no target, so its green is 'Improving', not 'or on target'."""
    return _label(rag, PLACE_GREEN_WORD if rag == GREEN else rating_word(rag, decided_by))
