"""The words a rating is made of, each defined once: the RAG ratings and their status words, the
SPC verdicts, the units a measure is counted in and the ways a measure can improve.

Every other module (the plan file's checks, the rating engine, the charts, the pack) imports these
rather than spelling the strings again, so a new word is added in one place.
"""
from __future__ import annotations

# RAG ratings, as stored in the ratings table and written in the plan file
RED, AMBER, GREEN, NOT_RATED = "red", "amber", "green", "not rated"
RAGS = (RED, AMBER, GREEN)  # the ratings a measure can be given; NOT_RATED is the absence of one

# The status each rating stands for, as an adjective (GOV.UK: statuses are few and consistent)
RAG_WORDS = {
    RED: "Concern",
    AMBER: "No clear change",
    GREEN: "Improving or on target",
    NOT_RATED: "Too little data",
}

# SPC verdicts on the latest month (variation) and against a target (assurance)
IMPROVEMENT, CONCERN, COMMON_CAUSE = "improvement", "concern", "common_cause"
PASS, FAIL, HIT_AND_MISS = "pass", "fail", "hit_and_miss"
# What decided a rating (the ratings' decided_by): the variation, the assurance, neither (common
# cause, amber) or too few months to rate, or a month whose outcomes are still being recorded
VARIATION, ASSURANCE, TOO_FEW_POINTS = "variation", "assurance", "too_few_points"
OUTCOMES_PENDING = "outcomes_pending"  # scrutiny.rate.provisional
INCOMPLETE_MONTH = "incomplete_month"  # scrutiny.rate.incomplete: an area's month with too many crimes in no area

# What a measure counts, and which way is better
COUNT, PERCENT = "count", "percent"
UNITS = (COUNT, PERCENT)
LOWER, HIGHER = "lower", "higher"
IMPROVEMENT_DIRECTIONS = (LOWER, HIGHER)
