"""What a panel meeting is shown for a month, from the query files: the presentation slides
(scrutiny.present.slides) and the meeting pack (scrutiny.present.pack) are both built from these, so the big
screen, the PDF and the pages always agree.

`query` is any function that runs a query file by name with its parameters and returns a frame:
`ui.query` in the app, `runner(con)` (below) on the command line and in tests.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import plotly.graph_objects as go

from scrutiny.core import formatting, words
from scrutiny.core.crime_types import ALL_CRIME, ANTI_SOCIAL_BEHAVIOUR
from scrutiny.core.months import Month, month_label, months_of
from scrutiny.plan import meetings as panel_meetings
from scrutiny.plan.plan_file import OBJECTIVE_RATING_RULE, objective_rating
from scrutiny.rate.window import spc_for_rating
from scrutiny.rate import incomplete, story, yoy
from scrutiny.rate.incomplete import NOT_PLACED_WARNING_SHARE, MonthQuality  # noqa: F401 (re-exported)
from scrutiny.rate.rag import AMBER, GREEN, NOT_RATED, RED, rating_label
from scrutiny.rate.spc import SpcResult
from scrutiny.show.spc_chart import spc_chart, spc_table
from scrutiny.store import queries

Query = Callable[..., pd.DataFrame]
RAG_ORDER = (RED, AMBER, GREEN, NOT_RATED)  # the order the panel wants to read them in
MEETING_INTERVAL_MONTHS = 2  # with no meeting days in the plan: "since the last meeting" is two months before
OBJECTIVE_RULE = OBJECTIVE_RATING_RULE  # how plan_tree rates an objective, in words (Methodology page, pack)
# What "since the last meeting" compares with, in words (Methodology page)
SINCE_LAST_MEETING_RULE = (
    "Changes since the last meeting compare a month's ratings with the latest month published before "
    "the panel's previous meeting (the latest meeting, of those in the plan file, before the month "
    f"itself was published). {panel_meetings.PUBLICATION_RULE} With no meetings in the plan file, "
    f"or none that early, they compare with {MEETING_INTERVAL_MONTHS} months before.")


def runner(con) -> Query:
    """A `query` function over an open DuckDB connection."""
    return lambda name, **params: queries.run(con, name, **params)


@dataclass(frozen=True)
class Force:
    area_id: str
    name: str


@dataclass(frozen=True)
class Headline:
    """One of the month's headline figures: a count beside the same month a year before."""
    label: str
    count: float
    count_previous_year: float | None
    change_pct: float | None
    notable: bool | None  # None: no test (no figure a year before, or both 0)


@dataclass(frozen=True)
class MeasureEvidence:
    """A measure's stored rating with what backs it: the SPC analysis, its chart and table."""
    measure_id: str
    measure_name: str
    area_name: str
    unit: str
    rag: str
    decided_by: str
    explanation: str
    story: str | None  # how its change on a year before squares with the rating (scrutiny.rate.story)
    result: SpcResult
    figure: go.Figure
    table: pd.DataFrame


def force(query: Query) -> Force:
    areas = query("common/areas")
    return Force(areas.area_id.iloc[0], areas.area_name.iloc[0])


def months(query: Query) -> list[Month]:
    """Every month with figures, newest first."""
    return months_of(query("common/months").month)


@dataclass(frozen=True)
class EarlierMonths:
    """The months a month's ratings can be compared with, and the one to offer first."""
    months: list[Month]  # every month with figures before the chosen one, newest first
    last_meeting: Month | None  # None when there is no earlier month
    meeting_day: dt.date | None = None  # the previous meeting, when the plan lists the panel's meetings


def meeting_days(query: Query) -> list[dt.date]:
    """The panel's meeting days from the plan file, oldest first (none: not recorded)."""
    return [pd.Timestamp(day).date() for day in query("common/meetings").meeting_date]


def earlier_months(query: Query, month: dt.date) -> EarlierMonths:
    """The months before `month`; the default is the month the panel last looked at. With the
    panel's meetings in the plan file: the latest month published before the previous meeting
    (scrutiny.plan.meetings: the latest meeting before `month` itself was published). With no
    meetings recorded, or none that early: two months before (MEETING_INTERVAL_MONTHS), else the
    latest earlier month. The Plan and Present pages' and the Overview's "since the last meeting"."""
    earlier = [m for m in months(query) if m < month]
    if not earlier:
        return EarlierMonths([], None)
    day = panel_meetings.previous_meeting(month, meeting_days(query))
    seen = panel_meetings.latest_published(day, earlier) if day is not None else None
    if seen is not None:
        return EarlierMonths(earlier, seen, day)
    wanted = Month.of(month).plus(-MEETING_INTERVAL_MONTHS)
    return EarlierMonths(earlier, wanted if wanted in earlier else max(earlier))


def last_meeting(query: Query, month: dt.date) -> Month | None:
    """The month the panel last looked at (see earlier_months)."""
    return earlier_months(query, month).last_meeting


def headlines(query: Query, month: dt.date) -> list[Headline]:
    """All crime, and anti-social behaviour on its own (police recorded crime does not count it)."""
    by_type = crime_type_changes(query, force(query).area_id, month).set_index("crime_type")
    found = []
    for crime_type, label in ((ALL_CRIME, "All crime"), (ANTI_SOCIAL_BEHAVIOUR, "Anti-social behaviour")):
        if crime_type in by_type.index:
            row = by_type.loc[crime_type]
            found.append(Headline(label, row.crime_count, _number(row.count_previous_year),
                                  _number(row.change_pct), row.notable))
    return found


def crime_type_changes(query: Query, area_id: str, month: dt.date) -> pd.DataFrame:
    """Every crime type (All crime first) in an area beside a year before, with the year-on-year
    test, the others from the strongest evidence of change to the weakest."""
    table = yoy.with_test(query("overview/crime_type_changes", area=area_id, month=month))
    is_all = table.crime_type == ALL_CRIME
    return pd.concat([table[is_all], yoy.by_strength(table[~is_all])], ignore_index=True)


def areas(query: Query, month: dt.date, crime_type: str = ALL_CRIME) -> pd.DataFrame:
    """The home force's areas beside a year before, with the year-on-year test; `not_tested` says
    why an area's change has no test (None: it has one, or there is no figure a year before). A
    change that is for, or compares with, a month incomplete for the areas is not tested: its
    p_value is NaN and notable None, whatever the counts (scrutiny.rate.incomplete)."""
    table = yoy.with_test(query("areas/area_comparison", month=month, crime_type=crime_type))
    short = incomplete.comparison_incomplete(month, incomplete_months(query))
    if not short or table.empty:
        return table.assign(not_tested=None)
    reason = incomplete.not_tested_reason(short)
    return table.assign(p_value=float("nan"), notable=pd.Series([None] * len(table), index=table.index, dtype=object),
                        not_tested=reason)


@dataclass(frozen=True)
class ClearestChanges:
    """The areas with the clearest change on a year before, for the Overview, the slides and the
    pack: `rows` (from areas, strongest evidence first) and, when some or all areas cannot be
    ranked, a sentence saying why (`note`)."""
    rows: pd.DataFrame
    note: str | None


def clearest_area_changes(query: Query, month: dt.date, crime_type: str = ALL_CRIME,
                          shown: int = 4) -> ClearestChanges:
    """At most `shown` areas, from the clearest change to the least clear. No list when no area has
    a figure a year before (one sentence instead), and the areas whose change is not tested (an
    incomplete month) are left out with a note."""
    table = areas(query, month, crime_type)
    if not has_year_before(table):
        return ClearestChanges(table.iloc[0:0], words.NOTHING_TO_RANK.format(year_before=Month.of(month).year_before.label))
    left_out = table[table.not_tested.notna()]
    ranked = yoy.by_strength(table[table.not_tested.isna()]).head(shown)
    if left_out.empty:
        return ClearestChanges(ranked, None)
    reason = left_out.not_tested.iloc[0]
    if ranked.empty:
        return ClearestChanges(ranked, words.NO_AREA_RANKED.format(reason=reason))
    return ClearestChanges(ranked, words.INCOMPLETE_LEFT_OUT.format(areas=", ".join(left_out.area_name), reason=reason))


AREA, NOT_PLACED, WHOLE_FORCE = "area", "not placed", "force"  # the kinds of line of areas_and_force


def areas_and_force(query: Query, month: dt.date, crime_type: str = ALL_CRIME) -> pd.DataFrame:
    """The areas (as `areas`), then the records placed in no area, a line per reason ("Not placed
    in an area: no location given"), then the force as a whole, which counts them all: the lines
    before it add up to it. Column `line` says which kind each is (AREA, NOT_PLACED, WHOLE_FORCE).
    What the Areas page's table, its CSV, the pack's table and `yoy` show."""
    unplaced = query("areas/not_placed", month=month, crime_type=crime_type)
    unplaced = unplaced.assign(
        area_id=None, line=NOT_PLACED,
        area_name=[f"{words.NOT_PLACED}: {words.NOT_PLACED_REASONS.get(r, r)}" for r in unplaced.reason],
    ).drop(columns="reason")
    parts = [areas(query, month, crime_type).assign(line=AREA), yoy.with_test(unplaced),
             yoy.with_test(query("areas/force_total", month=month, crime_type=crime_type)).assign(line=WHOLE_FORCE)]
    return pd.concat([p for p in parts if not p.empty], ignore_index=True)


def month_quality(query: Query, month: dt.date) -> MonthQuality | None:
    """The month's data quality for the home force; None when it has no records that month. From
    the every-month query the ratings use too, so there is one definition (and one cached result)."""
    return incomplete.home_qualities(query("common/month_qualities")).get(Month.of(month))


def incomplete_months(query: Query) -> dict[Month, MonthQuality]:
    """The months incomplete for the areas: more than NOT_PLACED_WARNING_SHARE of their crimes in
    no area (scrutiny.rate.incomplete)."""
    return incomplete.incomplete(incomplete.home_qualities(query("common/month_qualities")))


def left_out_months(query: Query, area_id: str) -> set[Month]:
    """The months an area's ratings leave out (its incomplete months), so a chart drawn beside a
    rating leaves them out too; none for the force, whose figures count every record."""
    areas = query("common/areas")
    if area_id not in set(areas.area_id[areas.area_level != "force"]):
        return set()
    return set(incomplete_months(query))


def month_warnings(query: Query, month: dt.date) -> list[str]:
    """The warnings beside a month's figures: the month itself, then the month a year before that
    it is compared with, when either is incomplete for the areas."""
    found = incomplete_months(query)
    month = Month.of(month)
    return [w for w in (found[month].warning() if month in found else None,
                        found[month.year_before].compared_warning() if month.year_before in found else None) if w]


def has_year_before(table: pd.DataFrame) -> bool:
    """Whether any line of an areas table has a figure for the same month a year before."""
    return bool(table.count_previous_year.notna().any())


def areas_table(table: pd.DataFrame, month: dt.date) -> pd.DataFrame:
    """The areas compared, as people read them: counts beside the change, months written out, and
    the year of the population behind the rates in the rate's heading."""
    month = Month.of(month)
    years = sorted({int(y) for y in table.population_year.dropna()}) if "population_year" in table else []
    rate = "Rate per 1,000 residents" + (f" ({' and '.join(map(str, years))} population)" if years else "")
    return pd.DataFrame({
        "Area": table.area_name,
        month.label: table.crime_count,
        month.year_before.label: table.count_previous_year,
        "Change (%)": table.change_pct,
        rate: table.rate_per_1000,
        "Notable change": table.notable.map(yoy.notable_word),
    })


def plan(query: Query, month: dt.date) -> pd.DataFrame:
    """The Plan for `month`: themes, objectives and measures with the force-wide ratings."""
    return query("plan/plan_measures", month=month)


def plan_loaded(query: Query) -> bool:
    """False on a real database imported without a plan file: it rates the crime measures only, and
    every page, slide and pack that shows the Plan says so (words.PLAN_NOT_LOADED)."""
    return bool(query("plan/plan_loaded").plan_loaded.iloc[0])


def measures_outside_plan(plan_rows: pd.DataFrame) -> tuple:
    """The `plan` rows of measures no objective uses (all of them when no plan is loaded), in order."""
    return tuple(plan_rows[plan_rows.theme_id.isna() & plan_rows.measure_id.notna()].itertuples())


@dataclass(frozen=True)
class OfficeStatus:
    """The status the Commissioner's office entered for an objective no figure measures."""
    rag: str
    reason: str
    day: str  # the day it was entered, written out ('5 March 2024')


@dataclass(frozen=True)
class PlanObjective:
    name: str
    rag: str  # the worst of its measures' ratings (plan_file.objective_rating), or the office's
    measures: tuple  # plan/plan_measures rows (named tuples), in plan order; empty: see `office`
    office: OfficeStatus | None


@dataclass(frozen=True)
class PlanTheme:
    name: str
    objectives: tuple[PlanObjective, ...]


def plan_tree(plan_rows: pd.DataFrame) -> list[PlanTheme]:
    """The Plan (`plan`'s rows) as themes of objectives of measures, each objective rated, in plan
    order: what the Plan page and the pack both walk. Rows with no theme or objective (measures no
    objective uses) are left out. One pass over the rows: a groupby per theme and objective cost
    more than the rest of the Plan page."""
    grouped: dict[tuple, dict[tuple, list]] = {}  # theme -> objective -> its rows, in plan order
    for row in plan_rows.itertuples():
        theme, objective = (row.theme_id, row.theme_name), (row.objective_id, row.objective_name)
        if any(pd.isna(key) for key in theme + objective):
            continue
        grouped.setdefault(theme, {}).setdefault(objective, []).append(row)
    themes = []
    for (_, theme_name), objective_rows in grouped.items():
        objectives = []
        for (_, objective_name), rows in objective_rows.items():
            measures = tuple(row for row in rows if not pd.isna(row.measure_id))
            if measures:
                objectives.append(PlanObjective(objective_name, objective_rating([m.rag for m in measures]),
                                                measures, None))
            else:
                office = rows[0]
                status = OfficeStatus(office.office_rag, office.office_reason, formatting.day(office.office_date))
                objectives.append(PlanObjective(objective_name, office.office_rag, (), status))
        themes.append(PlanTheme(theme_name, tuple(objectives)))
    return themes


def force_ratings(query: Query, month: dt.date) -> pd.DataFrame:
    """Each measure once, with its force-wide rating and explanation, in plan order."""
    rated = plan(query, month).dropna(subset=["measure_id"]).drop_duplicates("measure_id")
    return rated.reset_index(drop=True)


def rating_counts(ratings: pd.DataFrame) -> dict[str, int]:
    """{'red': 3, 'amber': 4, ...} in RAG_ORDER, leaving out ratings nobody has."""
    counts = ratings.rag.value_counts()
    return {rag: int(counts[rag]) for rag in RAG_ORDER if rag in counts.index}


def measure_evidence(query: Query, measure_id: str, area_id: str, month: dt.date) -> MeasureEvidence | None:
    """The rating of one measure in one area, with the SPC chart drawn from the same window as the
    stored rating (so the chart and the words agree); None when the month has no rating."""
    details = query("plan/rating_detail", measure=measure_id, area=area_id, month=month)
    if details.empty:
        return None
    detail = details.iloc[0]
    series = query("plan/measure_series", measure=measure_id, area=area_id, month=month)
    result = spc_for_rating(series, detail, query("plan/step_changes", measure=measure_id),
                            left_out_months(query, area_id))
    pending = provisional_months(query, measure_id, area_id, month)
    figure = spc_chart(result, improvement=detail.improvement, unit=detail.unit,
                       target=None if pd.isna(detail.target) else float(detail.target),
                       title=f"{detail.measure_name}: {rating_label(detail.rag, detail.decided_by)}",
                       subtitle=f"{detail.area_name}, {month_label(detail.window_first)} to "
                                f"{month_label(detail.window_last)}", provisional=pending)
    return MeasureEvidence(measure_id, detail.measure_name, detail.area_name, detail.unit, detail.rag,
                           detail.decided_by, detail.explanation, story.year_and_rating(detail),
                           result, figure, spc_table(result, provisional=pending))


def provisional_months(query: Query, measure_id: str, area_id: str, month: dt.date) -> tuple[Month, ...]:
    """The months up to `month` whose outcomes were still being recorded, for the chart and the
    table to mark (scrutiny.rate.provisional)."""
    found = query("plan/provisional_months", measure=measure_id, area=area_id, month=month)
    return tuple(months_of(found[found.provisional].month))


def rating_changes(query: Query, month: dt.date, since: dt.date) -> pd.DataFrame:
    """The ratings that moved, each month's with the sentence squaring it with its year before
    (story_before, story_now; None where there is no figure a year before)."""
    changes = query("plan/rating_changes", month=month, since=since)
    return changes.assign(
        story_before=[story.year_and_rating(row, "_before") for row in changes.itertuples()],
        story_now=[story.year_and_rating(row, "_now") for row in changes.itertuples()])


@dataclass(frozen=True)
class CrimeTypeStory:
    """A measure that counts one crime type, its rating and the sentence that squares the rating
    with the crime type's change on a year before, for the pages that show both."""
    crime_type: str
    measure_name: str
    rag: str
    sentence: str


def crime_type_stories(query: Query, area_id: str, month: dt.date) -> dict[str, CrimeTypeStory]:
    """{crime type: its measure's story} for the crime types a measure of the Plan counts alone
    and that have a figure a year before."""
    found = {}
    for row in query("overview/crime_type_ratings", area=area_id, month=month).itertuples():
        sentence = story.year_and_rating(row)
        if sentence and row.crime_type not in found:
            found[row.crime_type] = CrimeTypeStory(row.crime_type, row.measure_name, row.rag, sentence)
    return found


def _number(value) -> float | None:
    return None if pd.isna(value) else float(value)
