"""The panel's meetings as data: which month's figures a meeting could have seen.

data.police.uk publishes a month's street records about 4 to 7 weeks after the month ends. The
rule here takes the late end of that, so that no meeting is credited with figures it could not
have had: **a month counts as published 3 weeks after the end of the month that follows it**
(January's figures from 21 March, or 22 March in a leap year). The Methodology page and the
README state this rule in the same words (PUBLICATION_RULE).

"Since the last meeting", for the month on screen, compares with the latest month published
before the previous meeting: the previous meeting is the latest meeting before the month on
screen was itself published (the meeting that discusses it cannot come sooner).
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from scrutiny.core.months import Month

WEEKS_AFTER_NEXT_MONTH = 3  # published by the end of the following month + this many weeks
PUBLICATION_RULE = (
    f"A month's figures are taken as published {WEEKS_AFTER_NEXT_MONTH} weeks after the end of the month "
    "that follows it (January's by about 21 March): data.police.uk publishes a month about 4 to 7 weeks "
    "after it ends, and this takes the later end, so no meeting is credited with figures it could not have had.")


def published_on(month: dt.date) -> dt.date:
    """The day `month`'s figures count as published (see the module's rule)."""
    end_of_next_month = Month.of(month).plus(2) - dt.timedelta(days=1)
    return end_of_next_month + dt.timedelta(weeks=WEEKS_AFTER_NEXT_MONTH)


def previous_meeting(month: dt.date, meetings: Iterable[dt.date]) -> dt.date | None:
    """The latest meeting before `month` was published: the one before the meeting that discusses
    it. None when every meeting recorded is later."""
    earlier = [day for day in meetings if day < published_on(month)]
    return max(earlier) if earlier else None


def latest_published(day: dt.date, months: Iterable[dt.date]) -> Month | None:
    """The latest of `months` already published on `day` (a month published that very day counts)."""
    seen = [Month.of(m) for m in months if published_on(m) <= day]
    return max(seen) if seen else None


def shown_at_meeting(meeting_day: dt.date, months: Iterable[dt.date]) -> Month | None:
    """The month a meeting looks at: the latest of `months` published by its day."""
    return latest_published(meeting_day, months)
