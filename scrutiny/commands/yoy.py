"""`yoy`: every area's count for a month against the same month a year before, as CSV, with the
exact year-on-year test (scrutiny.rate.yoy); then the records placed in no area, a line per
reason, and the force as a whole (area = the force's name), which counts every record, so the
lines above it add up to it. Fields with nothing to say are left empty: no figure a year before
means no change and no test; an area's change that is for, or compares with, a month incomplete for
the areas (scrutiny.rate.incomplete) has no test (exit 0, with a note on standard error)."""
import csv
import sys

import pandas as pd

from scrutiny.core.crime_types import ALL_CRIME
from scrutiny.core.paths import database_path
from scrutiny.present import meeting
from scrutiny.rate import yoy
from scrutiny.store.data_access import checked_crime_type, checked_month
from scrutiny.store.db import open_read_only

COLUMNS = ["area", "count", "count_previous_year", "change_pct", "p_value", "notable"]


def register(subparsers) -> None:
    parser = subparsers.add_parser("yoy", help="year-on-year change by area for a month, as CSV")
    parser.add_argument("--month", required=True, help="YYYY-MM")
    parser.add_argument("--crime-type", default=ALL_CRIME, help=f"default: {ALL_CRIME}")
    parser.add_argument("--db", help="database file (default: $SCRUTINY_DB or data/scrutiny.duckdb)")
    parser.set_defaults(func=run)


def run(args) -> int:
    with open_read_only(database_path(args.db)) as con:
        month = checked_month(con, args.month)
        crime_type = checked_crime_type(con, args.crime_type)
        table = meeting.areas_and_force(meeting.runner(con), month, crime_type)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in table.itertuples():
        writer.writerow([
            row.area_name, _blank_if_missing(row.crime_count), _blank_if_missing(row.count_previous_year),
            _blank_if_missing(row.change_pct, "{:.1f}"), _blank_if_missing(row.p_value, "{:#.6g}"),
            "" if yoy.notable_word(row.notable) == "" else str(bool(row.notable)).lower(),
        ])
    if not meeting.has_year_before(table):
        print(f"note: there are no figures for {month.year_before.label}, so no change or test is given",
              file=sys.stderr)
    elif table.get("not_tested") is not None and table.not_tested.notna().any():
        reason = table.not_tested.dropna().iloc[0]
        print(f"note: the areas' changes are not tested (p_value and notable left empty), because {reason}, "
              "so the areas' counts are incomplete; the force's line counts every record", file=sys.stderr)
    return 0


def _blank_if_missing(value, pattern="{:.0f}") -> str:
    # pd.isna, not `value != value`: a count missing from a nullable column is pd.NA, whose
    # comparisons are NA themselves (the crash of a month with no year before).
    return "" if pd.isna(value) else pattern.format(value)
