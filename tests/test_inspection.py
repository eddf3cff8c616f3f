"""The inspection trigger (rate/inspection.py): two financial quarters running outside the range
of similar areas, on hand-made quarterly figures whose limits are worked out by hand, and on the
real files of Leicestershire and Lancashire."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from scrutiny.core import words
from scrutiny.present import comparison
from scrutiny.rate.inspection import complete_quarters, financial_quarter, inspection_flags, quarter_label
from scrutiny.store import queries

Q = [dt.date(2023, 4, 1), dt.date(2023, 7, 1), dt.date(2023, 10, 1), dt.date(2024, 1, 1), dt.date(2024, 4, 1)]


def test_financial_quarters_start_in_april():
    assert financial_quarter(dt.date(2023, 4, 1)) == (2023, 1)
    assert financial_quarter(dt.date(2023, 12, 1)) == (2023, 3)
    assert financial_quarter(dt.date(2024, 3, 1)) == (2023, 4)
    assert quarter_label(dt.date(2024, 1, 1)) == "Q4 2023-24 (January to March 2024)"
    # December 2019 to April 2024: January-March 2020 is the first whole quarter, January-March
    # 2024 the last (April 2024 alone is not a quarter): 4 years and one quarter, 17 quarters.
    quarters = complete_quarters(dt.date(2019, 12, 1), dt.date(2024, 4, 1))
    assert (quarters[0], quarters[-1], len(quarters)) == (dt.date(2020, 1, 1), dt.date(2024, 1, 1), 17)
    assert complete_quarters(dt.date(2024, 2, 1), dt.date(2024, 5, 1)) == []


def quarterly(counts: dict[str, list], months: dict[tuple[str, int], int] | None = None) -> pd.DataFrame:
    """Places of 100,000 residents each with these counts in the quarters Q; `months` gives a
    place's months with figures in a quarter where not all three."""
    rows = []
    for name, per_quarter in counts.items():
        for i, (start, count) in enumerate(zip(Q, per_quarter)):
            rows.append({"quarter_start": start, "unit_id": name, "unit_name": name, "force_name": "Force",
                         "is_home": name == "A", "crime_count": count, "population": 100_000,
                         "rate_per_1000": count / 100, "months_with_data": (months or {}).get((name, i), 3),
                         "months_in_period": 3})
    return pd.DataFrame(rows)


def test_two_quarters_running_outside_the_limits_are_flagged_and_one_or_two_apart_are_not():
    # Eight steady places at 1,000 crimes a quarter. By hand, with limits of chance alone at 95%
    # (mean m = total / places, limits about m +/- 1.96 sqrt(m)):
    # Q1 2023-24: 12 places, 12,600 crimes, m = 1,050, limits 986 to 1,114: A and B (1,300) outside.
    # Q2: the same total: A and D outside. Q3: D has two months only, so 11 places, 11,300
    # crimes, m = 1,027, limits 964 to 1,090: B outside. Q4 and Q1 2024-25: 11,700 crimes,
    # m = 975, limits 914 to 1,036: C (700) below.
    # So A (Q1, Q2) and C (Q4, Q1 across the year end) are flagged; B (Q1, Q3) is not, nor D,
    # whose second quarter outside was not compared.
    counts = {f"steady {i}": [1000] * 5 for i in range(1, 9)}
    counts |= {"A": [1300, 1300, 1000, 1000, 1000], "B": [1300, 1000, 1300, 1000, 1000],
               "C": [1000, 1000, 1000, 700, 700], "D": [1000, 1300, 1300, 1000, 1000]}
    flags = inspection_flags(quarterly(counts, months={("D", 2): 2}), method="poisson", level="95%")
    assert [(f.unit_name, [q.quarter_start for q in f.quarters], [q.side for q in f.quarters]) for f in flags] == [
        ("C", [Q[3], Q[4]], ["below", "below"]),
        ("A", [Q[0], Q[1]], ["above", "above"]),
    ]
    a = flags[1].quarters[0]
    assert (a.crime_count, a.rate_per_1000) == (1300, 13.0)
    assert 9.86 < a.lower < 9.87 and 11.13 < a.upper < 11.15  # 986.5 and 1,113.5 crimes per 100,000


def test_the_sentence_says_what_the_flag_means_with_the_figures():
    counts = {f"steady {i}": [1000] * 5 for i in range(1, 9)} | {"A": [1300, 1300, 1300, 1000, 1000]}
    (flag,) = inspection_flags(quarterly(counts), method="poisson", level="95%")
    sentence = comparison.inspection_sentence(flag)
    assert sentence.startswith("A (Force) is outside the range of similar areas for 3 quarters running, from "
                               "Q1 2023-24 (April to June 2023) to Q3 2023-24 (October to December 2023): the kind "
                               "of result that draws inspection scrutiny. Above the limits in Q2 2023-24 (July to "
                               "September 2023): 1,300 crimes, 13.0 per 1,000 residents (limits ")


def test_a_place_within_the_limits_every_quarter_is_not_flagged():
    counts = {f"steady {i}": [1000, 1010, 990, 1005, 995] for i in range(1, 12)}
    assert inspection_flags(quarterly(counts), method="poisson", level="95%") == []


@pytest.mark.slow  # the real set-up of two forces (real_both_db), about 15 s, shared with slow tests only
@pytest.mark.real_data
def test_on_the_real_files_blackpool_is_above_and_ribble_valley_below_similar_areas(real_both_db):
    """Leicestershire and Lancashire's partnerships, recorded crime, December 2019 to April 2024
    (a gap from November 2022 to December 2023). Blackpool has the highest rate of the 23
    partnerships, Ribble Valley the lowest; the funnel that allows for the usual spread puts them
    outside it for quarters running. The two forces alone are never flagged: two places cannot
    show a spread beyond chance."""
    with duckdb.connect(str(real_both_db), read_only=True) as con:
        def rates(query):
            return lambda a, b: queries.run(con, query, crime_type="All crime", first_month=a, last_month=b)
        forces = comparison.inspection_watch(rates("compare/force_rates"), dt.date(2019, 12, 1), dt.date(2024, 4, 1))
        csps = comparison.inspection_watch(rates("compare/csp_rates"), dt.date(2019, 12, 1), dt.date(2024, 4, 1))
    assert forces == []
    found = {(f.unit_name, q.side) for f in csps for q in f.quarters}
    assert found == {("Blackpool", "above"), ("Ribble Valley", "below")}
    blackpool = next(f for f in csps if f.unit_name == "Blackpool")
    assert len(blackpool.quarters) >= 2 and blackpool.quarters[0].quarter_start >= dt.date(2020, 1, 1)
