"""Writing into the database: a copy of it (or a new one) that replaces it only when everything
has worked, so readers never see half an import and a failure changes nothing. Every importer
(scrutiny/load/, scrutiny/geography/) writes through here.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from pathlib import Path
from typing import Iterator

import duckdb

from scrutiny.core.errors import UserError
from scrutiny.store import db


@contextlib.contextmanager
def changed_database(path: Path, create: bool) -> Iterator[tuple[duckdb.DuckDBPyConnection, bool]]:
    """(connection, is_new) to a copy of the database at `path`, or a new one if there is none
    and `create`; the result replaces `path` only if the block succeeds."""
    if path.exists():
        _check_is_database(path)
        with db.changed_copy(path) as con:
            db.run_upgrade_files(con)  # a database built before the importers, or before maps
            yield con, False
    elif create:
        with db.new_database(path) as con:
            yield con, True
    else:
        raise UserError(f"{path}: no such database (import data.police.uk files first, or build the demo)")


def _check_is_database(path: Path) -> None:
    open_read_only(path, tables=("areas",)).close()


def open_read_only(path: Path, tables: tuple[str, ...] = ("areas", "measures")) -> duckdb.DuckDBPyConnection:
    """A read-only connection to an existing scrutiny database with these tables, or a UserError
    saying what is wrong."""
    if not path.exists():
        raise UserError(f"{path}: no such database (import data.police.uk files first, or build the demo)")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise UserError(f"{path}: not a scrutiny database ({str(error).splitlines()[0]})") from None
    for table in tables:
        try:
            con.execute(f"select count(*) from {table}")  # names from this module, not user text
        except duckdb.Error:
            con.close()
            raise UserError(f"{path}: not a scrutiny database (it has no {table} table)") from None
    return con


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)
