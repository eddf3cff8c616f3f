"""`import returns FILE`: the office's own monthly figures (victim satisfaction, 999 and 101 call
handling, confidence ...) as CSV `measure,area,period,value[,denominator]`.

- measure: the id of a Plan measure whose figures come from returns (not a crime count);
- area: an area's id or name ("leicestershire", "City Centre"); a force-only measure takes the
  force area only;
- period: YYYY-MM; value: a number, 0 to 100 for a percentage, 0 or more for a count;
- denominator (optional): what a percentage is of (responses, calls), more than 0.
Every line is checked before anything is written; a figure appears once per measure, area and
month. A figure replaces the one for the same measure, area and month; in a demonstration
database the first real figures of a measure for a force remove all its synthetic ones.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

from scrutiny.core import bounds
from scrutiny.core.errors import UserError
from scrutiny.core.files import now, sha256_of
from scrutiny.store import db, queries, writes
from scrutiny.rate.ratings import finish
from scrutiny.load import target
from scrutiny.load.tables import read_csv_table
from scrutiny.core.months import BadMonth, parse_month
from scrutiny.core.vocab import PERCENT

REQUIRED = ("measure", "area", "period", "value")
OPTIONAL = ("denominator",)


@dataclass(frozen=True)
class ReturnsResult:
    rows: int
    measures: list[str]
    first_month: dt.date
    last_month: dt.date


def import_returns(path: Path, database: Path, limit: bounds.Limit = bounds.RETURNS) -> ReturnsResult:
    table = read_csv_table(path, limit)
    _check_header(path, table.header)
    values, force_of = _checked_values(path, table, database)
    with writes.changed_database(database, create=False) as (con, _new):
        replaced = False
        for force_id, measure_id in sorted({(force_of[v[1]], v[0]) for v in values}):
            replaced |= target.claim_series(con, force_id, measure_id)
        queries.write(con, "load/new_values", measure_ids=[v[0] for v in values], area_ids=[v[1] for v in values],
                      months=[v[2] for v in values], values=[v[3] for v in values],
                      denominators=[v[4] for v in values])
        queries.write(con, "load/replaced_values")
        con.execute("insert into measure_values select * from new_values order by all")
        months = [v[2] for v in values]
        target.record_files(con, [("returns", path.name, None, min(months), max(months), len(values),
                                   sha256_of(path), now())], replace_by_month=False)
        target.rebuild_provenance(con)
        if replaced:
            target.rewrite_demo_provenance(con)
        finish(con)
    return ReturnsResult(len(values), sorted({v[0] for v in values}), min(months), max(months))


def _checked_values(path: Path, table, database: Path) -> tuple[list[tuple], dict[str, str]]:
    """Every line checked against the database's measures and areas, read before any writing."""
    con = db.open_read_only(database)
    try:
        measures = {m: (unit, areas, source) for m, unit, areas, source in
                    con.execute("select measure_id, unit, areas, source from measures").fetchall()}
        areas = con.execute("select area_id, area_name, area_level, force_id from areas").fetchall()
    finally:
        con.close()
    by_id, by_name = {a[0]: a for a in areas}, {a[1]: a for a in areas}
    values, seen = [], {}
    for where, cells in table.rows:
        if len(cells) > len(table.header):
            raise UserError(f"{path} {where}: {len(cells)} fields where the header has {len(table.header)}")
        row = dict(zip(table.header, (str(c).strip() for c in cells)))
        row.setdefault("denominator", "")
        for column in REQUIRED:
            row.setdefault(column, "")
        values.append(_value(f"{path} {where}", row, measures, by_id, by_name))
        key = values[-1][:3]
        if key in seen:
            raise UserError(f"{path} {where}: {key[0]} for {key[1]} in {row['period']} is also on {seen[key]}")
        seen[key] = where
    if not values:
        raise UserError(f"{path}: has a header but no rows")
    return values, {a[0]: a[3] for a in areas}


def _check_header(path: Path, header: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in header]
    unexpected = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing or unexpected:
        problems = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"unexpected {', '.join(map(repr, unexpected))}"] if unexpected else [])
        raise UserError(f"{path} line 1: wrong columns ({'; '.join(problems)}); a returns file has "
                        "measure,area,period,value and optionally denominator")


def _value(place: str, row: dict, measures: dict, by_id: dict, by_name: dict) -> tuple:
    measure_id = row["measure"]
    if measure_id not in measures:
        raise UserError(f"{place}: unknown measure {measure_id!r} (the plan's measures: {', '.join(sorted(measures))})")
    unit, areas, source = measures[measure_id]
    if source != "returns":
        raise UserError(f"{place}: {measure_id} is counted from crime records, not taken from returns")
    area = by_id.get(row["area"]) or by_name.get(row["area"])
    if area is None:
        raise UserError(f"{place}: unknown area {row['area']!r}")
    if areas == "force" and area[2] != "force":
        raise UserError(f"{place}: {measure_id} is reported for the whole force only, not for {area[1]}")
    try:
        month = parse_month(row["period"])
    except BadMonth:
        raise UserError(f"{place}: period {row['period']!r} is not a month in the form YYYY-MM") from None
    value = _number(place, "value", row["value"])
    if unit == PERCENT and not 0 <= value <= 100:
        raise UserError(f"{place}: {measure_id} is a percentage, so {row['value']} must be between 0 and 100")
    if value < 0:
        raise UserError(f"{place}: value {row['value']} must not be negative")
    denominator = None
    if row.get("denominator"):
        denominator = _number(place, "denominator", row["denominator"])
        if denominator <= 0:
            raise UserError(f"{place}: denominator {row['denominator']} must be more than 0")
    return measure_id, area[0], month, value, denominator


def _number(place: str, column: str, text: str) -> float:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise UserError(f"{place}: {column} {text!r} is not a number")
    return number
