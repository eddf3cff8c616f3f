"""`import home-office FILE`: the Home Office's police recorded crime open data tables at
Community Safety Partnership (CSP) level -> quarterly counts per CSP and offence group.

The tables come as CSV, XLSX or ODS; workbooks have one sheet per financial year (sheets without
the columns, such as notes, are skipped). The count column is "Number of Offences" in older files
and "Offence Count" in newer ones; a file with neither, or with both, is refused. Offence codes
are summed to their offence group. Importing a file replaces every force, financial year and
quarter it has, so importing it again changes nothing.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from scrutiny.core import bounds
from scrutiny.core.errors import UserError
from scrutiny.core.files import now, sha256_of
from scrutiny.store import queries, writes
from scrutiny.rate.ratings import finish
from scrutiny.load import target
from scrutiny.load.tables import Table, read_csv_table, read_workbook

NEEDED = ("Financial Year", "Financial Quarter", "Force Name", "CSP Name", "Offence Group")
COUNT_COLUMNS = ("Offence Count", "Number of Offences")
_YEAR = re.compile(r"^(\d{4})\s*[/_-]\s*(\d{2}|\d{4})$")
_QUARTER = re.compile(r"^(?:q|quarter\s*)?([1-4])(?:\.0)?$", re.IGNORECASE)


@dataclass(frozen=True)
class HomeOfficeResult:
    rows: int
    groups: int
    first_quarter: str
    last_quarter: str


def import_home_office(path: Path, database: Path, limit: bounds.Limit = bounds.HOME_OFFICE) -> HomeOfficeResult:
    counts, rows = _read(path, limit)
    keys = sorted(counts)
    with writes.changed_database(database, create=False) as (con, _new):
        queries.write(con, "load/new_offences", force_names=[k[0] for k in keys], csps=[k[1] for k in keys],
                      financial_years=[k[2] for k in keys], quarters=[k[3] for k in keys],
                      starts=[quarter_start(k[2], k[3]) for k in keys], groups=[k[4] for k in keys],
                      counts=[counts[k] for k in keys])
        queries.write(con, "load/replaced_offences")
        con.execute("insert into quarterly_offences select * from new_offences order by all")
        starts = [quarter_start(k[2], k[3]) for k in keys]
        first, last = min(starts), max(starts)
        target.record_files(con, [("home office", path.name, None, first, last.replace(month=last.month + 2),
                                   rows, sha256_of(path), now())], replace_by_month=False)
        target.rebuild_provenance(con)
        finish(con)
    label = lambda k: f"{k[2]} Q{k[3]}"  # noqa: E731
    by_time = sorted(keys, key=lambda k: (k[2], k[3]))
    return HomeOfficeResult(rows, len(keys), label(by_time[0]), label(by_time[-1]))


def quarter_start(financial_year: str, quarter: int) -> dt.date:
    """'2023/24', 1 -> 1 April 2023; quarter 4 is January to March of the next calendar year."""
    year = int(financial_year[:4])
    return dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 1 + 3 * quarter, 1)


def _read(path: Path, limit: bounds.Limit) -> tuple[dict[tuple, int], int]:
    """Counts by (force, CSP, financial year, quarter, offence group), and the rows read."""
    bounds.require_regular_file(path)  # before its name is judged: a pipe is refused as a pipe
    suffix = path.suffix.lower()
    if suffix == ".csv":
        tables = [read_csv_table(path, limit)]
    elif suffix in (".xlsx", ".ods"):
        tables = read_workbook(path, NEEDED[0], limit)
        if not tables:
            raise UserError(f"{path}: no sheet has the Home Office columns ({', '.join(NEEDED)})")
    else:
        raise UserError(f"{path}: not a CSV, XLSX or ODS file (by its name)")
    counts: dict[tuple, int] = {}
    rows = 0
    for table in tables:
        for key, count in _rows(path, table):
            counts[key] = counts.get(key, 0) + count
            rows += 1
    if not rows:
        raise UserError(f"{path}: has the columns but no rows")
    return counts, rows


def _rows(path: Path, table: Table):
    where_header = f"{path} {table.header_at}"
    missing = [c for c in NEEDED if c not in table.header]
    if missing:
        raise UserError(f"{where_header}: missing column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}")
    present = [c for c in COUNT_COLUMNS if c in table.header]
    if not present:
        raise UserError(f"{where_header}: no count column: neither 'Offence Count' nor 'Number of Offences'")
    if len(present) > 1:
        raise UserError(f"{where_header}: both 'Offence Count' and 'Number of Offences'; which is the count is unclear")
    at = {c: table.header.index(c) for c in (*NEEDED, present[0])}
    for where, cells in table.rows:
        value = {c: (cells[i] if i < len(cells) else "") for c, i in at.items()}
        place = f"{path} {where}"
        year = _financial_year(place, value["Financial Year"])
        quarter = _quarter(place, value["Financial Quarter"])
        names = [str(value[c]).strip() for c in ("Force Name", "CSP Name", "Offence Group")]
        for column, name in zip(("Force Name", "CSP Name", "Offence Group"), names):
            if not name:
                raise UserError(f"{place}: no {column}")
        yield (names[0], names[1], year, quarter, names[2]), _count(place, value[present[0]])


def _financial_year(place: str, value) -> str:
    match = _YEAR.match(str(value).strip())
    if not match or (int(match[2]) - int(match[1])) % 100 != 1:
        raise UserError(f"{place}: financial year {value!r} is not like 2023/24")
    return f"{match[1]}/{(int(match[1]) + 1) % 100:02d}"


def _quarter(place: str, value) -> int:
    match = _QUARTER.match(str(value).strip())
    if not match:
        raise UserError(f"{place}: financial quarter {value!r} is not 1, 2, 3 or 4")
    return int(match[1])


def _count(place: str, value) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value == int(value) and value >= 0:
            return int(value)
    else:
        text = str(value).strip().replace(",", "")
        if text.isdigit():
            return int(text)
    raise UserError(f"{place}: offence count {value!r} is not a whole number of 0 or more")
