"""Outcome categories of data.police.uk, and the charge or summons rate computed from them.

The rate is the Plan's measure `charge_summons_rate`, for the whole force, each month:

    crimes whose last outcome shows a charge or summons / crimes whose last outcome is known

from the street files' "Last outcome category", by the month the crime was recorded, as it
stood when the file was published. Decisions, and why:
- The street files are used, not the outcomes files, because every month has them, one outcome
  per crime, so the series is consistent. Outcomes files (one row per outcome event, by outcome
  month, several per crime) are imported and kept in outcome_counts, but not used for the rate:
  without crime-level records a crime charged in May and sentenced in September would count twice.
- "Charged or summonsed" = every outcome that can only follow a charge or a summons: the charge
  itself and every court stage or result (sent to prison, fined, found not guilty, awaiting
  court outcome ...). Out-of-court disposals (caution, penalty notice, local resolution,
  drugs warning) are not charges.
- Crimes still open ("Under investigation") or with no known outcome ("Status update
  unavailable") are left out of the denominator; anti-social behaviour has no outcome at all.
  Recent months therefore rest on fewer crimes; the denominator is stored beside each value, and
  a month whose crimes are still largely under investigation is provisional and not rated
  (scrutiny/rate/provisional.py).
An outcome that is not in either list stops the import (the analyst must decide which it is),
rather than being counted silently one way or the other.
"""
from __future__ import annotations

from scrutiny.rate.provisional import CHARGE_MEASURE  # defined beside the rule for provisional months
from scrutiny.store import queries

CHARGED_OR_SUMMONSED = (
    "Suspect charged",
    "Suspect charged as part of another case",
    "Awaiting court outcome",
    "Court result unavailable",
    "Court case unable to proceed",
    "Defendant sent to Crown Court",
    "Defendant found not guilty",
    "Offender sent to prison",
    "Offender given suspended prison sentence",
    "Offender given community sentence",
    "Offender fined",
    "Offender given conditional discharge",
    "Offender given absolute discharge",
    "Offender ordered to pay compensation",
    "Offender deprived of property",
    "Offender otherwise dealt with",
)
CLOSED_WITHOUT_CHARGE = (
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Local resolution",
    "Offender given a caution",
    "Offender given a drugs possession warning",
    "Offender given penalty notice",
    "Offender given a penalty notice",
    "Formal action is not in the public interest",
    "Further action is not in the public interest",
    "Further investigation is not in the public interest",
    "Action to be taken by another organisation",
)
STILL_OPEN = (
    "Under investigation",
    "Status update unavailable",
)
KNOWN_OUTCOMES = CHARGED_OR_SUMMONSED + CLOSED_WITHOUT_CHARGE + STILL_OPEN



def write_charge_rate(con, force_id: str) -> int:
    """Replace the force's monthly charge or summons rate (measure_values, force area) for every
    month with street files; other months keep what they had (a return, say). Returns the number
    of months written; 0 when the plan has no such measure."""
    if not con.execute("select count(*) from measures where measure_id = ?", [CHARGE_MEASURE]).fetchone()[0]:
        return 0
    queries.write(con, "load/charge_rates", measure=CHARGE_MEASURE, force=force_id,
                  charged=list(CHARGED_OR_SUMMONSED), not_charged=list(CLOSED_WITHOUT_CHARGE))
    queries.write(con, "load/replaced_values")
    con.execute("insert into measure_values select * from new_values order by month")
    return con.execute("select count(*) from new_values").fetchone()[0]
