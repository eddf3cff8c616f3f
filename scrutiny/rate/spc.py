"""Statistical process control: XmR charts as in NHS England's "Making Data Count".

One series (one measure, one area, month by month) goes in; every point comes back with its
phase, its phase's centre line and limits, the special cause rules it takes part in and their
kind (improvement or concern), and the series gets a variation rating (from the latest point)
and an assurance rating (against a target), with the latest point's pattern (`Pattern`: the
rule behind the rating, the way it points and how long its run is), counted where the rules
find the runs, so that explanations never count them again.

Decisions a reader of a rating may ask about (scrutiny.rate.methodology cites them on the Methodology page):
- Fewer than MIN_POINTS points: no rating (variation and assurance are None) and no rules are
  applied, because limits from so few points are too unsteady to call anything special. Points
  still carry limits (from 2 points on) so that a chart can be drawn; with fewer than 2 points
  there is no moving range, so the centre and limits are None.
- Moving-range screening, as NHSRplotthedots and the PowerBI-SPC visual do by default: a moving
  range greater than 3.267 x the mean moving range (the upper limit of the moving-range chart) is
  left out and the mean recomputed, so that one freak month does not widen the limits for years.
- Step changes (phases): limits are computed per phase and every rule is evaluated within one
  phase, so no run crosses a step change. A step change takes effect only once its phase has at
  least MIN_POINTS points; until then its points join the phase before. The first phase always
  stands. Nothing re-bases on its own: `lasting_shift` only suggests recording a step change.
- A month missing from the series (periods are Months, strictly increasing) breaks every run
  rule (shift, trend, two in three): the points either side of a gap are not consecutive months,
  and joining them could report a trend that nobody observed. Nor is a moving range taken across
  a gap: the limits come from month-to-month changes only.
- Two in three: 2 or 3 of 3 consecutive points beyond the same 2-sigma line (a point beyond the
  3-sigma limit counts), and all 3 on that side of the mean, as in Making Data Count; only the
  points beyond the line are marked.
- When rules on the latest point disagree (a falling trend that is still above the mean, say),
  concern wins: the panel should hear about a possible problem rather than be reassured.
- "Beyond a line" and "on the mean" are judged with a relative tolerance of 1e-9, so that a value
  that equals a line up to floating-point rounding (all values equal, a value exactly on a limit)
  counts as on it, not beyond it; a target is compared with the limits the same way.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Iterable

from scrutiny.core.months import Month
from scrutiny.core.vocab import (COMMON_CAUSE, CONCERN, FAIL, HIGHER, HIT_AND_MISS, IMPROVEMENT,
                                 IMPROVEMENT_DIRECTIONS, LOWER, PASS)

MIN_POINTS = 13  # Making Data Count: fewer points than this give no rating
LIMIT_FACTOR = 2.66  # 3 sigma = 2.66 x mean moving range (3 / d2, d2 = 1.128)
TWO_SIGMA_FACTOR = 1.773  # 2 sigma = 1.773 x mean moving range (2 / 1.128)
SCREEN_FACTOR = 3.267  # upper limit of the moving-range chart (D4 for ranges of 2 points)
LASTING_SHIFT = 12  # months on one side of the mean before a step change is suggested
RULE_ORDER = ("astronomical", "two_in_three", "shift", "trend")  # strongest evidence first


@dataclass(frozen=True)
class RuleLengths:
    shift: int = 7  # points in a row on one side of the mean
    trend: int = 7  # points in a row each higher (or each lower) than the one before
    two_in_three_window: int = 3
    two_in_three_needed: int = 2  # of the window, beyond the 2-sigma line on the same side


@dataclass(frozen=True)
class StepChange:
    """A lasting change recorded by the office: limits are re-based from `period`, a Month (one
    given as a date or as text 'YYYY-MM' is taken as its Month, so every StepChange holds one)."""
    period: Month
    reason: str = ""

    def __post_init__(self):
        object.__setattr__(self, "period", Month.of(self.period))  # frozen: set once, here


@dataclass(frozen=True)
class Phase:
    number: int              # 1, 2, ...
    first: int               # index of its first point
    size: int                # how many points it has
    limit_points: int        # how many of them the limits come from (a fixed baseline, or all)
    mean_moving_range: float | None  # after screening
    step_change: StepChange | None   # the step change that started it; None for the first

    @property
    def period_index(self) -> range:
        return range(self.first, self.first + self.size)


@dataclass(frozen=True)
class Pattern:
    """What the latest point shows, as the rules found it where they were evaluated (within its
    phase, never across a missing month).

    `rule` is the special cause rule behind the variation rating (a RULE_ORDER name), or None
    when the latest point shows none. `length` depends on the rule: for a shift, the months in a
    row on that side of the average; for a trend, the rises (or falls) in a row, so one fewer
    than the months they join; for two in three, how many of the last three months are beyond
    the 2-sigma line on that side.
    """
    rule: str | None
    way: int                  # +1 above the average (rising, for a trend), -1 below (falling), 0 on it
    length: int = 0
    beyond_range: bool = False  # two in three: one of those months was beyond the range itself


@dataclass(frozen=True)
class SpcPoint:
    period: Month
    value: float
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    lower_2sigma: float | None
    upper_2sigma: float | None
    rules: tuple[str, ...]  # special cause rules this point takes part in, in RULE_ORDER
    kind: str | None = None  # 'improvement' or 'concern' when a rule fires on it
    phase: int = 1

    @property
    def special_cause(self) -> bool:
        return bool(self.rules)


@dataclass(frozen=True)
class SpcResult:
    points: list[SpcPoint]
    variation: str | None  # 'improvement', 'concern', 'common_cause'; None below MIN_POINTS
    assurance: str | None  # 'pass', 'fail', 'hit_and_miss'; None without target or points
    baseline_size: int     # the points the latest phase's limits come from
    mean_moving_range: float | None  # the latest phase's, after screening
    decided_by: str | None = None  # the rule on the latest point behind a special cause rating
    phases: tuple[Phase, ...] = ()
    lasting_shift_since: Month | None = None  # see lasting_shift
    pattern: Pattern | None = None  # the latest point's pattern (the rule in decided_by); None below MIN_POINTS
    pending_step_changes: tuple[StepChange, ...] = ()  # recorded within the series, not yet in effect

    @property
    def latest_phase(self) -> Phase | None:
        return self.phases[-1] if self.phases else None

    def to_json_dict(self) -> dict:
        """The result as JSON data, months as 'YYYY-MM' text: the CLI's output, which others
        check figures with."""
        return {
            "points": [
                {
                    "period": p.period.key,
                    "phase": p.phase,
                    "value": p.value,
                    "mean": p.mean,
                    "lower_limit": p.lower_limit,
                    "upper_limit": p.upper_limit,
                    "lower_2sigma": p.lower_2sigma,
                    "upper_2sigma": p.upper_2sigma,
                    "special_cause": p.special_cause,
                    "kind": p.kind,
                    "rules": list(p.rules),
                }
                for p in self.points
            ],
            "variation": self.variation,
            "assurance": self.assurance,
            "step_changes": [
                {"period": self.points[ph.first].period.key, "reason": ph.step_change.reason}
                for ph in self.phases if ph.step_change is not None
            ],
            "lasting_shift_since": None if self.lasting_shift_since is None else self.lasting_shift_since.key,
            "pending_step_changes": [{"period": s.period.key, "reason": s.reason} for s in self.pending_step_changes],
        }


def which_rule_decided(result: SpcResult) -> str | None:
    """The rule on the latest point that gave the variation rating, for explanations: the first
    in RULE_ORDER among the rules pointing the way of the rating. None for common cause."""
    return result.decided_by


def analyse(
    periods: Iterable,
    values: list[float],
    improvement: str,
    target: float | None = None,
    baseline: int | None = None,
    rule_lengths: RuleLengths = RuleLengths(),
    step_changes: tuple[StepChange, ...] | list[StepChange] = (),
) -> SpcResult:
    """XmR analysis of a monthly series. `periods` are its months, strictly increasing: Months, or
    anything Month.of takes (dates, 'YYYY-MM' text), each taken as its Month here, once, so that
    every point's period is a Month. `improvement` is 'lower' (crime) or 'higher' (satisfaction);
    `baseline=N` fixes the first phase's limits on its first N points; `step_changes` start new
    phases (see the module's notes)."""
    months, linked = _check_inputs(periods, values, improvement)
    values = [float(v) for v in values]
    phases = _phases(months, step_changes, baseline)
    rated = len(values) >= MIN_POINTS
    good = 1 if improvement == HIGHER else -1
    points: list[SpcPoint] = []
    latest_patterns: dict[str, Pattern] = {}  # of the last phase's last point: the latest's
    phases = tuple(replace(ph, mean_moving_range=screened_mean_moving_range(
        values[ph.first:ph.first + ph.limit_points], linked[ph.first:ph.first + ph.limit_points]))
        for ph in phases)
    for phase in phases:
        span = phase.period_index
        lines = _lines(values[phase.first:phase.first + phase.limit_points], phase.mean_moving_range)
        # A phase's first point is not linked to the point before: no run crosses a step change.
        links = [False] + [linked[i] for i in span[1:]]
        in_phase = [values[i] for i in span]
        if rated and lines[0] is not None:
            flags, ways, latest_patterns = _apply_rules(in_phase, links, lines, rule_lengths)
        else:
            flags, ways = [set() for _ in span], [set() for _ in span]
        for i, f, w in zip(span, flags, ways):
            rules = tuple(r for r in RULE_ORDER if r in f)
            kind = None if not rules else IMPROVEMENT if w == {good} else CONCERN
            points.append(SpcPoint(months[i], values[i], *lines, rules, kind, phase.number))

    latest = phases[-1] if phases else None
    size = latest.limit_points if latest else 0
    mean_mr = latest.mean_moving_range if latest else None
    in_effect = {ph.step_change for ph in phases if ph.step_change is not None}
    pending = tuple(s for s in step_changes if s not in in_effect and months and months[0] < s.period <= months[-1])
    if not rated:
        return SpcResult(points, None, None, size, mean_mr, None, phases, pending_step_changes=pending)

    last = points[-1]
    variation, decided_by = _variation(last, latest_patterns, good)
    pattern = latest_patterns[decided_by] if decided_by else Pattern(None, _side(last.value, last.mean))
    assurance = None if target is None else _assurance(last.lower_limit, last.upper_limit, target, improvement)
    since = lasting_shift(points, linked, latest)
    if since is not None and any(s.period >= since for s in pending):
        since = None  # the office has recorded this change already: it takes effect once enough months follow
    return SpcResult(points, variation, assurance, size, mean_mr, decided_by, phases, since, pattern, pending)


def lasting_shift(points: list[SpcPoint], linked: list[bool], phase: Phase) -> Month | None:
    """The first month of a run of LASTING_SHIFT or more months, up to the latest, all on one
    side of the latest phase's mean: a lasting change, for which the office may record a step
    change. None when there is none. Only suggested, never applied."""
    mean = points[-1].mean
    if mean is None:
        return None
    start = len(points) - 1
    side = _side(points[-1].value, mean)
    if side == 0:
        return None
    while (start > phase.first and linked[start]
           and _side(points[start - 1].value, mean) == side):
        start -= 1
    return points[start].period if len(points) - start >= LASTING_SHIFT else None


def step_change_line(month: Month, measure_ids: list[str] | None = None) -> str:
    """The line to add under `step_changes:` in the plan file to record a step change from `month`."""
    measures = "all" if not measure_ids else "[" + ", ".join(measure_ids) + "]"
    return f'  - {{month: {month.key}, measures: {measures}, reason: "why the figures changed"}}'


def _check_inputs(periods, values, improvement) -> tuple[list[Month], list[bool]]:
    """Raise ValueError on bad arguments (BadMonth, a ValueError, for a period that is not a
    month); return the periods as Months and linked[i]: is point i the month after i-1?"""
    if improvement not in IMPROVEMENT_DIRECTIONS:
        raise ValueError(f"improvement must be 'lower' or 'higher', not {improvement!r}")
    periods = list(periods)
    if len(periods) != len(values):
        raise ValueError(f"{len(periods)} periods but {len(values)} values")
    if any(not math.isfinite(float(v)) for v in values):
        raise ValueError("values must be finite numbers")
    months = [Month.of(p) for p in periods]
    for i in range(1, len(months)):
        if months[i] <= months[i - 1]:
            raise ValueError(f"periods must increase: {months[i].key} follows {months[i - 1].key}")
    return months, [False] + [a.plus(1) == b for a, b in zip(months, months[1:])]


def _phases(months: list[Month], step_changes, baseline: int | None) -> tuple[Phase, ...]:
    """The phases of the series. A step change starts a phase at its month (or the first point
    after it, when that month is missing) if that phase would have MIN_POINTS points or more;
    later step changes are judged first, so a short last phase joins the one before it."""
    starts: dict[int, StepChange] = {}
    for step in sorted(step_changes, key=lambda s: s.period):
        at = next((i for i, m in enumerate(months) if m >= step.period), None)
        if at:  # None: after the series; 0: at its start, where the first phase begins anyway
            starts[at] = step
    ends, end = [], len(months)
    for at in sorted(starts, reverse=True):
        if end - at >= MIN_POINTS:
            ends.append(at)
            end = at
    firsts = [0] + sorted(ends) if months else []
    phases = []
    for number, first in enumerate(firsts, start=1):
        size = (firsts[number] if number < len(firsts) else len(months)) - first
        limit_points = size
        if number == 1 and baseline is not None:
            if not 2 <= baseline <= size:
                where = "months in the series" if len(firsts) == 1 else "months before the first step change"
                raise ValueError(f"--baseline {baseline}: it must be between 2 and {size}, the number of {where}")
            limit_points = baseline
        phases.append(Phase(number, first, size, limit_points, None, starts.get(first)))
    return tuple(phases)


def screened_mean_moving_range(values: list[float], linked: list[bool] | None = None) -> float | None:
    """Mean moving range of `values` after leaving out moving ranges greater than
    SCREEN_FACTOR x the first mean (None with no moving range). With `linked` (is value i the
    month after value i-1?), a range is taken only between consecutive months: a change across a
    gap in the data is not a month-to-month change."""
    ranges = [abs(b - a) for a, b, link in zip(values, values[1:], (linked or [True] * len(values))[1:]) if link]
    if not ranges:
        return None
    first = math.fsum(ranges) / len(ranges)
    kept = [r for r in ranges if _side(r, SCREEN_FACTOR * first) <= 0]
    return math.fsum(kept) / len(kept)  # never empty: some range is at most the mean


def _lines(base: list[float], mean_mr: float | None) -> tuple:
    """(mean, lower, upper, lower 2 sigma, upper 2 sigma) from the limit points of a phase."""
    if mean_mr is None:
        return (None,) * 5
    mean = math.fsum(base) / len(base)  # fsum: exact sum, less rounding to tolerate
    return (
        mean,
        mean - LIMIT_FACTOR * mean_mr,
        mean + LIMIT_FACTOR * mean_mr,
        mean - TWO_SIGMA_FACTOR * mean_mr,
        mean + TWO_SIGMA_FACTOR * mean_mr,
    )


def _side(x: float, line: float) -> int:
    """+1 strictly above the line, -1 strictly below, 0 on it (up to rounding)."""
    if math.isclose(x, line, rel_tol=1e-9, abs_tol=1e-12):
        return 0
    return 1 if x > line else -1


def _runs(keys: list, linked: list[bool]) -> list[tuple[int, int]]:
    """Maximal runs (start, end exclusive) of consecutive months with the same non-zero key."""
    runs, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or not linked[i] or keys[i] != keys[start]:
            if keys[start]:
                runs.append((start, i))
            start = i
    return runs


def _apply_rules(values, linked, lines, lengths: RuleLengths
                 ) -> tuple[list[set[str]], list[set[int]], dict[str, Pattern]]:
    """For each point, the rules it takes part in and the ways (+1 up, -1 down) they point: a
    trend the way it moves, every other rule the side of the mean the point is on. And, by
    rule, the pattern the last point shows (its run's length, the way it points), counted here
    where the runs are found so that nothing downstream counts them again."""
    mean, lower, upper, lower_2s, upper_2s = lines
    flags: list[set[str]] = [set() for _ in values]
    ways: list[set[int]] = [set() for _ in values]
    last = len(values) - 1
    latest: dict[str, Pattern] = {}
    sides = [_side(x, mean) for x in values]

    def mark(i: int, rule: str, way: int) -> None:
        flags[i].add(rule)
        ways[i].add(way)

    # Beyond the 3-sigma limit on a side (astronomical), and beyond the 2-sigma line on a side
    # (a point beyond the limit is beyond the line too).
    outside = [1 if _side(x, upper) > 0 else -1 if _side(x, lower) < 0 else 0 for x in values]
    beyond = [1 if _side(x, upper_2s) > 0 else -1 if _side(x, lower_2s) < 0 else 0 for x in values]

    for i, way in enumerate(outside):
        if way:
            mark(i, "astronomical", sides[i])
    if values and outside[last]:
        latest["astronomical"] = Pattern("astronomical", sides[last])

    for start, end in _runs(sides, linked):
        if end - start >= lengths.shift:
            for i in range(start, end):
                mark(i, "shift", sides[i])
            if end == last + 1:  # the months in a row on this side, up to the latest
                latest["shift"] = Pattern("shift", sides[last], end - start)

    # Step i is the direction from point i-1 to point i; a run of k equal steps spans k+1
    # points (1,2,...,7 is six rises and a trend of seven points). Equal values, and a step
    # across a missing month or a step change, are 0 and so break a trend.
    steps = [0] + [(b > a) - (b < a) for a, b in zip(values, values[1:])]
    steps = [step if link else 0 for step, link in zip(steps, linked)]
    for start, end in _runs(steps, linked):
        if end - start + 1 >= lengths.trend:
            for i in range(start - 1, end):
                mark(i, "trend", steps[start])
            if end == last + 1:  # the rises (or falls) in a row, up to the latest
                latest["trend"] = Pattern("trend", steps[start], end - start)

    window = lengths.two_in_three_window
    for start in range(len(values) - window + 1):
        span = range(start, start + window)
        if not all(linked[i] for i in span[1:]):
            continue
        for side in (1, -1):
            if not all(sides[i] == side for i in span):
                continue  # Making Data Count: all the window's points on that side of the mean
            hits = [i for i in span if beyond[i] == side]
            if len(hits) >= lengths.two_in_three_needed:
                for i in hits:
                    mark(i, "two_in_three", side)
                if span[-1] == last:  # the latest window: how many are near, and any beyond the range
                    latest["two_in_three"] = Pattern("two_in_three", side, len(hits),
                                                     any(outside[i] == side for i in hits))
    return flags, ways, latest


def _variation(latest: SpcPoint, patterns: dict[str, Pattern], good: int) -> tuple[str, str | None]:
    """Rate the latest point by its kind; return (variation, the first rule pointing that way).
    A point whose rules point both ways is a concern (see the module's notes)."""
    if latest.kind is None:
        return COMMON_CAUSE, None
    want = good if latest.kind == IMPROVEMENT else -good
    for rule in latest.rules:
        if patterns[rule].way == want:
            return latest.kind, rule
    return latest.kind, latest.rules[0]


def _assurance(lower: float, upper: float, target: float, improvement: str) -> str:
    """Pass if the whole band between the limits is on the good side of the target; a limit on
    the target up to rounding (the tolerance of every other line) is not clear of it."""
    above_upper, below_lower = _side(target, upper) > 0, _side(target, lower) < 0
    if improvement == LOWER:
        good, bad = above_upper, below_lower
    else:
        good, bad = below_lower, above_upper
    return PASS if good else FAIL if bad else HIT_AND_MISS
