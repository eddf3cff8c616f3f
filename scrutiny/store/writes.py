"""Writing into the database: a copy of it (or a new one) that replaces it only when everything
has worked, so readers never see half an import and a failure changes nothing. Every importer
(scrutiny/load/, scrutiny/geography/) writes through here.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

import duckdb

from scrutiny.core.errors import UserError
from scrutiny.store import db, lock


@contextlib.contextmanager
def changed_database(path: Path, create: bool) -> Iterator[tuple[duckdb.DuckDBPyConnection, bool]]:
    """(connection, is_new) to a copy of the database at `path`, or a new one if there is none
    and `create`; the result replaces `path` only if the block succeeds."""
    # Under the writer lock from the first look at the file: two new databases started at once
    # would each find none, and the second would replace the first.
    with lock.writer_lock(db.real_file(path)):
        if path.exists():
            with db.changed_copy(path) as con:  # which refuses a damaged or foreign file first
                db.run_upgrade_files(con)  # a database built before the importers, or before maps
                yield con, False
        elif create:
            with db.new_database(path) as con:
                yield con, True
        else:
            raise UserError(db.no_such_database(path))
