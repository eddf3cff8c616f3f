"""Helpers shared by the importer tests (test_import_*.py)."""
from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path

import duckdb

from tests.helpers import run_cli

STREET = "police-uk_sanjiv576"    # 2019-12 .. 2022-10, 2011 LSOAs
STREET_2024 = "police-uk_leonard-theodorus"  # 2024-01 .. 2024-04, 2021 LSOAs


def street_files(real: Path, force: str = "leicestershire") -> list[Path]:
    return sorted(real.glob(f"police-uk_*/*/*-{force}-street.csv.gz"))


def month_file(real: Path, month: str, force: str = "leicestershire") -> Path:
    (path,) = real.glob(f"police-uk_*/{month}/{month}-{force}-street.csv.gz")
    return path


def raw_lines(path: Path) -> list[bytes]:
    """The lines of a real file, each with its own line ending (CRLF in data.police.uk files)."""
    return gzip.decompress(path.read_bytes()).splitlines(keepends=True)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def every_table(path: Path, leave_out_columns: tuple[str, ...] = ()) -> dict[str, list]:
    """Every table's rows, sorted, for comparing two databases by their query results."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_type = 'BASE TABLE' order by 1").fetchall()]
        result = {}
        for table in tables:
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
                [table]).fetchall() if c not in leave_out_columns]
            quoted = ", ".join(f'"{c}"' for c in columns)
            result[table] = con.execute(f'select {quoted} from "{table}" order by all').fetchall()
        return result
    finally:
        con.close()


def copy_db(source: Path, folder: Path, name: str = "scrutiny.duckdb") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(source, target)
    return target


def leftovers(folder: Path) -> list[str]:
    """Temporary files an import left beside the database (there must be none)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith((".tmp", ".wal")))


def untouched(db: Path, before: str) -> bool:
    """DB's bytes have BEFORE's digest, and no write-ahead log beside it (where a write not yet
    checkpointed would wait): so every table is as it was, without reading them all (about 0.2 s
    a time for the demo, which adds up over the many refusal tests)."""
    return digest(db) == before and not db.with_name(db.name + ".wal").exists()


def refused_import(kind: str, db: Path, *argv) -> str:
    """`import KIND ARGV --db DB` refused: exit code 2, one line on stderr, nothing on stdout, and the
    database exactly as it was, with no temporary file left. Returns the line."""
    before = digest(db)
    code, out, err = run_cli("import", kind, *argv, db=db)
    assert code == 2 and out == "", out + err
    assert len(err.strip().splitlines()) == 1
    assert untouched(db, before) and leftovers(db.parent) == []
    return err.strip()
