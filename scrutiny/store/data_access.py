"""Checks of user-supplied values against what the database holds, before they reach a query."""
from __future__ import annotations

from pathlib import Path

import duckdb

from scrutiny.store import queries
from scrutiny.core.errors import UserError
from scrutiny.core.months import BadMonth, Month, months_of, parse_month


def open_database(path: Path) -> duckdb.DuckDBPyConnection:
    if not Path(path).exists():
        raise UserError(f"{path}: no such database (build one with: python -m scrutiny build-demo)")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise UserError(f"{path}: not a scrutiny database ({str(error).splitlines()[0]})") from None


def known_months(con) -> list[Month]:
    return months_of(queries.run(con, "common/months")["month"])


def known_crime_types(con) -> list[str]:
    return list(queries.run(con, "common/crime_types")["crime_type"])


def checked_month(con, text: str) -> Month:
    try:
        month = parse_month(text)
    except BadMonth as error:
        raise UserError(str(error)) from None
    months = known_months(con)
    if month not in months:
        raise UserError(
            f"no figures for {month.key}; the database has {min(months).key} to {max(months).key}")
    return month


def checked_crime_type(con, text: str) -> str:
    types = known_crime_types(con)
    if text not in types:
        raise UserError(f"unknown crime type {text!r}; choose one of: {', '.join(types)}")
    return text
