"""Run SQL files with DuckDB named parameters ($area, $month, ...): the read queries in queries/
and the write statements in scrutiny/store/sql/.

A read query is named by its path under queries/ without '.sql', e.g. 'areas/area_comparison';
a write statement by its path under scrutiny/store/sql/, e.g. 'geography/placed_records'. Write
statements live in the package rather than in queries/ because they are the importers' and not
the pages' (queries/ is named by page), but they load, take parameters and are tested the same
way. Values only ever travel as parameters: no SQL is built from user text.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import duckdb
import pandas as pd

from scrutiny.core.paths import QUERIES_DIR, WRITES_DIR

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@functools.cache
def _load(folder: Path, name: str) -> str:
    path = (folder / f"{name}.sql").resolve()
    if folder.resolve() not in path.parents:
        raise ValueError(f"{name!r} is not a query under {folder.name}/")
    return path.read_text()


class _Folder:
    """The SQL files of one folder, by name: each one statement, with $name parameters."""

    def __init__(self, path: Path):
        self.path = path

    def names(self) -> list[str]:
        return sorted(p.relative_to(self.path).with_suffix("").as_posix() for p in self.path.rglob("*.sql"))

    def load(self, name: str) -> str:
        return _load(self.path, name)

    def parameters(self, name: str) -> set[str]:
        sql = "\n".join(line.split("--", 1)[0] for line in self.load(name).splitlines())
        return set(_PARAMETER.findall(sql))

    def bound(self, name: str, params: dict) -> tuple[str, dict]:
        """The statement and the values of its parameters, or a TypeError naming those missing."""
        wanted = self.parameters(name)
        missing = wanted - params.keys()
        if missing:
            raise TypeError(f"query {name} needs {sorted(missing)}")
        return self.load(name), {k: params[k] for k in wanted}


_READS, _WRITES = _Folder(QUERIES_DIR), _Folder(WRITES_DIR)
query_names, load, parameters_of = _READS.names, _READS.load, _READS.parameters
statement_names, load_statement, statement_parameters = _WRITES.names, _WRITES.load, _WRITES.parameters


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run a query on its own cursor (a DuckDB connection is not thread-safe) and return a frame."""
    with con.cursor() as cursor:
        return cursor.execute(*_READS.bound(name, params)).df()


def write(con: duckdb.DuckDBPyConnection, name: str, **params) -> duckdb.DuckDBPyConnection:
    """Run a write statement on the connection itself (the temporary tables it makes stay
    visible to the next statement) and return it, for a statement that returns rows."""
    return con.execute(*_WRITES.bound(name, params))
