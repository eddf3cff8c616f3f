"""Reading the small tables people make by hand or download (Home Office tables, returns):
CSV, XLSX or ODS, as rows with where each came from ("line 12", "sheet 2023-24 row 7"), so that
every message can name the place. Encodings as for data.police.uk files: UTF-8 with or without a
byte order mark, UTF-16 with one; anything else is refused with the line of the first bad byte.
"""
from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from scrutiny.core import bounds
from scrutiny.core.errors import UserError
from scrutiny.load.inputs import GZIP_MAGIC, UTF16_BOMS, not_utf8

HEADER_SEARCH_ROWS = 30  # a workbook sheet may have a title and notes above its header


@dataclass(frozen=True)
class Table:
    sheet: str | None                       # None for a CSV file
    header_at: str                          # "line 1", "sheet 2023-24 row 3"
    header: list[str]
    rows: list[tuple[str, list]]            # (where, cells); blank rows left out


def read_csv_table(path: Path, limit: bounds.Limit) -> Table:
    text = _text(path, limit)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        for row in reader:
            if any(str(cell).strip() for cell in row):
                rows.append((f"line {reader.line_num}", row))
    except csv.Error as error:
        raise UserError(f"{path} line {reader.line_num}: not valid CSV ({str(error).split(' - ')[0]})") from None
    if not rows:
        raise UserError(f"{path}: the file is empty")
    (header_at, header), *data = rows
    return Table(None, header_at, [str(c).strip() for c in header], data)


def read_workbook(path: Path, header_marker: str, limit: bounds.Limit) -> list[Table]:
    """Every sheet that has a row containing `header_marker` within its first rows, as a Table;
    other sheets (contents, notes) are left out."""
    import pandas as pd  # only here: reading workbooks is the one place this package needs pandas

    engine = {".xlsx": "openpyxl", ".ods": "odf"}[path.suffix.lower()]
    data = bounds.read_capped(path, limit)
    try:
        _refuse_zip_bomb(path, data, limit)
        if engine == "odf":
            _refuse_repeated_cells(path, data)
        book = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine=engine)
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as error:
        raise UserError(f"{path}: not a readable {path.suffix[1:].upper()} workbook ({str(error).splitlines()[0]})") from None
    tables = []
    for sheet, frame in book.items():
        cells = [["" if _blank(v) else v for v in row] for row in frame.itertuples(index=False, name=None)]
        for i, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
            if header_marker in (str(c).strip() for c in row):
                data = [(f"sheet {sheet!r} row {j + 1}", r) for j, r in enumerate(cells[i + 1:], start=i + 1)
                        if any(str(c).strip() for c in r)]
                tables.append(Table(sheet, f"sheet {sheet!r} row {i + 1}", [str(c).strip() for c in row], data))
                break
    return tables


def _refuse_zip_bomb(path: Path, data: bytes, limit: bounds.Limit) -> None:
    """A workbook is a zip of XML files: their unzipped sizes together must keep to the limit too.
    The sizes the zip declares are the ones that count: Python's zip reader stops at a member's
    declared size and refuses one that says less than it holds."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        unzipped = sum(member.file_size for member in book.infolist())
    if unzipped > limit.max_bytes:
        raise UserError(f"{path}: {unzipped / bounds.MB:,.0f} MB once unzipped, more than {limit.mb}, the limit for "
                        f"{limit.what} (if it is right, raise the limit with --max-mb)")


MAX_WORKBOOK_CELLS = 2_000_000  # a Home Office table by partnership has tens of thousands


def _refuse_repeated_cells(path: Path, data: bytes) -> None:
    """An ODS sheet can say "this row, 300,000 times" and "this cell, 200 times" in a few bytes, and
    the reader builds every such cell in memory (an 831-byte file took 1.2 GB; a 1.5 KB one asked
    for 15 GB). Count the cells a sheet's rows with content would make, before reading it. Empty
    rows and cells are not counted: the reader does not build those."""
    from xml.etree.ElementTree import iterparse

    table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    office = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    cells = 0
    with zipfile.ZipFile(io.BytesIO(data)) as book, book.open("content.xml") as content:
        for _event, element in iterparse(content):
            if element.tag != table + "table-row":
                continue
            in_row, has_content = 0, False
            for cell in element:
                if cell.tag in (table + "table-cell", table + "covered-table-cell"):
                    in_row += int(cell.get(table + "number-columns-repeated", "1"))
                    has_content = has_content or len(cell) > 0 or cell.get(office + "value-type") is not None
            if has_content:
                cells += int(element.get(table + "number-rows-repeated", "1")) * in_row
                if cells > MAX_WORKBOOK_CELLS:
                    raise UserError(f"{path}: its sheets would hold more than {MAX_WORKBOOK_CELLS:,} cells "
                                    "(rows and cells repeated many times); a Home Office table has far fewer")
            element.clear()


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _text(path: Path, limit: bounds.Limit) -> str:
    data = bounds.read_capped(path, limit)
    if not data:
        raise UserError(f"{path}: the file is empty")
    if data.startswith(GZIP_MAGIC):
        raise UserError(f"{path}: gzip-compressed; give the uncompressed CSV")
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UserError(f"{path}: starts with a UTF-16 byte order mark but is not valid UTF-16 text") from None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        start = data.rfind(b"\n", 0, error.start) + 1
        end = data.find(b"\n", error.start)
        bad_line = data[start:end if end >= 0 else len(data)]
        position = UnicodeDecodeError(error.encoding, bad_line, error.start - start, error.end - start, error.reason)
        raise UserError(f"{path} line {line}: {not_utf8(bad_line, position)}") from None
