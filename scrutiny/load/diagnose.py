"""Pin a problem to a line: a slow, plain Python reading of one file, used only when DuckDB's fast
pass has failed on a batch or flagged a file, so that the analyst gets `FILE line N: problem`
rather than a parser's message. It checks the same things the fast pass does, in file order,
and reports the first.
"""
from __future__ import annotations

import csv
import gzip
import zlib
from typing import Iterator

from scrutiny.core.crime_types import CRIME_TYPES
from scrutiny.geography.areas import force_id_from_name
from scrutiny.load.inputs import COLUMNS, UTF8_BOM, InputFile, not_utf8, open_binary
from scrutiny.load.outcomes import KNOWN_OUTCOMES
from scrutiny.core.months import BadMonth, month_key, parse_month


class _Stop(Exception):
    """A problem found while reading the bytes (encoding, gzip), at a line."""


def first_problem(file: InputFile, force_id: str | None) -> str | None:
    """'FILE line N: problem' for the first bad line of the file, or None if it reads cleanly.
    force_id: the force the file must hold (from its name or first row), if known."""
    lines = _Lines(file)
    columns = COLUMNS[file.kind]
    month_at, falls_at = columns.index("Month"), columns.index("Falls within")
    type_at = columns.index("Crime type") if "Crime type" in columns else None
    outcome_at = columns.index("Last outcome category" if file.kind == "street" else "Outcome type")
    try:
        reader = csv.reader(lines, strict=True)
        next(reader, None)  # the header, checked already
        rows = 0
        for row in reader:
            line = lines.number
            if not row:
                continue
            rows += 1
            problem = _row_problem(row, len(columns), month_at, falls_at, type_at, outcome_at, file, force_id)
            if problem:
                return f"{file.path} line {line}: {problem}"
            if force_id is None:
                force_id = force_id_from_name(row[falls_at])
        if rows == 0:
            return f"{file.path}: has a header but no rows"
    except _Stop as stop:
        return f"{file.path} {stop}"
    except csv.Error as error:
        return f"{file.path} line {lines.number}: not valid CSV ({str(error).split(' - ')[0]})"
    return None


def _row_problem(row, width, month_at, falls_at, type_at, outcome_at, file, force_id) -> str | None:
    if len(row) != width:
        return f"{len(row)} fields where a {file.kind} file has {width}"
    text = row[month_at]
    try:
        month = parse_month(text)
    except BadMonth:
        return f"month {text!r} is not in the form YYYY-MM"
    if file.name_month and month != file.name_month:
        return f"month {text} disagrees with the file name, which says {month_key(file.name_month)}"
    if type_at is not None and row[type_at] not in CRIME_TYPES:
        return f"unknown crime type {row[type_at]!r}"
    if row[outcome_at] and row[outcome_at] not in KNOWN_OUTCOMES:
        return f"unknown outcome {row[outcome_at]!r} (see scrutiny/load/outcomes.py)"
    if force_id is not None and force_id_from_name(row[falls_at]) != force_id:
        return f"'Falls within' is {row[falls_at]!r}, which is not the force {force_id} of the file"
    return None


class _Lines:
    """The file's lines as text, counting them; encoding and gzip problems become _Stop."""

    def __init__(self, file: InputFile):
        self._file = file
        self.number = 0

    def __iter__(self) -> Iterator[str]:
        try:
            with open_binary(self._file.read_path, self._file.gzipped) as f:
                for raw in f:
                    self.number += 1
                    if self.number == 1 and raw.startswith(UTF8_BOM):
                        raw = raw[len(UTF8_BOM):]
                    try:
                        yield raw.decode("utf-8")
                    except UnicodeDecodeError as error:
                        raise _Stop(f"line {self.number}: {not_utf8(raw, error)}") from None
        except EOFError:
            raise _Stop(f"line {self.number}: truncated gzip file (the compressed data stops after this line)") from None
        except (gzip.BadGzipFile, zlib.error) as error:
            raise _Stop(f"line {self.number}: damaged gzip data after this line ({error})") from None
