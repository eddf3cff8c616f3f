"""The SPC rating of every month of many series at once, with NumPy: what
`scrutiny.rate.window.rating_window` + `scrutiny.rate.spc.analyse` give for the latest point of
each rating window, computed for every series and every month together, so that every force and
partnership of England and Wales (about 600,000 ratings) is rated in seconds.

The series are laid on a grid, one row per series and one column per calendar month; a month a
series has no figure for is an empty cell (a gap, never a zero). A rating window is the
RATING_WINDOW_MONTHS calendar months up to the rated month, so every quantity of a window is a sum
over at most that many columns to the left: the code loops over those offsets (at most 36), never
over series or months. The rules are spc's, read there:
- the latest phase: the latest step change with a point before it in the window and at least
  MIN_POINTS points from it (spc._phases judges later step changes first, and only the latest phase
  matters to the latest point); its points give the limits and the rules look only within it;
- moving ranges between consecutive months of the phase, screened at SCREEN_FACTOR x their mean;
- the four rules on the latest point, with the lengths of RuleLengths(), their ways, concern wins,
  and decided_by is the first rule in RULE_ORDER pointing the rating's way;
- "beyond" and "on" with spc._side's tolerance (math.isclose, rel 1e-9, abs 1e-12).
Counts are integers, so sums of counts and of moving ranges are exact in float64 whatever their
order and the means and limits agree bit for bit with spc's; for other values (percentages) they may
differ in the last bits.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scrutiny.core.months import months_of
from scrutiny.core.vocab import COMMON_CAUSE, CONCERN, FAIL, HIT_AND_MISS, IMPROVEMENT, PASS
from scrutiny.rate.rag import RATING_WINDOW_MONTHS, rag_for
from scrutiny.rate.spc import (LIMIT_FACTOR, MIN_POINTS, RULE_ORDER, SCREEN_FACTOR, TWO_SIGMA_FACTOR,
                               RuleLengths)

W = RATING_WINDOW_MONTHS
_RULES = RuleLengths()
OUTPUT_COLUMNS = ["rag", "variation", "assurance", "decided_by", "way", "points", "mean", "lower_limit",
                  "upper_limit"]


@dataclass(frozen=True)
class Series:
    """Many monthly series in long form, one row per series and month with a figure.

    `series`: a code 0..S-1 per row; `month`: a month number (year * 12 + month - 1) per row, no
    series having one twice; `value`: the figure. `good[s]`: +1 where higher is better, -1 where lower
    is; `target[s]`: the target (NaN for none); `steps`: (series code, month number) of the step
    changes in effect for each series."""
    series: np.ndarray
    month: np.ndarray
    value: np.ndarray
    good: np.ndarray
    target: np.ndarray | None = None
    steps: tuple[np.ndarray, np.ndarray] | None = None


def month_number(months) -> np.ndarray:
    """Month numbers (year * 12 + month - 1) of a query's month column (datetime64), or of Months
    (or anything else Month.of takes)."""
    months = pd.Series(months)
    if months.dtype.kind == "M":  # a whole column at once: the place series have millions of rows
        return months.to_numpy(dtype="datetime64[M]").astype(np.int64) + 1970 * 12
    return np.array([month.year * 12 + month.month - 1 for month in months_of(months)], dtype=np.int64)


def _side(x: np.ndarray, line: np.ndarray) -> np.ndarray:
    """spc._side for arrays: +1 strictly above, -1 strictly below, 0 on it up to rounding (NaN: 0).
    math.isclose(x, line, rel_tol=1e-9, abs_tol=1e-12) is |x - line| <= max(1e-9 * max(|x|, |line|), 1e-12)."""
    with np.errstate(invalid="ignore"):
        difference = np.subtract(x, line)
        tolerance = np.maximum(np.abs(x), np.abs(line))
        tolerance *= 1e-9
        np.maximum(tolerance, 1e-12, out=tolerance)
        beyond = np.abs(difference) > tolerance
        side = (difference > 0).astype(np.int8)
        side -= difference < 0
    side *= beyond
    return side


def _not_above(x: np.ndarray, line: np.ndarray) -> np.ndarray:
    """_side(x, line) <= 0, cheaply: the tolerance is only worked out where x > line."""
    above = x > line
    near = np.flatnonzero(above)
    above.flat[near] = _side(x.flat[near], line.flat[near]) > 0
    return ~above


class _Grid:
    """The series on a grid padded with W empty months on the left, so that the month `k` before
    every column is a slice (`back`), never an index out of range."""

    def __init__(self, data: Series):
        self.S = len(data.good)
        self.first = int(data.month.min()) if len(data.month) else 0
        self.T = (int(data.month.max()) - self.first + 1) if len(data.month) else 0
        self.cols = data.month - self.first + W  # padded column of each row
        self.present = np.zeros((self.S, self.T + W), dtype=bool)
        self.values = np.zeros((self.S, self.T + W))
        self.present[data.series, self.cols] = True
        self.values[data.series, self.cols] = data.value
        # counted[:, j] = months present in columns before j, so a span's count is a difference
        self.counted = np.zeros((self.S, self.T + W + 1), dtype=np.int32)
        np.cumsum(self.present, axis=1, out=self.counted[:, 1:])
        # linked[:, j]: columns j-1 and j both have a figure (consecutive months); ranges and steps there
        self.linked = np.zeros_like(self.present)
        self.linked[:, 1:] = self.present[:, 1:] & self.present[:, :-1]
        self.ranges = np.zeros_like(self.values)
        self.ranges[:, 1:] = np.abs(self.values[:, 1:] - self.values[:, :-1])
        self.step = np.zeros((self.S, self.T + W), dtype=np.int8)
        self.step[:, 1:] = np.sign(self.values[:, 1:] - self.values[:, :-1])
        self.column = np.arange(W, W + self.T)[None, :]  # the rated month's padded column

    def back(self, array: np.ndarray, k: int) -> np.ndarray:
        """array at the month k before each rated month: shape (S, T)."""
        return array[:, W - k:W - k + self.T]

    def count_from(self, start: np.ndarray) -> np.ndarray:
        """Months present from padded column `start` (per cell) up to each rated month."""
        upto = self.counted[:, W + 1:W + self.T + 1]
        return upto - np.take_along_axis(self.counted, start, axis=1)


def _phase_start(grid: _Grid, data: Series, window_start: np.ndarray) -> np.ndarray:
    """The padded column where each window's latest phase starts (spc._phases): the latest step
    change with a point of the window before it and at least MIN_POINTS points from it; else the
    window's start."""
    start = window_start.copy()
    if data.steps is None or len(data.steps[0]) == 0:
        return start
    codes, months = data.steps
    order = np.lexsort((months, codes))
    codes, cols = codes[order], np.clip(months[order] - grid.first + W, 0, grid.T + W)
    slot = np.arange(len(codes)) - np.searchsorted(codes, codes)  # the step's rank in its series
    for q in range(int(slot.max()) + 1):  # a loop over a series' step changes (a few), not over series
        col = np.full(grid.S, grid.T + W)  # none: after every month
        col[codes[slot == q]] = cols[slot == q]
        at = np.broadcast_to(col[:, None], start.shape)
        before = np.take_along_axis(grid.counted, at, axis=1) - np.take_along_axis(grid.counted, window_start, axis=1)
        takes_effect = (at <= grid.column) & (before > 0) & (grid.count_from(at) >= MIN_POINTS)
        start = np.where(takes_effect, np.maximum(start, at), start)
    return start


@dataclass
class _Lines:
    """Each window's latest phase: its centre line and limits (NaN where it has no moving range)."""
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    lower_2s: np.ndarray
    upper_2s: np.ndarray
    drawn: np.ndarray  # the phase has a moving range, so lines


def _lines(grid: _Grid, start: np.ndarray) -> _Lines:
    """spc.screened_mean_moving_range and spc._lines over each window's latest phase: the k-th
    month back is in the phase when present and not before the phase's start; its moving range
    counts when the month before it is in the phase too."""
    S, T = grid.S, grid.T
    total, size = np.zeros((S, T)), np.zeros((S, T), dtype=np.int32)
    range_total, range_count = np.zeros((S, T)), np.zeros((S, T), dtype=np.int32)
    for k in range(W):
        in_phase = grid.back(grid.present, k) & (grid.column - k >= start)
        total += np.where(in_phase, grid.back(grid.values, k), 0.0)
        size += in_phase
        ranged = grid.back(grid.linked, k) & (grid.column - k - 1 >= start)
        range_total += np.where(ranged, grid.back(grid.ranges, k), 0.0)
        range_count += ranged
    with np.errstate(invalid="ignore", divide="ignore"):
        screen = SCREEN_FACTOR * (range_total / range_count)
    kept_total, kept_count = np.zeros((S, T)), np.zeros((S, T), dtype=np.int32)
    for k in range(W - 1):
        ranges = grid.back(grid.ranges, k)
        kept = grid.back(grid.linked, k) & (grid.column - k - 1 >= start) & _not_above(ranges, screen)
        kept_total += np.where(kept, ranges, 0.0)
        kept_count += kept
    drawn = range_count > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_mr = np.where(drawn, kept_total / kept_count, np.nan)
        mean = np.where(drawn, total / size, np.nan)
    return _Lines(mean, mean - LIMIT_FACTOR * mean_mr, mean + LIMIT_FACTOR * mean_mr,
                  mean - TWO_SIGMA_FACTOR * mean_mr, mean + TWO_SIGMA_FACTOR * mean_mr, drawn)


def _outside(x: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """+1 beyond the high line, -1 beyond the low one, 0 between (on a line is not beyond)."""
    return np.where(_side(x, high) > 0, 1, np.where(_side(x, low) < 0, -1, 0))


def _rules_on_latest(grid: _Grid, start: np.ndarray, lines: _Lines) -> tuple[dict, dict, np.ndarray]:
    """spc._apply_rules for the latest point of each window, within its phase: ({rule: fired},
    {rule: its way}, the latest's side of the mean). A run only needs to reach its rule's length:
    months further back cannot change the rating, so no run is counted further."""
    x = grid.back(grid.values, 0)
    side = _side(x, lines.mean)

    shift = side != 0
    for k in range(_RULES.shift):
        shift &= (grid.back(grid.present, k) & (grid.column - k >= start)
                  & (_side(grid.back(grid.values, k), lines.mean) == side))

    # trend - 1 rises (or falls) in a row, each between consecutive months of the phase
    step_now = np.where(grid.back(grid.linked, 0) & (grid.column - 1 >= start), grid.back(grid.step, 0), 0)
    trend = step_now != 0
    for k in range(_RULES.trend - 1):
        trend &= grid.back(grid.linked, k) & (grid.column - k - 1 >= start) & (grid.back(grid.step, k) == step_now)

    # Two in three: the last three months consecutive within the phase, all on the latest's side of
    # the mean, at least two beyond the 2-sigma line on that side, the latest one of them.
    together, hits = side != 0, np.zeros(side.shape, dtype=np.int32)
    for k in range(_RULES.two_in_three_window):
        xk = grid.back(grid.values, k)
        together &= grid.back(grid.present, k) & (grid.column - k >= start) & (_side(xk, lines.mean) == side)
        hits += _outside(xk, lines.lower_2s, lines.upper_2s) == side
    two_in_three = (together & (hits >= _RULES.two_in_three_needed)
                    & (_outside(x, lines.lower_2s, lines.upper_2s) == side))

    fired = {"astronomical": _outside(x, lines.lower, lines.upper) != 0, "two_in_three": two_in_three,
             "shift": shift, "trend": trend}
    ways = {"astronomical": side, "two_in_three": side, "shift": side, "trend": step_now}
    return fired, ways, side


def _verdict(fired: dict, ways: dict, side: np.ndarray, good: np.ndarray):
    """spc._variation: (improving, any rule, the index in RULE_ORDER of the rule that decided or -1,
    the way of its pattern, or the side of the mean for common cause). Concern wins: an improvement
    needs every rule on the latest point to point the good way; decided_by is the first rule in
    RULE_ORDER pointing the rating's way (else the first that fired)."""
    any_rule = np.zeros(side.shape, dtype=bool)
    all_good = np.ones(side.shape, dtype=bool)
    for rule in RULE_ORDER:
        any_rule |= fired[rule]
        all_good &= ~fired[rule] | (ways[rule] == good)
    improving = any_rule & all_good
    want = np.where(improving, good, -good)
    decided = np.full(side.shape, -1, dtype=np.int8)
    first_fired = np.full(side.shape, -1, dtype=np.int8)
    for i, rule in reversed(list(enumerate(RULE_ORDER))):
        decided = np.where(fired[rule] & (ways[rule] == want), i, decided)
        first_fired = np.where(fired[rule], i, first_fired)
    decided = np.where(any_rule & (decided < 0), first_fired, decided)
    way = side.astype(np.int8)
    for i, rule in enumerate(RULE_ORDER):
        way = np.where(decided == i, ways[rule], way)
    return improving, any_rule, decided, way


def rate_latest(data: Series) -> pd.DataFrame:
    """For every row of `data` (a series' month), the rating of the window up to that month, as
    rating_window + analyse + rag_for give it: rag, variation, assurance, decided_by (the rule),
    way (the pattern's way; the side of the mean for common cause), points (in the window), mean,
    lower_limit, upper_limit. In the rows' order."""
    grid = _Grid(data)
    window_start = np.broadcast_to(grid.column - (W - 1), (grid.S, grid.T)).copy()
    points = grid.count_from(window_start)
    start = _phase_start(grid, data, window_start)
    lines = _lines(grid, start)
    fired, ways, side = _rules_on_latest(grid, start, lines)
    rated = (points >= MIN_POINTS) & lines.drawn  # spc applies no rule below MIN_POINTS
    fired = {rule: on & rated for rule, on in fired.items()}
    improving, any_rule, decided, way = _verdict(fired, ways, side, np.broadcast_to(data.good[:, None], side.shape))

    # Back to the rows: everything above is per grid cell.
    rows = (data.series, grid.cols - W)
    row_rated = (points >= MIN_POINTS)[rows]
    variation = np.where(improving[rows], IMPROVEMENT, np.where(any_rule[rows], CONCERN, COMMON_CAUSE)).astype(object)
    variation[~row_rated] = None
    assurance = _assurance(data, lines, rows, row_rated)
    decided_by = np.array([None, *RULE_ORDER], dtype=object)[decided[rows] + 1]
    decided_by[~row_rated] = None
    way_rows = way[rows].astype(object)
    way_rows[~row_rated | ~lines.drawn[rows]] = None
    words = {"rag": _rags(variation, assurance), "variation": variation, "assurance": assurance,
             "decided_by": decided_by, "way": way_rows}  # object columns: None stays None, not NaN
    frame = pd.DataFrame({**{name: pd.Series(column, dtype=object) for name, column in words.items()},
                          "points": points[rows], "mean": lines.mean[rows], "lower_limit": lines.lower[rows],
                          "upper_limit": lines.upper[rows]})
    return frame[OUTPUT_COLUMNS]


def _assurance(data: Series, lines: _Lines, rows, row_rated: np.ndarray) -> np.ndarray:
    """spc._assurance for each row of a series with a target: pass when the whole band between the
    limits is on the good side of the target, fail when on the bad side, else hit and miss."""
    assurance = np.full(len(data.series), None, dtype=object)
    if data.target is None:
        return assurance
    target = data.target[data.series]
    judged = row_rated & ~np.isnan(target)
    higher_is_better = data.good[data.series] > 0
    above_upper, below_lower = _side(target, lines.upper[rows]) > 0, _side(target, lines.lower[rows]) < 0
    passing = np.where(higher_is_better, below_lower, above_upper)
    failing = np.where(higher_is_better, above_upper, below_lower)
    assurance[judged] = np.where(passing, PASS, np.where(failing, FAIL, HIT_AND_MISS))[judged]
    return assurance


def _rags(variation: np.ndarray, assurance: np.ndarray) -> list[str]:
    """rag_for on each row, called once per distinct (variation, assurance): the rules stay in rag.py."""
    known: dict = {}
    for pair in set(zip(variation, assurance)):
        known[pair] = rag_for(*pair)[0]
    return [known[pair] for pair in zip(variation, assurance)]
