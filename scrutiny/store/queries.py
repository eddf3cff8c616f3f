"""Run the SQL files in queries/ with DuckDB named parameters ($area, $month, ...).

A query is named by its path under queries/ without '.sql', e.g. 'areas/area_comparison'.
Values only ever travel as parameters: no SQL is built from user text.
"""
from __future__ import annotations

import functools
import re

import duckdb
import pandas as pd

from scrutiny.core.paths import QUERIES_DIR

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def query_names() -> list[str]:
    return sorted(p.relative_to(QUERIES_DIR).with_suffix("").as_posix() for p in QUERIES_DIR.rglob("*.sql"))


@functools.cache
def load(name: str) -> str:
    path = (QUERIES_DIR / f"{name}.sql").resolve()
    if QUERIES_DIR.resolve() not in path.parents:
        raise ValueError(f"{name!r} is not a query under queries/")
    return path.read_text()


def parameters_of(name: str) -> set[str]:
    sql = "\n".join(line.split("--", 1)[0] for line in load(name).splitlines())
    return set(_PARAMETER.findall(sql))


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run a query on its own cursor (a DuckDB connection is not thread-safe) and return a frame."""
    wanted = parameters_of(name)
    missing = wanted - params.keys()
    if missing:
        raise TypeError(f"query {name} needs {sorted(missing)}")
    with con.cursor() as cursor:
        return cursor.execute(load(name), {k: params[k] for k in wanted}).df()
