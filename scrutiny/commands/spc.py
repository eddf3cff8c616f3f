"""`python -m scrutiny spc SERIES.csv --improvement lower|higher`: XmR chart of one series as JSON.

`--step-change YYYY-MM` (repeatable) starts a new phase there, as a step change recorded in the
plan file does (each point's JSON gives its `phase` and that phase's mean and limits);
`--baseline N` fixes the first phase's limits on its first N months.

The CSV has a header with `period` (YYYY-MM) and `value`; other columns are ignored. Rows may
come in any order: they are sorted by period. A bad file is refused with its name, the line and
the problem, so the analyst can fix it without reading a traceback.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import math
from pathlib import Path

from scrutiny.rate import spc
from scrutiny.core.errors import UserError
from scrutiny.core.months import BadMonth, Month, parse_month


def register(subparsers) -> None:
    p = subparsers.add_parser("spc", help="XmR chart (limits, special causes, ratings) as JSON")
    p.add_argument("series", type=Path, help="CSV file with columns period,value")
    p.add_argument("--improvement", required=True, choices=spc.IMPROVEMENT_DIRECTIONS,
                   help="which way is better: lower (crime) or higher (satisfaction)")
    p.add_argument("--target", type=float, help="target for the assurance rating")
    p.add_argument("--baseline", type=int, help="fix the first phase's limits on its first N months")
    p.add_argument("--step-change", action="append", default=[], metavar="YYYY-MM", type=_step_change,
                   help="re-base the limits from this month (repeatable); it takes effect once "
                        f"{spc.MIN_POINTS} months follow")
    p.set_defaults(func=run)


def run(args) -> int:
    periods, values = read_series(args.series)
    try:
        result = spc.analyse(periods, values, args.improvement, args.target, args.baseline,
                             step_changes=args.step_change)
    except ValueError as error:  # for example a baseline longer than the series
        raise UserError(f"{args.series}: {error}") from None
    print(json.dumps(result.to_json_dict(), indent=2))
    for step in result.pending_step_changes:  # said, not silently dropped
        after = sum(1 for period in periods if period >= step.period)
        print(f"note: the step change of {step.period.key} has {after} month{'s' if after != 1 else ''} from it; "
              f"it takes effect once {spc.MIN_POINTS} do, so its months are in the phase before", file=sys.stderr)
    return 0


def _step_change(text: str) -> spc.StepChange:
    """argparse type: a month YYYY-MM (argparse reports a bad one with the option's name)."""
    try:
        return spc.StepChange(parse_month(text))
    except BadMonth:
        raise argparse.ArgumentTypeError(f"'{text}' is not a month in the form YYYY-MM") from None


def read_series(path: Path) -> tuple[list[Month], list[float]]:
    """(periods, values) sorted by period, the periods as Months; UserError naming file and line on
    any problem."""
    name = str(path)  # as the user typed it
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            reader = csv.reader(file)
            rows = [(reader.line_num, row) for row in reader]  # line_num: the row just read
    except FileNotFoundError:
        raise UserError(f"{name}: file not found") from None
    except UnicodeDecodeError:
        raise UserError(f"{name}: not a UTF-8 text file") from None
    except (OSError, csv.Error) as error:
        raise UserError(f"{name}: cannot read the file ({error})") from None

    rows = [(line, row) for line, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise UserError(f"{name}: the file is empty")
    header_line, header = rows[0]
    header = [cell.strip() for cell in header]
    for column in ("period", "value"):
        if column not in header:
            raise UserError(f"{name} line {header_line}: no column named '{column}'")
    period_at, value_at = header.index("period"), header.index("value")
    if len(rows) == 1:
        raise UserError(f"{name}: no data rows under the header")

    by_month: dict[Month, tuple[int, float]] = {}  # month -> (line, value)
    for line, row in rows[1:]:
        period = row[period_at].strip() if period_at < len(row) else ""
        text = row[value_at].strip() if value_at < len(row) else ""
        try:
            month = parse_month(period)
        except BadMonth:
            problem = f"period '{period}' is not a month in the form YYYY-MM"
            raise UserError(f"{name} line {line}: {problem}") from None
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise UserError(f"{name} line {line}: value '{text}' is not a number")
        if month in by_month:
            first = by_month[month][0]
            raise UserError(f"{name} line {line}: period {period} already on line {first}")
        by_month[month] = (line, value)

    months = sorted(by_month)
    return months, [by_month[m][1] for m in months]
