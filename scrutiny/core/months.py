"""Months as the panel reads them: one `Month` type, the first day of its month, written out in full.

A month used to travel as a `datetime.date`, as 'YYYY-MM' text and as a pandas `Timestamp`, each
boundary converting it its own way. `Month.of` is now the one converter, and a `Month` knows its
key ('2024-01'), its label ('January 2024'), the months after and before it and the month a year
before. It is a `datetime.date` (always the 1st), so it binds to DuckDB as a DATE, compares and
hashes equal to the plain date of the same day, and sorts, prints and pickles as a date does.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

_MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
_DAY_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class BadMonth(ValueError):
    pass


class Month(dt.date):
    """A calendar month, as the date of its first day. Immutable, like every date."""

    __slots__ = ()  # no instance dictionary: nothing can be set on a Month

    def __new__(cls, year, month: int | None = None, day: int = 1):
        if month is None:  # unpickling: date's own state bytes (a Month pickles as a date does)
            made = super().__new__(cls, year)
            if made.day != 1:
                raise BadMonth(f"{dt.date(made.year, made.month, made.day)} is not the first of a month")
            return made
        if day != 1:
            # date's own constructors (replace, fromisoformat, + timedelta) come through here
            raise BadMonth(f"a Month is the first of its month, not day {day}; use Month.of to take a date's month")
        return super().__new__(cls, year, month, 1)

    @classmethod
    def of(cls, value) -> Month:
        """The month of a Month, a date or datetime (a pandas Timestamp is one), or text 'YYYY-MM'
        or 'YYYY-MM-DD' (its day must exist). Anything else, including None and NaT, raises
        BadMonth: a missing month means something different to each caller, so each says what."""
        if isinstance(value, Month):
            return value
        if isinstance(value, dt.date):  # datetime and Timestamp are dates too
            if value != value:  # NaT is a datetime that equals nothing, itself included
                raise BadMonth("no month given (NaT)")
            return cls(value.year, value.month)
        if isinstance(value, str):
            return _from_text(value)
        if type(value).__name__ == "datetime64":  # a numpy value out of a frame's .to_numpy()
            import pandas as pd  # only here: the rest of the type needs no pandas
            return cls.of(pd.Timestamp(value))
        raise BadMonth(f"{value!r} ({type(value).__name__}) is not a month")

    @property
    def key(self) -> str:
        """'2024-01': the month in links, file names and the CLI."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """'January 2024': the month as people read it."""
        return self.strftime("%B %Y")

    def plus(self, count: int) -> Month:
        """The month `count` months later (earlier when negative), across years as needed."""
        index = self.year * 12 + self.month - 1 + count
        return Month(index // 12, index % 12 + 1)

    @property
    def year_before(self) -> Month:
        """The same month a year earlier: the one a year-on-year change compares with."""
        return Month(self.year - 1, self.month)

    def replace(self, year: int | None = None, month: int | None = None, day: int | None = None) -> Month:
        # date.replace builds a subclass without calling __new__, so the first-of-month check is here
        return Month(self.year if year is None else year, self.month if month is None else month,
                     1 if day is None else day)

    def __add__(self, other):
        # a Month moved by days is no longer a month: give the plain date (the base type would
        # try to build a Month on, say, the 2nd and fail)
        return dt.date(self.year, self.month, 1) + other

    __radd__ = __add__

    def __sub__(self, other):
        return dt.date(self.year, self.month, 1) - other

    def __rsub__(self, other):
        return other - dt.date(self.year, self.month, 1)

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"


def _from_text(text: str) -> Month:
    stripped = text.strip()
    if match := _MONTH_PATTERN.match(stripped):
        return parse_month(stripped)
    if match := _DAY_PATTERN.match(stripped):
        try:
            day = dt.date(*(int(part) for part in match.groups()))
        except ValueError as error:
            raise BadMonth(f"{text!r} is not a date: {error}") from None
        return Month(day.year, day.month)
    raise BadMonth(f"{text!r} is not a month in the form YYYY-MM (or a date YYYY-MM-DD)")


def months_of(values: Iterable) -> list[Month]:
    """Each value as a Month: for a month column of a query's result (datetime64, read as
    Timestamps) or any list of dates or keys."""
    return [Month.of(value) for value in values]


def parse_month(text: str) -> Month:
    """'2024-01' -> Month(2024, 1); anything else raises BadMonth with a readable reason. Stricter
    than Month.of: what a user types, where a full date would be a mistake worth naming."""
    match = _MONTH_PATTERN.match(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise BadMonth(f"{text!r} is not a month in the form YYYY-MM")
    return Month(int(match.group(1)), int(match.group(2)))


def month_key(month: dt.date) -> str:
    return Month.of(month).key


def month_label(month: dt.date) -> str:
    """date(2024, 1, 1) -> 'January 2024'."""
    return Month.of(month).label


def add_months(month: dt.date, count: int) -> Month:
    return Month.of(month).plus(count)


def month_range(first: dt.date, last: dt.date) -> list[Month]:
    months = []
    current = Month.of(first)
    while current <= last:
        months.append(current)
        current = current.plus(1)
    return months


# Calendar gaps: the months a series skips. Real data.police.uk downloads miss whole months (the
# shared Leicestershire files have no November 2022 to December 2023), so every page, chart, rating
# and summary that spans months says which are missing, worded here once.


def missing_months(months: Iterable, first=None, last=None) -> list[Month]:
    """The calendar months from `first` to `last` (by default the earliest and latest of `months`)
    that are not among `months` (Months, dates or 'YYYY-MM' keys), in order."""
    present = set(months_of(months))
    if first is None or last is None:
        if not present:
            return []
        first = min(present) if first is None else first
        last = max(present) if last is None else last
    first, last = Month.of(first), Month.of(last)
    return [month for month in month_range(first, last) if month not in present]


def missing_ranges(months: Iterable, first=None, last=None) -> list[tuple[Month, Month]]:
    """The runs of missing months (see missing_months) as (first missing, last missing) pairs:
    [(Month(2022, 11), Month(2023, 12))] for the shared Leicestershire files."""
    return month_runs(missing_months(months, first, last))


def month_runs(months: Iterable) -> list[tuple[Month, Month]]:
    """Consecutive months grouped into (first, last) runs: Jun, Aug, Sep 2020 -> [(Jun, Jun), (Aug, Sep)]."""
    runs: list[tuple[Month, Month]] = []
    for month in sorted(set(months_of(months))):
        if runs and runs[-1][1].plus(1) == month:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


def ranges_in_words(ranges: list[tuple[Month, Month]]) -> str:
    """[(Nov 2022, Dec 2023)] -> 'November 2022 to December 2023'; several runs are listed with
    commas and a last 'and': 'June 2020 and August 2020 to September 2020'."""
    parts = [first.label if first == last else f"{first.label} to {last.label}" for first, last in ranges]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def missing_summary(months: Iterable, first=None, last=None) -> str | None:
    """'14 months missing: November 2022 to December 2023' ('1 month missing: June 2020'), or
    None when no month is missing."""
    ranges = missing_ranges(months, first, last)
    if not ranges:
        return None
    count = sum(_months_between(a, b) + 1 for a, b in ranges)
    return f"{count} month{'s' if count != 1 else ''} missing: {ranges_in_words(ranges)}"


def missing_sentence(months: Iterable, first=None, last=None) -> str | None:
    """'November 2022 to December 2023 are missing from the data.' ('June 2020 is missing ...'),
    or None when no month is missing: for an explanation or a note under a chart."""
    return gaps_sentence(missing_ranges(months, first, last))


def gaps_sentence(ranges: list[tuple[Month, Month]]) -> str | None:
    """The sentence of missing_sentence for runs already found (month_runs of the missing months)."""
    if not ranges:
        return None
    one_month = len(ranges) == 1 and ranges[0][0] == ranges[0][1]
    return f"{ranges_in_words(ranges)} {'is' if one_month else 'are'} missing from the data."


def _months_between(first: Month, last: Month) -> int:
    return (last.year - first.year) * 12 + last.month - first.month
