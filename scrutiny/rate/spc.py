"""Statistical process control: XmR charts as in NHS England's "Making Data Count".

One series (one measure, one area, month by month) goes in; every point comes back with its
centre line, limits and the special cause rules it takes part in, and the series gets a
variation rating (from the latest point) and an assurance rating (against a target).

Decisions a reader of a rating may ask about:
- Fewer than MIN_POINTS points: no rating (variation and assurance are None) and no rules are
  applied, because limits from so few points are too unsteady to call anything special. Points
  still carry limits (from 2 points on) so that a chart can be drawn; with fewer than 2 points
  there is no moving range, so the centre and limits are None.
- A month missing from the series (periods are 'YYYY-MM', strictly increasing) breaks every run
  rule (shift, trend, two in three): the points either side of a gap are not consecutive months,
  and joining them could report a trend that nobody observed. The moving range is still taken
  between neighbouring points as given.
- When rules on the latest point disagree (a falling trend that is still above the mean, say),
  concern wins: the panel should hear about a possible problem rather than be reassured.
- "Beyond a line" and "on the mean" are judged with a relative tolerance of 1e-9, so that a value
  that equals a line up to floating-point rounding (all values equal, a value exactly on a limit)
  counts as on it, not beyond it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from scrutiny.core.months import add_months, parse_month
from scrutiny.core.vocab import IMPROVEMENT_DIRECTIONS

MIN_POINTS = 13  # Making Data Count: fewer points than this give no rating
LIMIT_FACTOR = 2.66  # 3 sigma = 2.66 x mean moving range (3 / d2, d2 = 1.128)
TWO_SIGMA_FACTOR = 1.773  # 2 sigma = 1.773 x mean moving range (2 / 1.128)
RULE_ORDER = ("astronomical", "two_in_three", "shift", "trend")  # strongest evidence first


@dataclass(frozen=True)
class RuleLengths:
    shift: int = 7  # points in a row on one side of the mean
    trend: int = 7  # points in a row each higher (or each lower) than the one before
    two_in_three_window: int = 3
    two_in_three_needed: int = 2  # of the window, beyond the 2-sigma line on the same side


@dataclass(frozen=True)
class SpcPoint:
    period: str
    value: float
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    lower_2sigma: float | None
    upper_2sigma: float | None
    rules: tuple[str, ...]  # special cause rules this point takes part in, in RULE_ORDER

    @property
    def special_cause(self) -> bool:
        return bool(self.rules)


@dataclass(frozen=True)
class SpcResult:
    points: list[SpcPoint]
    variation: str | None  # 'improvement', 'concern', 'common_cause'; None below MIN_POINTS
    assurance: str | None  # 'pass', 'fail', 'hit_and_miss'; None without target or points
    baseline_size: int
    mean_moving_range: float | None
    decided_by: str | None = None  # the rule on the latest point behind a special cause rating

    def to_json_dict(self) -> dict:
        return {
            "points": [
                {
                    "period": p.period,
                    "value": p.value,
                    "mean": p.mean,
                    "lower_limit": p.lower_limit,
                    "upper_limit": p.upper_limit,
                    "lower_2sigma": p.lower_2sigma,
                    "upper_2sigma": p.upper_2sigma,
                    "special_cause": p.special_cause,
                    "rules": list(p.rules),
                }
                for p in self.points
            ],
            "variation": self.variation,
            "assurance": self.assurance,
        }


def which_rule_decided(result: SpcResult) -> str | None:
    """The rule on the latest point that gave the variation rating, for explanations: the first
    in RULE_ORDER among the rules pointing the way of the rating. None for common cause."""
    return result.decided_by


def analyse(
    periods: list[str],
    values: list[float],
    improvement: str,
    target: float | None = None,
    baseline: int | None = None,
    rule_lengths: RuleLengths = RuleLengths(),
) -> SpcResult:
    """XmR analysis of a monthly series. `improvement` is 'lower' (crime) or 'higher'
    (satisfaction); `baseline=N` fixes the limits on the first N points."""
    linked = _check_inputs(periods, values, improvement, baseline)
    values = [float(v) for v in values]
    size = len(values) if baseline is None else baseline
    if size < 2:
        points = [SpcPoint(p, v, None, None, None, None, None, ()) for p, v in zip(periods, values)]
        return SpcResult(points, None, None, size, None)

    base = values[:size]
    mean = math.fsum(base) / size  # fsum: exact sum, less rounding to tolerate
    mean_mr = math.fsum(abs(b - a) for a, b in zip(base, base[1:])) / (size - 1)
    lines = (
        mean,
        mean - LIMIT_FACTOR * mean_mr,
        mean + LIMIT_FACTOR * mean_mr,
        mean - TWO_SIGMA_FACTOR * mean_mr,
        mean + TWO_SIGMA_FACTOR * mean_mr,
    )
    rated = len(values) >= MIN_POINTS
    flags = _apply_rules(values, linked, lines, rule_lengths) if rated else [set() for _ in values]
    points = [
        SpcPoint(p, v, *lines, tuple(r for r in RULE_ORDER if r in f))
        for p, v, f in zip(periods, values, flags)
    ]
    if not rated:
        return SpcResult(points, None, None, size, mean_mr)

    variation, decided_by = _variation(values, mean, points[-1].rules, improvement)
    assurance = None if target is None else _assurance(lines[1], lines[2], target, improvement)
    return SpcResult(points, variation, assurance, size, mean_mr, decided_by)


def _check_inputs(periods, values, improvement, baseline) -> list[bool]:
    """Raise ValueError on bad arguments; return linked[i]: is point i the month after i-1?"""
    if improvement not in IMPROVEMENT_DIRECTIONS:
        raise ValueError(f"improvement must be 'lower' or 'higher', not {improvement!r}")
    if len(periods) != len(values):
        raise ValueError(f"{len(periods)} periods but {len(values)} values")
    if any(not math.isfinite(float(v)) for v in values):
        raise ValueError("values must be finite numbers")
    if baseline is not None and not 2 <= baseline <= len(values):
        raise ValueError(f"baseline must be between 2 and the {len(values)} points, not {baseline}")
    months = [parse_month(p) for p in periods]
    for i in range(1, len(months)):
        if months[i] <= months[i - 1]:
            raise ValueError(f"periods must increase: {periods[i]} follows {periods[i - 1]}")
    return [False] + [add_months(a, 1) == b for a, b in zip(months, months[1:])]


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


def _apply_rules(values, linked, lines, lengths: RuleLengths) -> list[set[str]]:
    mean, lower, upper, lower_2s, upper_2s = lines
    flags: list[set[str]] = [set() for _ in values]

    for i, x in enumerate(values):
        if _side(x, upper) > 0 or _side(x, lower) < 0:
            flags[i].add("astronomical")

    sides = [_side(x, mean) for x in values]
    for start, end in _runs(sides, linked):
        if end - start >= lengths.shift:
            for i in range(start, end):
                flags[i].add("shift")

    # Step i is the direction from point i-1 to point i; a run of k equal steps spans k+1
    # points (1,2,...,7 is six rises and a trend of seven points). Equal values, and a step
    # across a missing month, are 0 and so break a trend.
    steps = [0] + [(b > a) - (b < a) for a, b in zip(values, values[1:])]
    steps = [step if link else 0 for step, link in zip(steps, linked)]
    for start, end in _runs(steps, linked):
        if end - start + 1 >= lengths.trend:
            for i in range(start - 1, end):
                flags[i].add("trend")

    beyond = [1 if _side(x, upper_2s) > 0 else -1 if _side(x, lower_2s) < 0 else 0 for x in values]
    window = lengths.two_in_three_window
    for start in range(len(values) - window + 1):
        span = range(start, start + window)
        if not all(linked[i] for i in span[1:]):
            continue
        for side in (1, -1):
            hits = [i for i in span if beyond[i] == side]
            if len(hits) >= lengths.two_in_three_needed:
                for i in hits:
                    flags[i].add("two_in_three")
    return flags


def _variation(values, mean, rules, improvement) -> tuple[str, str | None]:
    """Rate the latest point; return (variation, the rule that decided it)."""
    good = 1 if improvement == "higher" else -1
    verdicts = {}
    for rule in rules:
        # A trend points the way it moves; the other rules the side of the mean the point is on.
        direction = _side(values[-1], values[-2]) if rule == "trend" else _side(values[-1], mean)
        verdicts[rule] = "improvement" if direction == good else "concern"
    if not verdicts:
        return "common_cause", None
    variation = "concern" if "concern" in verdicts.values() else "improvement"
    return variation, next(r for r in RULE_ORDER if verdicts.get(r) == variation)


def _assurance(lower: float, upper: float, target: float, improvement: str) -> str:
    """Pass if the whole band between the limits is on the good side of the target."""
    if improvement == "lower":
        good, bad = upper < target, lower > target
    else:
        good, bad = lower > target, upper < target
    return "pass" if good else "fail" if bad else "hit_and_miss"
