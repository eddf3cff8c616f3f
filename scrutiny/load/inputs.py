"""Finding data.police.uk files and checking each one cheaply before DuckDB reads them all.

What is checked here, per file, from its first bytes only: that it is not empty; that it is
gzip-compressed exactly when its name ends .gz, and the start of it decompresses; its encoding;
and that its first line is the header of a street or an outcomes file. Everything that needs the
whole file (a truncated gzip stream, a bad byte further down, a bad month ...) is found by DuckDB's
single pass over all files (police_uk.py) and then pinned to a line by diagnose.py.

Encodings: UTF-8 is read as it is, with or without a byte order mark; UTF-16 with a byte order
mark is unambiguous, so it is accepted and converted to UTF-8 in the work folder first. Anything
else (Latin-1, Windows-1252 ...) could be read more than one way, so it is refused, naming the line.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from scrutiny.core import bounds
from scrutiny.core.errors import UserError
from scrutiny.core.months import BadMonth, parse_month

STREET_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)
OUTCOMES_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Outcome type",
)
COLUMNS = {"street": STREET_COLUMNS, "outcomes": OUTCOMES_COLUMNS}

# data.police.uk's archive names: 2024-01/2024-01-leicestershire-street.csv
ARCHIVE_NAME = re.compile(r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<kind>street|outcomes)$")
GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = codecs.BOM_UTF8
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
HEAD_BYTES = 1 << 16  # enough for a header line and the start of the first row


@dataclass(frozen=True)
class InputFile:
    path: Path                  # as the user gave it: what messages name
    read_path: Path             # what DuckDB reads: the file itself, or a UTF-8 copy of a UTF-16 file
    kind: str                   # 'street' or 'outcomes'
    name_month: dt.date | None  # from an archive-style name, else None
    name_force: str | None
    size: int

    @property
    def gzipped(self) -> bool:
        return self.read_path.name.endswith(".gz")


def find_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The files to import, in the order given (a folder's files sorted), and the files in folders
    that are not street or outcomes files (stop and search, for example), which are skipped.
    Only regular files are read: a named pipe or a device given, or named like a street or outcomes
    file in a folder, is refused (it would block or never end); checked with stat, never opened."""
    found: dict[Path, None] = {}
    skipped = []
    for path in paths:
        kind = _kind_of(path)
        if kind == "a folder":
            for candidate in sorted(path.rglob("*")):
                stem = _stem(candidate)
                if stem is None or not stem.endswith(("-street", "-outcomes")):
                    if candidate.is_file():
                        skipped.append(candidate)
                    continue
                kind = _kind_of(candidate)
                if kind is None:
                    found.setdefault(candidate, None)
                elif kind != "a folder":  # a folder named like a file is walked by rglob itself
                    raise bounds.not_regular(candidate, kind)
        elif kind is None:
            found.setdefault(path, None)
        else:
            raise bounds.not_regular(path, kind)
    if not found:
        raise UserError(f"{', '.join(map(str, paths))}: no data.police.uk street or outcomes files (*-street.csv, "
                        "*-outcomes.csv, optionally .gz) found")
    return list(found), skipped


def _kind_of(path: Path) -> str | None:
    """None for a regular file, else what it is ("a folder", "a named pipe" ...), following links."""
    try:
        return bounds.kind_of_file(os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        raise UserError(f"{path}: no such file or folder") from None
    except OSError as error:
        raise UserError(f"{path}: cannot be read ({error.strerror})") from None


def _stem(path: Path) -> str | None:
    """The name without .csv or .csv.gz; None for other files."""
    name = path.name
    for suffix in (".csv.gz", ".csv"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return None


def inspect(path: Path, workdir: Path) -> InputFile:
    """Check a file's first bytes; UserError naming the file (and line) on the first problem."""
    size = path.stat().st_size
    if size == 0:
        raise UserError(f"{path}: the file is empty")
    with path.open("rb") as f:
        magic = f.read(2)
    named_gz = path.name.lower().endswith(".gz")
    if named_gz and magic != GZIP_MAGIC:
        raise UserError(f"{path}: not gzip-compressed, though its name ends .gz")
    if not named_gz and magic == GZIP_MAGIC:
        raise UserError(f"{path}: gzip-compressed, but its name does not end .gz (rename it to end .csv.gz)")
    head = _head(path, named_gz)
    if not head:
        raise UserError(f"{path}: the file is empty")

    read_path = path
    if head.startswith(UTF16_BOMS):
        read_path = _utf16_to_utf8(path, named_gz, workdir)
        head = _head(read_path, read_path.name.endswith(".gz"))
    elif head.startswith(UTF8_BOM):
        head = head[len(UTF8_BOM):]  # DuckDB skips it too
    kind = _kind_from_header(path, head)

    name_month = name_force = None
    stem = _stem(path)
    match = ARCHIVE_NAME.match(stem) if stem else None
    if match:
        try:
            name_month = parse_month(match["month"])
        except BadMonth:
            raise UserError(f"{path}: the file name's month {match['month']} is not a month") from None
        name_force = match["force"]
        if match["kind"] != kind:
            raise UserError(f"{path} line 1: the columns are those of a {kind} file, but the name says {match['kind']}")
    return InputFile(path, read_path, kind, name_month, name_force, size)


def open_binary(path: Path, gzipped: bool) -> io.BufferedIOBase:
    return gzip.open(path, "rb") if gzipped else path.open("rb")


def _head(path: Path, gzipped: bool) -> bytes:
    try:
        with open_binary(path, gzipped) as f:
            return f.read(HEAD_BYTES)
    except EOFError:
        raise UserError(f"{path}: truncated gzip file (it ends before its first {HEAD_BYTES:,} bytes)") from None
    except (gzip.BadGzipFile, zlib.error) as error:
        raise UserError(f"{path}: not a valid gzip file ({error})") from None


def _kind_from_header(path: Path, head: bytes) -> str:
    end = head.find(b"\n")
    if end < 0 and len(head) == HEAD_BYTES:
        raise UserError(f"{path} line 1: not a CSV file (no line break in its first {HEAD_BYTES:,} bytes)")
    first_line = head if end < 0 else head[:end]
    try:
        text = first_line.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError as error:
        raise UserError(f"{path} line 1: {not_utf8(first_line, error)}") from None
    try:
        header = tuple(cell.strip() for cell in next(csv.reader([text]), []))
    except csv.Error:  # stray control characters: certainly not a data.police.uk header
        header = (text,)
    for kind, columns in COLUMNS.items():
        if header == columns:
            rest = head[end + 1:] if end >= 0 else b""
            if not rest.strip():
                raise UserError(f"{path}: has a header but no rows")
            return kind
    raise UserError(f"{path} line 1: {_header_problem(header, text)}")


def _header_problem(header: tuple[str, ...], text: str) -> str:
    """Which columns are wrong, against the kind of file the header is closest to."""
    kind, expected = max(COLUMNS.items(), key=lambda item: len(set(item[1]) & set(header)))
    if len(set(expected) & set(header)) < 3:
        shown = text if len(text) <= 80 else text[:77] + "..."
        return f"not a data.police.uk street or outcomes CSV (its first line is {shown!r})"
    missing = [c for c in expected if c not in header]
    unexpected = [c for c in header if c not in expected]
    parts = []
    if missing:
        parts.append("missing column" + ("s " if len(missing) > 1 else " ") + ", ".join(repr(c) for c in missing))
    if unexpected:
        parts.append("unexpected column" + ("s " if len(unexpected) > 1 else " ") + ", ".join(repr(c) for c in unexpected))
    if not parts:
        parts.append("the columns are not in data.police.uk's order: " + ", ".join(expected))
    return f"wrong columns for a {kind} file: " + "; ".join(parts)


def not_utf8(line: bytes, error: UnicodeDecodeError) -> str:
    byte = line[error.start:error.start + 1].hex().upper()
    return (f"not UTF-8 text (byte 0x{byte} at character {error.start + 1}); the encoding is ambiguous, "
            "so save the file as UTF-8 (CSV UTF-8) and import it again")


def _utf16_to_utf8(path: Path, gzipped: bool, workdir: Path) -> Path:
    """A UTF-8 copy of a UTF-16 file (its byte order mark says which byte order), streamed."""
    target = workdir / f"utf8-{len(list(workdir.glob('utf8-*')))}-{path.name.removesuffix('.gz')}"
    try:
        with open_binary(path, gzipped) as raw, target.open("w", encoding="utf-8", newline="") as out:
            text = io.TextIOWrapper(raw, encoding="utf-16", newline="")
            while chunk := text.read(1 << 20):
                out.write(chunk)
    except UnicodeDecodeError:
        raise UserError(f"{path}: starts with a UTF-16 byte order mark but is not valid UTF-16 text") from None
    except EOFError:
        raise UserError(f"{path}: truncated gzip file") from None
    return target
