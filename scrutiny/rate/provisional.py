"""Months whose outcomes are still coming in: provisional for the measures made from outcomes.

The charge or summons rate (scrutiny/load/outcomes.py) counts the crimes whose last outcome
settles the question, as it stood when the street file was published. A crime still "Under
investigation" is left out, and the crimes that end in a charge take longest to settle, so a
month whose outcomes are still being recorded shows a rate that is too low. Measured on the real
files (tests/test_provisional.py), by the month's age relative to the latest month published
with it:

    age in months                       0     1     2     3     4     5 and older
    Leicestershire, % under invest.    51    22    13    10     7     0
    Lancashire, % under invest.        66    33    25    22    18     0
    Leicestershire charge rate (%)    3.3   3.9   4.6   4.7   4.4   6 to 7 (2021 and 2022)

(the 2022 files; the 2024 ones, 48 / 24 / 16 / 10 %, agree). From the sixth month on,
data.police.uk shows an open crime as "Status update unavailable", whose share stays level however
old the month (1 to 5% in Leicestershire, 11 to 20% in Lancashire, across 2019 to 2022), so it is
not a sign of outcomes still coming in and is not counted here. "Awaiting court outcome" already
counts as charged, so it does not lower the rate. The share that matters is therefore the share
of a month's crimes still under investigation.

The rule: a month is **provisional** while the share of its crimes still under investigation is
more than PROVISIONAL_EXCESS (5 percentage points) above the force's settled level, the lowest
share among the force's months (0% on both real forces). Why 5 points: if the open crimes end in
a charge three times as often as the settled ones, leaving out 5% of crimes lowers the rate by
about a tenth of itself (6.5% shows as 5.9%), as much as its usual month-to-month change. Why the
lowest share and not 0: when every month was imported as it was first published, every month is
equally unsettled and they are compared like with like. On the real files this makes the last
five months of each download provisional (June to October 2022, and January to April 2024, which
has only four). A provisional month is not rated, and the reason says so; its figure is still
shown, marked provisional, and it still counts in the normal range of later months (so a chart
and its rating always come from the same figures).
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

from scrutiny.core import formatting
from scrutiny.core.months import Month

CHARGE_MEASURE = "charge_summons_rate"  # the measures made from outcomes (scrutiny/load/outcomes.py)
OUTCOME_MEASURES = (CHARGE_MEASURE,)
STILL_UNDER_INVESTIGATION = "Under investigation"
PROVISIONAL_EXCESS = 5.0  # percentage points above the settled level


@dataclass(frozen=True)
class Pending:
    """A provisional month of a force: its share of crimes still under investigation (%), and the
    force's settled level (%)."""
    share: float
    settled: float

    def reason(self, month_label: str) -> str:
        """The reason a provisional month is not rated, in words a member can read aloud."""
        return (f"Not rated: outcomes for {month_label} are still being recorded. When the file was "
                f"published, {formatting.percent(self.share, signed=False)} of its crimes were still under "
                f"investigation, against {formatting.percent(self.settled, signed=False)} in settled months, "
                "so the figure is provisional and is likely to rise.")


def provisional_months(shares: dict[Month, float]) -> dict[Month, Pending]:
    """{month: Pending} of the months that are provisional, from one force's share (%)
    of crimes still under investigation in each of its months."""
    if not shares:
        return {}
    settled = min(shares.values())
    return {month: Pending(share, settled) for month, share in shares.items()
            if share > settled + PROVISIONAL_EXCESS}


def pending_by_force(con: duckdb.DuckDBPyConnection) -> dict[str, dict[Month, Pending]]:
    """{force_id: {month: Pending}} from the street files' last outcomes (outcome_counts); the
    force's area_id is its force_id, where the outcome measures are stored."""
    rows = con.execute("""
        select force_id, month,
               100.0 * coalesce(sum(crime_count) filter (where outcome = ?), 0) / sum(crime_count) as share
        from outcome_counts
        where basis = 'last outcome'
        group by force_id, month
        having sum(crime_count) > 0
        order by force_id, month
    """, [STILL_UNDER_INVESTIGATION]).fetchall()
    shares: dict[str, dict[Month, float]] = {}
    for force_id, month, share in rows:
        shares.setdefault(force_id, {})[Month.of(month)] = float(share)
    return {force_id: provisional_months(of_force) for force_id, of_force in shares.items()}
