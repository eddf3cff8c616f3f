"""Funnel plots: is a unit's crime rate further from the average than chance alone would put it?

Units (forces, or Community Safety Partnerships) each have a count c of crimes over a period and
a population n. The centre line is the overall rate p = sum(c) / sum(n). If every unit's true
rate were p, a unit's count would be a Poisson draw with mean p x n, so its rate c / n would fall
inside that distribution's central 95% (or 99.8%) nine times in ten, or more. Those quantiles,
divided by n, are the control limits; they narrow as n grows, which makes the funnel.

Two ways to draw the limits (`METHODS`):

- "poisson" (the default): exact Poisson quantiles from scipy, made smooth between whole counts
  by the interpolation of Spiegelhalter (2005), "Funnel plots for comparing institutional
  performance", Statistics in Medicine 24:1185-1202, appendix A.1.2: for the probability q, let
  r be the smallest count with F(r) >= q; the limit is r - (F(r) - q) / (F(r) - F(r - 1)).
  95% limits are the 2.5% and 97.5% quantiles; 99.8% limits the 0.1% and 99.9% quantiles.
- "overdispersed": for units that differ by more than chance (large areas nearly always do,
  because places differ), the additive random-effects limits of Spiegelhalter (2005), "Handling
  over-dispersion of performance indicators", Quality and Safety in Health Care 14:347-351, on
  the square-root scale, where sqrt(c / n) has variance about 1 / (4n). Each unit's z-score is
  z = 2 (sqrt(c) - sqrt(p n)); z-scores beyond the 10th and
  90th percentiles are pulled in to them (winsorised), phi = mean(z^2), and when I x phi > I - 1
  the spread between units is tau^2 = (I phi - (I - 1)) / (sum w - sum w^2 / sum w), w = 4n.
  The limits are (sqrt(p) +/- z_q sqrt(1 / (4n) + tau^2))^2 with z_q the normal quantile. When
  tau^2 is 0 (no more spread than chance) the Poisson limits are used.

A unit is classified by where its count lies against the limits at its own population: strictly
above the upper 99.8% limit is "above 99.8%", strictly above the upper 95% limit "above 95%",
and the same below; on a limit counts as inside it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm, poisson

METHODS = ("poisson", "overdispersed")
LEVELS = ("95%", "99.8%")
TAIL_PROBABILITIES = {"95%": 0.025, "99.8%": 0.001}  # the share of units outside on each side by chance
VERDICTS = ("above 99.8%", "above 95%", "within", "below 95%", "below 99.8%")
PER = 1000.0  # rates per 1,000 residents
WINSOR_PERCENTILES = (10, 90)


def poisson_limit(expected, probability: float) -> np.ndarray:
    """The `probability` quantile of Poisson(expected), interpolated between whole counts so the
    funnel is a smooth curve (Spiegelhalter 2005, appendix A.1.2). Counts, not rates."""
    expected = np.asarray(expected, dtype=float)
    r = poisson.ppf(probability, expected)
    at_r, below_r = poisson.cdf(r, expected), poisson.cdf(r - 1, expected)
    with np.errstate(invalid="ignore", divide="ignore"):
        step = np.where(at_r > below_r, (at_r - probability) / (at_r - below_r), 0.0)
    return np.maximum(np.where(expected > 0, r - step, 0.0), 0.0)


@dataclass(frozen=True)
class Funnel:
    """The centre and the way the limits are drawn, fitted to a set of units."""
    rate: float          # overall rate per resident, sum(c) / sum(n)
    method: str          # what was asked for: 'poisson' or 'overdispersed'
    phi: float           # dispersion ratio: about 1 when units differ only by chance
    tau2: float          # spread between units on the square-root scale; 0 = Poisson limits used
    units: int

    @property
    def centre_per_1000(self) -> float:
        return PER * self.rate

    @property
    def uses_poisson(self) -> bool:
        return self.method == "poisson" or self.tau2 == 0.0

    def count_limits(self, population, level: str) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) limits on the count, for each population."""
        n = np.asarray(population, dtype=float)
        tail = TAIL_PROBABILITIES[level]
        if self.uses_poisson:
            return poisson_limit(self.rate * n, tail), poisson_limit(self.rate * n, 1 - tail)
        spread = norm.ppf(1 - tail) * np.sqrt(1 / (4 * n) + self.tau2)
        root = np.sqrt(self.rate)
        return np.maximum(root - spread, 0.0) ** 2 * n, (root + spread) ** 2 * n

    def rate_limits(self, population, level: str) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) limits on the rate per 1,000, for each population. These are rates the
        funnel expects at any population (the curves are drawn over a range of them), not a
        unit's own rate, which comes from the query (the rate_per_1000 macro)."""
        n = np.asarray(population, dtype=float)
        lower, upper = self.count_limits(n, level)
        return PER * lower / n, PER * upper / n


def z_scores(counts, populations, rate: float) -> np.ndarray:
    """2 (sqrt(c) - sqrt(p n)): about standard normal for a Poisson count when the true rate is p."""
    return 2 * (np.sqrt(np.asarray(counts, dtype=float)) - np.sqrt(rate * np.asarray(populations, dtype=float)))


def fit(counts, populations, method: str = "poisson") -> Funnel:
    """The funnel for these units: the centre, and the spread between units beyond chance."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    c, n = np.asarray(counts, dtype=float), np.asarray(populations, dtype=float)
    if len(c) < 2 or len(c) != len(n) or (n <= 0).any() or (c < 0).any():
        raise ValueError("a funnel needs at least two units, each with a count and a positive population")
    rate = c.sum() / n.sum()
    z = z_scores(c, n, rate)
    low, high = np.percentile(z, WINSOR_PERCENTILES)
    phi = float(np.mean(np.clip(z, low, high) ** 2))
    units = len(c)
    tau2 = 0.0
    if method == "overdispersed" and units * phi > units - 1:
        w = 4 * n
        tau2 = float((units * phi - (units - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
    return Funnel(rate=float(rate), method=method, phi=phi, tau2=tau2, units=units)


def classify(counts, populations, funnel: Funnel) -> list[str]:
    """Each unit's verdict, one of VERDICTS; on a limit counts as inside it."""
    c, n = np.asarray(counts, dtype=float), np.asarray(populations, dtype=float)
    low95, high95 = funnel.count_limits(n, "95%")
    low998, high998 = funnel.count_limits(n, "99.8%")
    verdicts = np.select([c > high998, c > high95, c < low998, c < low95],
                         ["above 99.8%", "above 95%", "below 99.8%", "below 95%"], "within")
    return [str(v) for v in verdicts]


def funnel_table(units: pd.DataFrame, method: str = "poisson") -> tuple[pd.DataFrame, Funnel]:
    """The units (crime_count, population, rate_per_1000 and any other columns) with the limits at
    their population and their verdict; and the fitted funnel. A unit's rate is the query's
    (the rate_per_1000 macro), kept as it is: one rate for the table, the map and the chart."""
    funnel = fit(units.crime_count, units.population, method)
    n = units.population.to_numpy(dtype=float)
    table = units.copy()
    for level, name in (("95%", "95"), ("99.8%", "99_8")):
        lower, upper = funnel.rate_limits(n, level)
        table[f"lower_{name}"], table[f"upper_{name}"] = lower, upper
    table["verdict"] = classify(units.crime_count, units.population, funnel)
    return table.reset_index(drop=True), funnel


def comparable(units: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(units to compare, units left out with a reason): a unit needs a population and figures
    for every month of the period, or its rate would not be comparable."""
    reasons = pd.Series("", index=units.index, dtype=object)
    reasons[units.population.isna()] = "no population"
    partial = units.population.notna() & (units.months_with_data < units.months_in_period)
    reasons[partial] = [f"figures for {m} of {p} months" if m else "no figures in the period" for m, p in
                        zip(units.months_with_data[partial], units.months_in_period[partial])]
    left_out = units[reasons != ""].assign(reason=reasons[reasons != ""])
    kept = units[reasons == ""].astype({"crime_count": "int64", "population": "int64"})
    return kept, left_out


def expected_outside(units: int, level: str) -> float:
    """How many of `units` would be outside the limits by chance alone, on either side."""
    return units * 2 * TAIL_PROBABILITIES[level]


def differ_beyond_chance(outside_998: int, units: int) -> bool:
    """True when so many of `units` are outside the 99.8% limits of chance alone (at least 3, and
    over ten times as many as chance would put there) that they must differ for reasons beyond
    chance: then limits that allow for the usual differences between places say more."""
    return outside_998 >= 3 and outside_998 > 10 * expected_outside(units, "99.8%")
