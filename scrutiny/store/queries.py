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


def _names(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.sql"))


@functools.cache
def _load(folder: Path, name: str) -> str:
    path = (folder / f"{name}.sql").resolve()
    if folder.resolve() not in path.parents:
        raise ValueError(f"{name!r} is not a query under {folder.name}/")
    return path.read_text()


def _parameters(sql: str) -> set[str]:
    return set(_PARAMETER.findall("\n".join(line.split("--", 1)[0] for line in sql.splitlines())))


def _bound(name: str, sql: str, params: dict) -> dict:
    wanted = _parameters(sql)
    missing = wanted - params.keys()
    if missing:
        raise TypeError(f"query {name} needs {sorted(missing)}")
    return {k: params[k] for k in wanted}


def query_names() -> list[str]:
    return _names(QUERIES_DIR)


def load(name: str) -> str:
    return _load(QUERIES_DIR, name)


def parameters_of(name: str) -> set[str]:
    return _parameters(load(name))


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run a query on its own cursor (a DuckDB connection is not thread-safe) and return a frame."""
    sql = load(name)
    with con.cursor() as cursor:
        return cursor.execute(sql, _bound(name, sql, params)).df()


def statement_names() -> list[str]:
    return _names(WRITES_DIR)


def load_statement(name: str) -> str:
    return _load(WRITES_DIR, name)


def statement_parameters(name: str) -> set[str]:
    return _parameters(load_statement(name))


def write(con: duckdb.DuckDBPyConnection, name: str, **params) -> duckdb.DuckDBPyConnection:
    """Run a write statement on the connection itself (the temporary tables it makes stay
    visible to the next statement) and return it, for a statement that returns rows."""
    sql = load_statement(name)
    return con.execute(sql, _bound(name, sql, params))
