"""Checks of user-supplied values against what the database holds, before they reach a query."""
from __future__ import annotations

from scrutiny.store import queries
from scrutiny.core.errors import UserError
from scrutiny.core.months import BadMonth, Month, months_of, parse_month


def known_months(con) -> list[Month]:
    return months_of(queries.run(con, "common/months")["month"])


def known_crime_types(con) -> list[str]:
    return list(queries.run(con, "common/crime_types")["crime_type"])


def known_rating_months(con) -> list[Month]:
    return months_of(queries.run(con, "common/rating_months")["month"])


def checked_month(con, text: str) -> Month:
    """A month the database has figures for."""
    month = _parsed(text)
    months = known_months(con)
    if month not in months:
        raise UserError(
            f"no figures for {month.key}; the database has {min(months).key} to {max(months).key}")
    return month


def checked_rated_month(con, text: str) -> Month:
    """A month the database has ratings for."""
    month = _parsed(text)
    months = known_rating_months(con)
    if month not in months:
        span = f"{min(months).key} to {max(months).key}" if months else "none"
        raise UserError(f"no ratings for {month.key}; the database has ratings for {span}")
    return month


def _parsed(text: str) -> Month:
    try:
        return parse_month(text)
    except BadMonth as error:
        raise UserError(str(error)) from None


def checked_crime_type(con, text: str) -> str:
    types = known_crime_types(con)
    if text not in types:
        raise UserError(f"unknown crime type {text!r}; choose one of: {', '.join(types)}")
    return text
