"""`yoy`: every area's count for a month against the same month a year before, as CSV."""
import csv
import sys

from scrutiny.store import queries
from scrutiny.core.crime_types import ALL_CRIME
from scrutiny.store.data_access import checked_crime_type, checked_month, open_database
from scrutiny.core.paths import database_path

COLUMNS = ["area", "count", "count_previous_year", "change_pct", "z"]


def register(subparsers) -> None:
    parser = subparsers.add_parser("yoy", help="year-on-year change by area for a month, as CSV")
    parser.add_argument("--month", required=True, help="YYYY-MM")
    parser.add_argument("--crime-type", default=ALL_CRIME, help=f"default: {ALL_CRIME}")
    parser.add_argument("--db", help="database file (default: $SCRUTINY_DB or data/scrutiny.duckdb)")
    parser.set_defaults(func=run)


def run(args) -> int:
    with open_database(database_path(args.db)) as con:
        month = checked_month(con, args.month)
        crime_type = checked_crime_type(con, args.crime_type)
        table = queries.run(con, "areas/area_comparison", month=month, crime_type=crime_type)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in table.itertuples():
        writer.writerow([
            row.area_name, row.crime_count, _blank_if_missing(row.count_previous_year),
            _blank_if_missing(row.change_pct, "{:.1f}"), _blank_if_missing(row.z, "{:.2f}"),
        ])
    return 0


def _blank_if_missing(value, pattern="{:.0f}") -> str:
    return "" if value is None or value != value else pattern.format(value)
