"""Months as the panel reads them: stored as the first day of the month, written out in full."""
import datetime as dt
import re

_MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


class BadMonth(ValueError):
    pass


def parse_month(text: str) -> dt.date:
    """'2024-01' -> date(2024, 1, 1); anything else raises BadMonth with a readable reason."""
    match = _MONTH_PATTERN.match(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise BadMonth(f"{text!r} is not a month in the form YYYY-MM")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def month_key(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def month_label(month: dt.date) -> str:
    """date(2024, 1, 1) -> 'January 2024'."""
    return month.strftime("%B %Y")


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months
