"""User-facing definitions, written once and rendered into the pages, the slides and the pack.

A member who reads "notable" on the Overview page and again in the meeting pack must read the
same definition, so each one lives here and nowhere else. Texts use a small part of Markdown
(`**bold**`, `*italic*`); `as_html` turns that into the HTML of a PDF paragraph and `as_plain`
drops it. A text that needs a figure from a layer above this one (a rule's length, the minimum
number of months) is a template with a `{name}` field, filled in by its caller; the methodology
that quotes the rating engine's constants is put together in `scrutiny.rate.methodology`.

Plain words for members: no formulas and no commands here. Those belong on the Methodology
page's "For analysts" part, or in the README.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

# --- Year on year -------------------------------------------------------------------------------
# Why a month is compared with a year before, on its own for a page that shows no counts (Trends).
SAME_MONTH_A_YEAR_BEFORE = (
    "Each month is compared with **the same month a year before**, so that the usual seasonal rise "
    "and fall is not mistaken for change.")
YEAR_ON_YEAR = (
    SAME_MONTH_A_YEAR_BEFORE + " The two counts are always shown beside the percentage, "
    "because a large percentage of a small number can mislead.")

# The exact test on two counts (issue 12): said in words a member can repeat in the chamber.
NOTABLE = (
    "A change on the year before is **notable** when a change that large would happen by chance "
    "less than 1 time in 20 if crime were really at the same level in both years (an exact test "
    "on the two counts; no test when both are 0). With small counts even a big percentage is often "
    "not notable.")

ALL_CRIME_MEANS = (
    "All crime is every police recorded crime type; anti-social behaviour incidents are not "
    "recorded crimes, so they are shown on their own.")

# --- The normal range and special causes ---------------------------------------------------------
NORMAL_RANGE = "The **normal range** is where a measure's figures usually fall."

SPECIAL_CAUSE = (
    "A **special cause** is a pattern in the figures that is unlikely to be chance, so a sign of "
    "real change, for the better (*improvement*) or the worse (*concern*).")

# How the two show on a control chart; the chart's own legend uses the same shapes.
CHART_MARKS = (
    "On each chart the dashed lines are the **normal range**; marked months are a **special "
    "cause**: a diamond is a concern, a triangle an improvement.")

# Where a chart is shown as a table of its figures (the pack without a browser): the marks become a word.
UNUSUAL_IN_TABLES = "an **unusual** month is a special cause."

TOO_FEW_MONTHS = "fewer than {min_points} months of figures"  # filled from scrutiny.rate.spc.MIN_POINTS

# --- Where the figures come from -----------------------------------------------------------------
DEMO_NOTICE = (
    "**Demonstration data.** These figures are synthetic, calibrated to published figures for "
    "Leicester, Leicestershire and Rutland. They are not official statistics.")

# A database file made by an earlier version: the app reads it upgraded in memory and never writes it.
OLD_DATABASE = ("This database was made by an earlier version of the dashboard, so it is read as upgraded "
                "without changing the file. The office\u2019s analyst can upgrade the file itself with: "
                "`python -m scrutiny upgrade`")

# The database cannot be read: `what` says which file (its name, not the server's folders) and why.
DATABASE_UNREADABLE = ("The dashboard cannot read its database: {what}. The office\u2019s analyst can check it "
                       "with `python -m scrutiny upgrade`, and restore it or import the files again.")

# An error nobody foresaw: the details go to the server's log under `reference`, never to the page.
UNEXPECTED_ERROR = ("Sorry, something went wrong while drawing this page. Reloading it may help; if it does "
                    "not, please tell the office\u2019s analyst, quoting reference {reference}.")

# Meeting packs are made one at a time per server (scrutiny.core.turns).
PACK_WAITS = "Another meeting pack is being made; yours starts when it finishes."

# After a real import only part of the demo remains; `what` is its provenance, said by the caller.
DEMO_REMAINS = "**Demonstration data remains.** Some figures here are synthetic, not official statistics: {what}"

STREET_CRIME_SOURCE = "Street-level crime: data.police.uk, Open Government Licence v3.0. " + ALL_CRIME_MEANS

RATINGS_STORED = (
    "Every explanation is generated from the numbers when the data changes, and stored with the "
    "rating, so the pack, the dashboard and the command line always agree.")

NO_MAP = ("No boundaries are loaded, so there is no map yet. The office\u2019s analyst can load them: the "
          "README\u2019s \u201cMaps\u201d section says how.")

# A measure made from outcomes (the charge or summons rate): recent months are provisional
# (scrutiny.rate.provisional). {excess} is its PROVISIONAL_EXCESS.
PROVISIONAL_MEANS = (
    "A month is **provisional** while its outcomes are still being recorded. The charge or summons "
    "rate counts only the crimes whose outcome is known, and the crimes that end in a charge take "
    "longest to settle, so a recent month shows a rate that is too low. On the real files, about half "
    "of the latest month's crimes are still under investigation, and it takes about five months for "
    "that share to fall to the level of older months.")
PROVISIONAL_RULE = (
    "A month is provisional while the share of its crimes still under investigation is more than "
    "{excess} percentage points above the level of the force's settled months. A provisional month is "
    "**not rated**: its figure is shown, marked provisional (a hollow circle in a shaded band on the "
    "chart, and “Yes” in the table’s Provisional column), and its explanation says why.")

# A real database imported without a plan file (scrutiny/load/target.py, crime_measures_only).
PLAN_NOT_LOADED = (
    "**The Police and Crime Plan is not loaded.** Only the crime measures the data.police.uk street "
    "files give are shown, rated from their figures; the Plan’s themes, objectives, the "
    "office’s statuses and the measures from the office’s returns are not. The office’s "
    "analyst can load the Plan by importing the files into a new database with `--plan FILE`: the "
    "README’s “The plan file” section describes the file.")

# The same on a slide, as one line at its foot (the whole box pushed slides past the screen).
PLAN_NOT_LOADED_SLIDE = ("The Police and Crime Plan is not loaded: only the crime measures from the "
                         "data.police.uk street files are rated.")

# --- Records that are in no area ----------------------------------------------------------------
# The areas table's lines for them ("Not placed in an area: no location given"), by the reason in
# unplaced_counts; the force's figures count them, so the areas and these lines add up to the force.
NOT_PLACED = "Not placed in an area"
NOT_PLACED_REASONS = {
    "no location": "no location given",
    "outside the force": "located outside the force area",
    "unknown district": "in a district the lookup does not know",
    "no area rule": "in no area of the area mapping",
}
# The month's data quality, under the month picker: one line, read on a projector. It counts
# crimes: anti-social behaviour is left out, as in "All crime".
MONTH_QUALITY = ("{force}, {month}: {records} crimes in the files, {placed} placed in an area, "
                 "{not_placed} not placed ({share})")
# When a month is incomplete for the areas (scrutiny.rate.incomplete.rule_words fills it in): the
# Methodology page and the pack; the README says the same.
INCOMPLETE_MONTH_RULE = (
    "Some crimes have no location, so they count for the force but for none of its areas. A month is "
    "**incomplete for the areas** when more than {floor} of its crimes are in no area and that share is "
    "more than {factor} the force\u2019s usual share (the middle value over the months loaded, once "
    "there are {min_months}). Forces "
    "differ in how many crimes they leave without a location; a month is incomplete only when it stands "
    "out from the force\u2019s own usual share. Such a month is left out of the areas\u2019 ratings, and "
    "no area\u2019s change on it is called notable. The force\u2019s own figures count every crime.")
# Beside the month's figures when the month is incomplete for the areas (scrutiny.rate.incomplete);
# {against} is USUAL_SHARE_AGAINST once the force has a usual share (12 months loaded), else empty.
USUAL_SHARE_AGAINST = ", more than {factor} the force\u2019s usual {usual}"
NOT_PLACED_WARNING = ("{share} of {month}\u2019s crimes ({not_placed} of {records}) are not placed in an area{against}. "
                      "The force\u2019s figures count them; the areas\u2019 figures cannot, so they add up to less, "
                      "and no area\u2019s change on a year before is called notable.")
# Beside them too when the month a year before, which the chosen month is compared with, is incomplete.
COMPARED_MONTH_WARNING = ("{month}, the month compared with, had {share} of its crimes ({not_placed} of "
                          "{records}) not placed in an area, so no area\u2019s change on it is called notable.")
# Why an area's change is not tested (the yoy note, the clearest-change lists' note).
INCOMPLETE_MONTH_REASON = "{month} had {share} of its crimes not placed in an area"
INCOMPLETE_LEFT_OUT = ("Left out: {areas}. Their change on a year before is not tested, because {reason}, "
                       "so the areas\u2019 counts are incomplete.")
NO_AREA_RANKED = ("No area is listed: their changes on a year before are not tested, because {reason}, "
                  "so the areas\u2019 counts are incomplete.")
# A rating's explanation, for a month left out of an area's rating window.
MONTHS_LEFT_OUT = "{months} are left out: in each, {low} to {high} of the force\u2019s crimes have no area."
MONTH_LEFT_OUT = "{month} is left out: {share} of the force\u2019s crimes that month have no area."
INCOMPLETE_NOT_RATED = ("Not rated: {share} of the force\u2019s crimes in {month} have no area, so the "
                        "areas\u2019 counts that month are incomplete.")
# The clearest-change lists, when no line has a figure for the same month a year before.
NOTHING_TO_RANK = "There are no figures for {year_before}, so there is no change on a year before to rank."
NO_YEAR_BEFORE = ("There are no figures for {year_before}, so there is no change on a year before to show: "
                  "the table gives {month}\u2019s counts.")

# --- Reading a funnel plot (the Compare forces page) ---------------------------------------------
# Templates: {units} is how many places are compared, {unit_word} what they are ("forces").
FUNNEL_BEYOND_CHANCE = (
    "**{outside} of {units} {unit_word} are outside the 99.8% limits**, where chance alone would put "
    "{by_chance}. So these {unit_word} really do differ, for reasons beyond chance (a city centre "
    "has more crime per resident than a village). Being outside these limits says a difference is real, "
    "not that it is unusual among {unit_word} like these: choose \u201c{other_limits}\u201d "
    "to see which stand out from the usual spread.")
FUNNEL_NO_MORE_THAN_CHANCE = "These {unit_word} differ no more than chance would make them, so the limits are from chance alone."
FUNNEL_FEW_UNITS = ("With only {units} {unit_word}, the usual spread between them is only roughly known: "
                    "read verdicts near a limit with care.")


@dataclass(frozen=True)
class FunnelReading:
    """What a funnel plot's lines mean, for one kind of limits."""
    lines: str    # what the curved lines show
    outside: str  # what a point outside them says
    not_why: str


FUNNEL_BY_CHANCE = FunnelReading(
    lines=("The curved lines show how far from the average a rate could fall **by chance alone**: small "
           "places vary more, so the funnel is wider on the left."),
    outside=("A point **above the upper 99.8% line** is higher than chance would give (chance puts a place "
             "there about 1 time in 1,000). Between the 95% and the 99.8% lines is worth a question, but "
             "could be chance: out of 20 places, about one lands outside the 95% lines by chance."),
    not_why="Outside the limits says a difference is unlikely to be chance, not why.")
FUNNEL_USUAL_SPREAD = FunnelReading(
    lines=("The curved lines show how far from the average a rate usually falls, allowing both for chance "
           "and for **the usual differences between places**, estimated from how much these {units} "
           "{unit_word} differ. Small places vary more, so the funnel is wider on the left."),
    outside=("A point **above the upper 99.8% line** stands out even from the usual differences between "
             "places. Between the 95% and the 99.8% lines is worth a question, but may be an ordinary "
             "difference."),
    not_why="Outside the limits says a place is unusual, not why.")

# {home_is} is one of the three below, {home} the home force's name (escaped by the page).
FUNNEL_HOW_TO_READ = """
- Each point is one of the {units} {unit_word}: **across**, how many people live there; **up**, its
  rate of {crime_type} per 1,000 residents over the period. {home_is}
- The straight line is the **average** of them all. {lines}
- {outside}
- {not_why} Check the counts and the populations below, and whether the places record crime the same way.
"""
FUNNEL_HOME_FORCE = "{home} is the **orange diamond**, labelled."
FUNNEL_HOME_PARTNERSHIPS = "{home} has the **orange diamonds**, labelled."
FUNNEL_HOME_MISSING = "{home} has no figures to compare for this period."


# --- A longer text: sections of paragraphs and lists ---------------------------------------------
@dataclass(frozen=True)
class Items:
    """A list inside a section; numbered when the order matters or the items are counted."""
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[str | Items, ...]  # a str is a paragraph


def as_markdown(section: Section) -> str:
    """The section's body (not its heading) as Markdown for st.markdown."""
    parts = []
    for block in section.blocks:
        if isinstance(block, Items):
            parts.append("\n".join(f"{n}. {item}" if block.numbered else f"- {item}"
                                   for n, item in enumerate(block.items, 1)))
        else:
            parts.append(block)
    return "\n\n".join(parts)


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"\*(.+?)\*")


def as_html(text: str) -> str:
    """'**notable**' -> '<b>notable</b>', the rest escaped: for the pack's HTML and Plotly's bit of HTML."""
    return _ITALIC.sub(r"<i>\1</i>", _BOLD.sub(r"<b>\1</b>", html.escape(text, quote=False)))


def as_plain(text: str) -> str:
    """The text without its emphasis: for places that show no formatting (a CSV, a terminal)."""
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))

# Why a notable change on a year before and a rating can seem to disagree (Methodology, pack)
WHY_THEY_CAN_DIFFER = (
    "A change on a year before and a rating can seem to disagree, because they answer different "
    "questions. The year-on-year test compares one month with one month: was this January "
    "different from last January by more than chance? The rating compares this month with three "
    "years of normal variation, month to month and season to season. So a month can be a notable "
    "fall on a year before and still be within the normal range (amber), or show no notable change "
    "on a year before while the months before it make a pattern that is unlikely to be chance (red "
    "or green). Wherever both are shown, one sentence says how they fit.")

# What the Overview's two short lists are ordered by (the exact test's p-value, smallest first)
CLEAREST_CHANGE = (
    "Listed from the clearest change to the least clear: the change least likely to be chance comes "
    "first, whatever its size. A large percentage of a small count is often chance.")

# --- Questions the panel may wish to ask (scrutiny.present.questions) ---
# A drafted question is two sentences: a fact from the rating (its stored figures, worded as the
# explanation words them) and what to ask. No jargon: "usual level", not "mean"; "normal range",
# as the explanations say. {measure} and {area} as the ratings name them; {value}, {target} and
# {range} written by formatting.measure_value, like the explanation beside them.
QUESTION_FACTS = {
    "shift": "{measure} in {area} has been {side} its usual level for {months} months.",
    "trend": "{measure} in {area} has {moved} every month for {months} months in a row.",
    "astronomical": "{measure} in {area} was {value} in {month}, {side} its normal range of {range}.",
    "two_in_three": "{measure} in {area} has been near the {edge} of its normal range in {count} of the last three months.",
}
QUESTION_TARGET_MISSED = ("{measure} in {area} was {value} in {month}, and its whole normal range is on "
                          "the wrong side of the {target} target.")
QUESTION_TARGET_SOMETIMES = "{measure} in {area} was {value} in {month}, and it meets the {target} target in some months only."
# Red because of its target while its own figures improve: the improvement comes first, so the red
# does not hide it ({short}: "short of" or "above", by which way is better).
QUESTION_IMPROVING_SHORT = "{measure} in {area} has been improving for {months} months, but is still {short} the {target} target."
QUESTION_BETTER_SHORT = "{measure} in {area} was {value} in {month}, better than usual, but still {short} the {target} target."
SHORT_OF_TARGET = {"higher": "short of", "lower": "above"}
QUESTION_NO_CLEAR_CHANGE = "{measure} in {area} was {value} in {month}, within its normal range of {range}."
QUESTION_CHANGED = "{measure} in {area} has moved from {before} to {now} since {since}."
# What to ask. Each kind of rating has more than one way to ask, so that two questions in a row do
# not end with the same words (scrutiny.present.questions picks the first that differs from the
# question before). Red by its pattern asks about that pattern; red by its target, about the target.
ASK_RED_GENERAL = "What is the force doing about it, and when will it show?"
ASK_RED = {
    "shift": "What is behind it, and what is the force doing about it?",
    "trend": "What is driving it, and when does the force expect it to turn?",
    "astronomical": "Was this month a one-off, and what explains it?",
    "two_in_three": "Is this the start of a lasting change, and how will the force know?",
}
ASK_RED_TARGET = "What would it take to reach the {target} target, and by when?"
ASK_AMBER_TARGET = ("What would it take to meet the target every month?",
                    "How close is the force to meeting the target every month?")
ASK_AMBER = {"lower": ("Is that where the force wants it to be, and what would bring it down?",
                       "What would it take to bring it below its usual level?"),
             "higher": ("Is that where the force wants it to be, and what would raise it?",
                        "What would it take to lift it above its usual level?")}
ASK_AMBER_FROM_RED = "What brought it back into its normal range, and will that hold?"
ASK_AMBER_FROM_GREEN = "What has slipped since the last meeting, and is the force watching it?"
ASK_GREEN = ("What made the difference, and will it last?", "Could what worked here be used elsewhere?")
ASK_NOT_RATED = ("When will it be rated again?",)
QUESTIONS_INTRO = (
    "One for every measure rated red or amber and every rating that changed since the last meeting, "
    "drafted from the rating's own figures, unless the panel's officers wrote one. The force's, the "
    "red, the changed and the officers' come first; the areas' other amber ratings follow.")
OFFICERS_QUESTION = "Written by the panel's officers"
# Over the areas' other amber ratings' questions (the Overview's expander, the pack's short list)
MORE_QUESTIONS = "{count} more questions, on the areas’ amber ratings"
MORE_QUESTIONS_IN_APPENDIX = ("The areas’ other amber ratings have {count} more questions, drafted the same "
                              "way: they are in the appendix at the end of this pack.")
QUESTION_HEADING = "A question the panel may wish to ask"  # under a measure's detail on the Plan page
DRAFTED_QUESTION = "Drafted from the rating"

# --- Why a rating changed (scrutiny.present.change_reason) ---
# One sentence before a changed rating's details, from the two ratings' stored facts, so that a
# change never reads as a contradiction of the figures beside it ("red -> amber" beside "up 13%").
CHANGE_WHY = "It changed because {why}."
CHANGE_ENDED = {  # the earlier rating's pattern is over
    "shift": "the run of {months} months {side} its usual level ended",
    "trend": "the run of {months} months {moving} in a row ended",
    "astronomical": "{month} was back inside its normal range",
    "two_in_three": "it is no longer near the {edge} of its normal range in two of the last three months",
}
CHANGE_STARTED = {  # the new rating's pattern
    "shift": "it has now been {side} its usual level for {months} months",
    "trend": "it has now {moved} every month for {months} months in a row",
    "astronomical": "{month} was {side} its normal range",
    "two_in_three": "it has been near the {edge} of its normal range in {count} of the last three months",
}
CHANGE_STEP = "a step change in {step} re-based its normal range"
CHANGE_TARGET_NOW_MISSED = "its whole normal range is now on the wrong side of the {target} target"
CHANGE_TARGET_NOW_REACHABLE = "its normal range now reaches the {target} target"
CHANGE_TOO_FEW = "there are too few months since its last step change to rate it"
CHANGE_RATED_AGAIN = "there are now enough months to rate it"
CHANGE_OTHER = "the rating rules give {now} for {month}"

# --- The member's briefing (Overview; scrutiny.present.briefing) ---
BRIEFING_HEADLINE = ("In {month}, of the {measures} measures rated for {force} as a whole, {counts}; "
                     "{changes} since {since}, the month the panel last saw.")
BRIEFING_HEADLINE_NO_EARLIER = "In {month}, of the {measures} measures rated for {force} as a whole, {counts}."
BRIEFING_NOTHING_RATED = "There are no ratings for {month}. Choose another month in the sidebar."
BRIEFING_SINCE_MEETING = ("Compared with {since}: the latest month published before the panel's meeting of "
                          "{day} (a month counts as published 3 weeks after the end of the month after it).")
BRIEFING_SINCE_INTERVAL = ("Compared with {since}, two months before: the plan file lists no meeting of "
                           "the panel before {month} was published, so the usual two months between meetings is assumed.")
BRIEFING_NO_RED = "No measure is rated red for the force as a whole."
BRIEFING_NO_CHANGES = "No rating changed between {since} and {month}, for the force or any area."
# Under the force's own red ratings (counted in the badges above them): the areas' red ones
BRIEFING_RED_IN_AREAS = "Red in an area: {count}"
# Under "Areas with the clearest change" when none of the changes listed passes the test
NONE_NOTABLE = "None of these changes is notable."
# Under the key figures' heading: the ratings above are for every crime type
KEY_FIGURES_CRIME_TYPE = ("The sidebar's Crime type changes this part of the page only (a third figure, and the "
                          "areas with the clearest change); the ratings and questions above cover every measure.")

# --- The inspection trigger (rate/inspection.py; Compare forces, and the briefing and the pack) ---
# The plan refresh of 2013 (shared/seeds/003, paragraph 32): two consecutive quarters outside the
# Home Office's parameters bring the inspectorate's scrutiny.
INSPECTION_TRIGGER = ("outside the range of similar areas for {how_many} quarters running{when}: the kind of "
                      "result that draws inspection scrutiny")
INSPECTION_HOW = (
    "Each financial quarter (April to June is the first), every {unit_word_one} with figures for its three "
    "months is compared with the others on recorded crime per 1,000 residents, with limits that allow for the "
    "usual differences between places (95%). Two or more quarters running outside those limits are listed "
    "here. The Home Office's own limits are not published, so this is the nearest a panel can check for itself.")
INSPECTION_NONE = ("No {unit_word} {were} outside the range of similar areas for two quarters running, in the "
                   "complete financial quarters loaded ({first} to {last}).")

# --- Compare forces' grid: one measure's ratings across the peer group (peer_view.grid_html) ---
# Under the grid. A councillor read amber months beside "above its usual level for 11 months" as a
# contradiction: a run is only called a change once it is long enough, so its first months stay amber.
RATINGS_GRID_RUN = ("A run of months above (or below) the usual level turns a rating red (or green) only once "
                    "it is long enough to count as a change, by the rules on the Methodology page: the months "
                    "before that stay amber, although an explanation later counts them in the run.")
# Above the grid when its measure is not the sidebar's Crime type (the funnel's and the figures')
RATINGS_GRID_OTHER_MEASURE = ("This grid shows **{grid_measure}**; the funnel plot and the figures further down "
                              "show **{page_measure}**, the Crime type chosen in the sidebar.")
# Above the partnerships' grid when the link came from one of the home force's areas
RATINGS_GRID_AREA_IN = "{area} is part of the {unit} partnership area: its row is marked ▶ below."
RATINGS_GRID_AREA_SAME = "{area} is compared as a partnership area itself: its row is marked ▶ below."
RATINGS_GRID_AREA_MARK = "this force’s, with {area}"  # under the marked row's name


# What the home force's areas are called (the Areas page): LLR's are neighbourhood policing areas,
# a force set up with its partnerships has Community Safety Partnerships.
AREA_KINDS = {"npa": "neighbourhood policing area", "csp": "Community Safety Partnership"}


def area_kind(levels) -> str:
    """'neighbourhood policing area' or 'Community Safety Partnership', from the home force's
    areas' area_level; 'area' for a mixture or none."""
    kinds = {AREA_KINDS.get(level) for level in levels if level != "force"}
    return kinds.pop() if len(kinds) == 1 and None not in kinds else "area"


# Shown while a server started without the start script builds the demo database for its first visitor.
DEMO_BEING_BUILT = ("Preparing the demonstration data for its first visitor: this takes a few seconds, once. "
                    "The dashboard appears as soon as it is ready.")
DEMO_NOT_BUILT = ("The demonstration data could not be prepared. The server's log says why; "
                  "`python -m scrutiny build-demo` builds it by hand.")

# --- The glossary (every page's sidebar) ----------------------------------------------------------
# Terms a member meets on the pages, each defined once: the statistical ones reuse the sentences
# above, so the glossary, the pages and the pack say the same thing.
GLOSSARY = {
    "PCC": "The **Police and Crime Commissioner**, elected to hold the force to account and to set its "
           "Police and Crime Plan. The panel scrutinises the PCC.",
    "CSP": "A **Community Safety Partnership**: the council, police and others working together on crime "
           "in one district. Home Office tables count crime by CSP, so forces can be compared by them.",
    "NPA": "A **neighbourhood policing area**: the areas this dashboard shows within the force, each a "
           "group of districts in the county or of neighbourhoods in the city.",
    "ASB": "**Anti-social behaviour**: incidents the police record that are not crimes, so they are "
           "shown on their own, outside all crime.",
    "Special cause": SPECIAL_CAUSE,
    "Normal range": NORMAL_RANGE + " Months inside it are the usual ups and downs; it is worked out "
                    "from up to three years of figures to the month, afresh from any step change.",
    "Notable": NOTABLE,
    "Step change": "A lasting change with a known cause (the end of a lockdown, a change in recording), "
                   "recorded in the Plan with its month and reason. The normal range is worked out afresh "
                   "from it, and the rules never look across it.",
    # the words of the charts' key and the maps
    "Process limits": "The edges of the **normal range**, dashed on the charts: the average plus or minus "
                      "2.66 times the average change from one month to the next. A month outside them is a "
                      "special cause.",
    "2-sigma lines": "The dotted lines on the charts, two thirds of the way from the average to the process "
                     "limits. Two of three months beyond one of them, on the same side, is a special cause.",
    "Percentage points": "The difference between two percentages: from 20% to 25% is up 5 percentage points, "
                         "which is a rise of 25%.",
    "LSOA": "A **Lower layer Super Output Area**: a small area of about 1,000 to 3,000 residents used for "
            "Census statistics. data.police.uk places each crime near its street in one.",
}

# The NPA and CSP entries for a home force whose areas are not NPAs (a force set up with its
# partnerships): the NPA entry does not say they are the areas shown, the CSP entry does.
GLOSSARY_NPA_ELSEWHERE = ("A **neighbourhood policing area**: an area a force polices as one, a group of districts "
                          "or of neighbourhoods; some forces keep their figures by them.")
GLOSSARY_CSPS_SHOWN = " The areas this dashboard shows within the force are its partnerships."


def glossary(kind: str) -> dict[str, str]:
    """GLOSSARY for a home force whose areas are `kind` (area_kind): NPA and CSP say which are shown."""
    if kind == AREA_KINDS["npa"]:
        return GLOSSARY
    found = dict(GLOSSARY, NPA=GLOSSARY_NPA_ELSEWHERE)
    if kind == AREA_KINDS["csp"]:
        found["CSP"] = GLOSSARY["CSP"] + GLOSSARY_CSPS_SHOWN
    return found


# Beside the sidebar's filters, where the abbreviation first shows.
AREA_KINDS_PLURAL = {"neighbourhood policing area": "neighbourhood policing areas (NPAs)",
                     "Community Safety Partnership": "Community Safety Partnerships (CSPs)", "area": "areas"}


def area_filter_help(kind: str) -> str:
    """'The force as a whole, or one of its Community Safety Partnerships (CSPs).'"""
    return f"The force as a whole, or one of its {AREA_KINDS_PLURAL.get(kind, 'areas')}."


AREA_FILTER_HELP = area_filter_help(AREA_KINDS["npa"])  # the demo's (LLR's)
FILTER_NOT_USED = "Not used on this page: {why}"
BRIEFING_NO_QUESTIONS = "No measure is rated red or amber and no rating changed, so no question is drafted."


# --- "Is it just us?": the peer group beside a red or amber rating (scrutiny.present.peer_pattern) ---
# Each sentence is about one street measure in one month, counted from the same peers' ratings as
# the small table beside it. {n} peers, {measure} in lower case. A red peer shows a rise (a concern:
# for crime counts lower is better), a green one a fall, whichever rule found it (above the usual
# level, rising month on month, one month beyond the range, or near its edge), so the sentence
# speaks of a rise or a fall, true for every rule; the table beside it says each peer's pattern.
PEER_WAYS = {"rise": "a rise", "fall": "a fall"}
PEER_UNITS = {"forces": ("peer force", "peer forces"), "csps": ("peer partnership", "peer partnerships")}
# red here: how many of the peers show a rise too
PEER_ALSO = "{k} of the {n} {units} also {show} a rise in {measure} this month ({names})"
PEER_ALL_ALSO = "All {n} {units} also show a rise in {measure} this month"
PEER_NONE_ALSO = "None of the {n} {units} show a rise in {measure} this month: only {here} does"
PEER_DO_NOT = "{k} {do} not"
# ... and when the group is one peer ("All 1 peer force show" reads wrong)
PEER_ONE_ALSO = "The one {units} also shows a rise in {measure} this month"
PEER_ONE_NOT_ALSO = "The one {units} does not show a rise in {measure} this month: only {here} does"
PEER_ONE_SHOWS = "The one {units} shows {way} in {measure} this month"
PEER_ONE_NOT_SHOWS = "The one {units} does not show a rise in {measure} this month"
PEER_ONE_NO_CHANGE = "The one {units} also shows no clear change in {measure} this month"
# red here by its target, not by a rise (peers have no targets), or amber here with no peer amber:
# what the peers show, without "also"
PEER_SHOW = "{k} of the {n} {units} {show} {way} in {measure} this month ({names})"
PEER_ALL_SHOW = "All {n} {units} show {way} in {measure} this month"
PEER_SHOW_NONE = "None of the {n} {units} show a rise in {measure} this month"
# amber here: how many peers show no clear change either, and which ones moved
PEER_ALSO_NO_CHANGE = "{k} of the {n} {units} also {show} no clear change in {measure} this month"
PEER_ALL_NO_CHANGE = "All {n} {units} also show no clear change in {measure} this month"
PEER_MOVED = "{k} {show} {way} ({names})"  # "2 show a rise (A, B)"
# the peers that cannot be counted either way, after the rest
PEER_NOT_RATED = "{k} {has} too few months of figures to be rated ({names})"
PEER_INCOMPLETE = "{k} {has} an incomplete month: too many crimes not placed in an area ({names})"
PEER_NO_MONTH = "{k} {has} no figures for {month} ({names})"
# no sentence of counts to give
PEER_NOTHING_RATED = ("None of the {n} {units} has a rating of {measure} for {month}, so this rating cannot be set "
                      "beside theirs yet")
PEER_NONE_LOADED = ("No {units} are loaded, so this rating cannot be set beside theirs. Compare forces says how "
                    "to load other forces' figures.")
PEER_HERE = {"forces": "this force", "csps": "this area"}
# After the sentence of an area (an NPA) set beside the partnerships of other forces, once: they are
# not the same kind of place ({larger}: PEER_MOSTLY_LARGER when most of them have more residents).
PEER_AREA_NOTE = "{area} is a neighbourhood policing area; its peers are the partnerships of the peer forces{larger}."
PEER_MOSTLY_LARGER = ", most of them larger"
# The area's own partnership, listed first in the table, not counted among the peers
PEER_HOME_UNIT = "{unit} (this force’s partnership, which {area} is part of)"
# This force, or the area rated, by its own rating: the first row of the peers' table, not counted
PEER_THIS = {"forces": "{place} (this force)", "csps": "{place} (this area)"}
# Each peer's pattern in the table, by what decided its rating (the set-wise engine's rule on the
# latest month and its way, +1 up, -1 down). The engine only checks that a run reaches its rule's
# length, so a run is "or more"; {shift}, {rises} and {needed} from scrutiny.rate.spc.RuleLengths.
PEER_PATTERN = {
    ("shift", 1): "{shift} months or more above its usual level",
    ("shift", -1): "{shift} months or more below its usual level",
    ("trend", 1): "Rising every month for {rises} months or more",
    ("trend", -1): "Falling every month for {rises} months or more",
    ("astronomical", 1): "This month above its normal range",
    ("astronomical", -1): "This month below its normal range",
    ("two_in_three", 1): "{needed} or more of the last {window} months near the top of its normal range",
    ("two_in_three", -1): "{needed} or more of the last {window} months near the bottom of its normal range",
}
PEER_PATTERN_NONE = "Within its normal range"
PEER_PATTERN_INCOMPLETE = "Month incomplete: too many crimes not placed in an area"
PEER_PATTERN_TOO_FEW = "Too few months of figures"
PEER_PATTERN_NO_FIGURES = "No figures for {month}"
# A place's rating as the peers' table, the grid and Compare forces word it: places other than the
# home force have no targets, so green is only ever an improvement (vocab.RAG_WORDS says "or on target")
PLACE_GREEN_WORD = "Improving"
PEER_HEADING = "Same pattern elsewhere?"
PEER_AREA_HEADING = "{area}, red: same pattern elsewhere?"  # the pack, under a measure's areas
PEER_RATING_AND_PATTERN = "Rating and pattern"  # the peers' table: the badge, the pattern in words under it
PEER_USUAL_LEVEL = "Usual level"  # the peers' table: the mean the month is judged against
PEER_LINK = "See every peer's rating on Compare forces"

# The drafted question's ending, by how many peers share a red rating's rise (peer_pattern.question_ask):
# a force cannot answer for 25 places that do not share it, so a few sharing asks "why here?" with the
# count; every peer sharing asks whether the force's response differs; in between, what sets apart those
# that do not. {peers}: ASK_PEERS_OF ("the 26 partnerships elsewhere").
ASK_PEERS_FEW = "Only {k} of {peers} {shows} the same rise: why here?"
ASK_PEERS_ALL = {"forces": "{every} shows the same rise: is the force’s response any different from theirs?",
                 "csps": "{every} shows the same rise: is the force’s response in this area any different from theirs?"}
ASK_PEERS_EVERY = {"forces": ("The one peer force", "Every peer force"),  # ASK_PEERS_ALL's {every}: one, many
                   "csps": ("The one peer partnership", "Every peer partnership")}
ASK_PEERS_EVERY_RATED = "{every} with a rating"  # some peers have no rating that month
ASK_PEERS_OF = {"forces": ("the {n} other forces", "the {n} other forces with a rating"),
                "csps": ("the {n} partnerships elsewhere", "the {n} partnerships elsewhere with a rating")}
# in between, with the counts ("1 of the 2 other forces shows the same rise and 1 does not"), not "some"
ASK_PEERS_SOME = {"forces": "{k} of {peers} {shows} the same rise and {rest} {does} not: what does this force share with those that show it?",
                  "csps": "{k} of {peers} {shows} the same rise and {rest} {does} not: what does this area share with those that show it?"}
ASK_PEERS_NONE = {"forces": "Only this force shows it: why?",
                  "csps": "No partnership elsewhere shows it: why here?"}
PEER_PACK_MORE = {1: "1 more peer is not listed here.", "many": "{k} more peers are not listed here."}
PEER_PACK_CAPTION = "{measure}, {month}: this place and its peers"  # the pack's peers' table, for a screen reader too
PEER_PACK_LINK = "The Compare forces page of the dashboard shows these peers' ratings of the last 12 months."
PEER_TABLE_SUMMARY = "The {n} peers' ratings, and the link to Compare forces"
PEER_TABLE_SUMMARY_ONE = "The peer’s rating, and the link to Compare forces"
