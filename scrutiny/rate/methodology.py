"""The methodology in words: one text, rendered by the Methodology page and the meeting pack.

It lives here rather than in `scrutiny.core.words` because it quotes the rating engine's own
constants (the limit factors, the rule lengths, the minimum number of months, the rating
window): change a constant and both the page and the pack say the new figure.

The RAG rules are not repeated here: callers render `scrutiny.rate.rag.RULES_IN_WORDS` after
RULES_INTRO, each with its badge.
"""
from __future__ import annotations

from scrutiny.core import words
from scrutiny.core.words import Items, Section
from scrutiny.rate import incomplete, provisional, rag, spc

_RULES = spc.RuleLengths()

INTRO = (
    "Every rating on this dashboard is computed from the figures by published rules, the same way "
    "every month, and comes with a written explanation. Nobody chooses a colour by hand, except for "
    "objectives that have no figures, where the office's own status is shown with its reason and date.")

YEAR_ON_YEAR = Section("Comparing with a year before", (words.YEAR_ON_YEAR, words.NOTABLE))
WHY_THEY_CAN_DIFFER = Section("Why a notable change can still be rated amber", (words.WHY_THEY_CAN_DIFFER,))

NORMAL_RANGE = Section("The normal range, and unusual patterns", (
    "Ratings use **statistical process control**, the method NHS England sets out in *Making Data "
    "Count* and the one most used in UK public services for this job. It asks one question: is this "
    "month's figure the kind of variation the measure always shows, or a sign that something has "
    "changed?",
    Items((
        f"The **average** is the mean of the months used: the {rag.RATING_WINDOW_MONTHS} calendar months up "
        "to the rated month (fewer when the figures start later or some months are missing), or, when the "
        "Plan records a step change among them, the months since that step change.",
        f"{words.NORMAL_RANGE} It runs from the average minus {spc.LIMIT_FACTOR} times the average "
        "month-to-month change to the average plus the same amount (the *process limits*). Almost every "
        "month of a stable measure falls inside it.",
        f"{words.SPECIAL_CAUSE} Which of the two depends on the way the measure moved"
        " (fewer crimes is better; higher satisfaction is better). Four patterns count:",
    )),
    Items((
        "**Outside the normal range**: one month above or below the process limits.",
        f"**A run on one side**: {_RULES.shift} or more months in a row all above, or all below, the "
        "average (a month exactly on the average breaks the run).",
        f"**A run up or down**: {_RULES.trend} or more months in a row that rise every time, or fall "
        f"every time: {_RULES.trend - 1} rises, or {_RULES.trend - 1} falls, in a row (a repeated figure "
        "breaks the run).",
        f"**{_RULES.two_in_three_needed} of {_RULES.two_in_three_window} near a limit**: "
        f"{_RULES.two_in_three_needed} of {_RULES.two_in_three_window} months in a row beyond the "
        f"\u201c2-sigma\u201d lines (the average plus or minus {spc.TWO_SIGMA_FACTOR} times the average "
        "month-to-month change), on the same side, with all 3 months on that side of the average.",
    ), numbered=True),
    Items((
        f"A measure with **{words.TOO_FEW_MONTHS.format(min_points=spc.MIN_POINTS)}** is not rated: too "
        "few to tell change from chance.",
        "Against a **target**, the normal range tells what to expect: if the whole range is on the right "
        "side of the target, it will be met every month; if it is all on the wrong side, it will not be "
        "met without a change; if the target is inside the range, it will be met in some months and "
        "missed in others.",
    )),
    "Crime counts rise and fall with the seasons; a run of summer months above the average can show up "
    "as a pattern. Read a rating with its chart and its explanation, which say what was found.",
))

SOURCES_OF_THE_METHOD = Section("Sources of the method", (
    "The method follows NHS England's *Making Data Count* guidance (its \u201cplot the dots\u201d XmR charts and "
    "the tests of its Single Chart Tool) and two open implementations of it: the R package "
    "**NHSRplotthedots** (NHS-R Community) and the **PowerBI-SPC** visual (AUS-DOH-Safety-and-Quality on "
    "GitHub). Where they differ, this dashboard says which it follows.",
    Items((
        f"**Normal range**: the average plus or minus {spc.LIMIT_FACTOR} times the average month-to-month "
        "change, as in all three.",
        f"**Screening of freak months**: a month-to-month change more than {spc.SCREEN_FACTOR} times the "
        "average change is left out and the average change worked out again, so one unusual month does "
        "not widen the range for three years. NHSRplotthedots and PowerBI-SPC do this by default.",
        f"**{_RULES.two_in_three_needed} of {_RULES.two_in_three_window} near a limit**: 2 or 3 of 3 months "
        "in a row beyond the same 2-sigma line, with all 3 on that side of the average, as Making Data Count "
        "and NHSRplotthedots define it. A month beyond the normal range counts towards it, as in PowerBI-SPC "
        "(NHSRplotthedots leaves it out, but it is already flagged on its own).",
        "**Target**: compared with the normal range using the same rounding tolerance as every other line, "
        "so a limit that equals the target is not \u201cclear\u201d of it; NHSRplotthedots compares the same "
        "way (the target must lie beyond the limit).",
        "**Conflicting signals on the latest month** (a fall that is still above the average, say): "
        "**concern wins**. NHSRplotthedots instead takes the first pattern in a fixed order (outside the "
        "range, a run up or down, two of three, a run on one side); a panel is better told of a possible "
        "problem than reassured by a mixed signal.",
        "**Step changes**: after a lasting change with a known cause (the end of a lockdown, a change in "
        "recording), Making Data Count re-calculates the limits from that point. The office records each "
        "step change in the plan file with its month and reason; each part of the chart then has its own "
        f"average and range, and no pattern runs across a step change. A step change counts only once "
        f"{spc.MIN_POINTS} months follow it (until then those months join the part before), because a range "
        "from fewer months is too unsteady to trust, as for a rating. When the figures have stayed on one "
        f"side of the average for {spc.LASTING_SHIFT} months or more with no step change recorded, the "
        "dashboard suggests one; it never re-bases on its own.",
    )),
))

PROVISIONAL_MONTHS = Section("Months whose outcomes are still being recorded", (
    words.PROVISIONAL_MEANS,
    words.PROVISIONAL_RULE.format(excess=f"{provisional.PROVISIONAL_EXCESS:g}"),
))

INCOMPLETE_MONTHS = Section("Months the areas’ figures are incomplete", (incomplete.rule_words(),))

SECTIONS = (YEAR_ON_YEAR, WHY_THEY_CAN_DIFFER, NORMAL_RANGE, PROVISIONAL_MONTHS, INCOMPLETE_MONTHS,
            SOURCES_OF_THE_METHOD)

RULES_HEADING = "How a rating is decided"
RULES_INTRO = "The rules are applied in this order, and the first that fits decides:"

# For the office's analyst, not for members: shown folded away on the Methodology page.
FOR_ANALYSTS = Section("For analysts", (
    "**The notable test.** Given the two counts, n = this year + last year; if nothing changed, this "
    "year's count would be Binomial(n, 1/2). The two-sided p-value of that exact test is below 0.05 "
    "for a notable change. There is no test when both counts are 0.",
    f"**The limits.** Moving range MR = |this month \u2212 the month before|, for consecutive months of one "
    f"phase only; mean(MR) is their mean after leaving out any MR above {spc.SCREEN_FACTOR} \u00d7 the first "
    f"mean (screening); process limits = mean \u00b1 {spc.LIMIT_FACTOR} \u00d7 mean(MR); 2-sigma lines = mean "
    f"\u00b1 {spc.TWO_SIGMA_FACTOR} \u00d7 mean(MR). "
    "Commands to load data and make ratings are in the README.",
))
