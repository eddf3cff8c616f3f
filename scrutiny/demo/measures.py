"""Synthetic monthly values for the plan's measures that come from the office's returns (victim
satisfaction, call handling ...), so that the demo can rate every objective.

These are NOT real figures: there is no public monthly source for them. Levels are set to what
forces typically report, each month is a binomial draw (so a small survey varies more than a big
call centre, as real returns do), and two measures are made to change clearly in the last year
so the demo shows a red and a green rating: 999 answering improves, 101 abandonment worsens.
Every series has its own generator seeded from the measure and area, so the build is
deterministic and adding or removing a measure leaves the others' values unchanged.
"""
from __future__ import annotations

import datetime as dt
import math
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scrutiny.core.vocab import COUNT
from scrutiny.plan.plan_file import Measure, Plan

SEED = 20240201  # the same meeting date that seeds the demo's crime counts
COLUMNS = ["measure_id", "area_id", "month", "value", "denominator"]


@dataclass(frozen=True)
class Profile:
    level: float             # the usual percentage before the last year
    last_year_change: float  # points gained (or lost) by the last month, steadily over 12 months
    summer: float            # points added in July, fading to none in January (negative: a dip)
    wobble: float            # month-to-month variation of the true level, in points
    denominator: float       # expected monthly survey responses or calls, force-wide


PROFILES = {
    # Victims surveyed each month: a quota per area, so small areas vary as much as big ones.
    "victim_satisfaction": Profile(level=76.5, last_year_change=0.0, summer=0.0, wobble=1.0, denominator=600),
    # 999 answering dips in summer, when demand peaks; it improves clearly in the last year.
    "calls_999_in_10s": Profile(level=89.0, last_year_change=3.0, summer=-3.0, wobble=0.5, denominator=15_000),
    # 101 abandonment rises in summer, and worsens clearly in the last year.
    "calls_101_abandoned": Profile(level=11.0, last_year_change=6.0, summer=3.0, wobble=1.0, denominator=30_000),
    "public_confidence": Profile(level=70.0, last_year_change=0.0, summer=0.0, wobble=0.8, denominator=400),
    # Crimes closed in the month (the denominator) that ended in a charge or summons.
    "charge_summons_rate": Profile(level=6.5, last_year_change=0.0, summer=0.0, wobble=0.25, denominator=7_500),
}


def _profile(measure: Measure) -> Profile:
    """A returns measure added to the plan without a profile still gets steady values: around its
    target, or 50% (or a count of 100 a month) without one."""
    if measure.id in PROFILES:
        return PROFILES[measure.id]
    level = measure.target if measure.target is not None else (100.0 if measure.unit == COUNT else 50.0)
    return Profile(level=level, last_year_change=0.0, summer=0.0, wobble=1.0, denominator=1_000)


def _rng(measure_id: str, area_id: str) -> np.random.Generator:
    # crc32, not hash(): Python randomises string hashes between runs.
    return np.random.Generator(np.random.PCG64([SEED, zlib.crc32(measure_id.encode()), zlib.crc32(area_id.encode())]))


def _true_levels(profile: Profile, months: list[dt.date], rng: np.random.Generator, offset: float) -> np.ndarray:
    """The percentage each month would show with an unlimited sample."""
    n = len(months)
    # The change builds up steadily over the last 12 months and is complete in the last one.
    trend = np.array([profile.last_year_change * max(0, i - (n - 13)) / 12 for i in range(n)])
    season = np.array([profile.summer * (1 + math.cos(2 * math.pi * (m.month - 7) / 12)) / 2 for m in months])
    wobble = rng.normal(0.0, profile.wobble, n)
    return np.clip(profile.level + offset + trend + season + wobble, 0.5, 99.5)


def _draw(measure: Measure, months: list[dt.date], area_id: str, share: float,
          spread: float) -> tuple[np.ndarray, np.ndarray | None]:
    """(numerators, denominators) per month for one area holding `share` of the force's
    responses or calls; `spread` is how far areas' usual levels differ, in points."""
    profile, rng = _profile(measure), _rng(measure.id, area_id)
    offset = rng.normal(0.0, spread) if spread else 0.0
    if measure.unit == COUNT:
        return rng.poisson(share * profile.level, len(months)), None
    levels = _true_levels(profile, months, rng, offset)
    denominators = np.maximum(rng.poisson(share * profile.denominator, len(months)), 1)
    return rng.binomial(denominators, levels / 100), denominators


def _rows(measure: Measure, area_id: str, months, numerators, denominators) -> list[tuple]:
    if denominators is None:
        return [(measure.id, area_id, m, float(k), None) for m, k in zip(months, numerators)]
    return [(measure.id, area_id, m, round(100.0 * float(k) / float(d), 1), float(d))
            for m, k, d in zip(months, numerators, denominators)]


def synthetic_measure_values(plan: Plan, area_ids: list[str], force_id: str, months: list[dt.date]) -> pd.DataFrame:
    """One row per returns measure, area and month: the force, and each NPA in `area_ids` for
    measures reported for all areas. The force figure of such a measure is its NPAs' figures
    pooled (all 'yes' answers over all responses), as a force-wide survey would report it."""
    npas = [a for a in area_ids if a != force_id]
    rows = []
    for measure in plan.measures:
        if measure.source != "returns":
            continue
        if measure.areas == "force" or not npas:
            rows += _rows(measure, force_id, months, *_draw(measure, months, force_id, 1.0, 0.0))
            continue
        drawn = {a: _draw(measure, months, a, 1 / len(npas), 2.0) for a in npas}
        numerators = sum(k for k, _ in drawn.values())
        denominators = None if measure.unit == COUNT else sum(d for _, d in drawn.values())
        rows += _rows(measure, force_id, months, numerators, denominators)
        for area_id, (k, d) in drawn.items():
            rows += _rows(measure, area_id, months, k, d)
    return pd.DataFrame(rows, columns=COLUMNS)
