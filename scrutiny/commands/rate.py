"""`rate`: recompute every stored rating; `ratings`: print one month's ratings as CSV."""
import csv
import sys
import time

import pandas as pd

from scrutiny.core.paths import database_path
from scrutiny.commands.options import add_wait_option
from scrutiny.store import db, queries
from scrutiny.store.data_access import checked_rated_month
from scrutiny.rate.ratings import store_ratings

COLUMNS = ["measure", "area", "rag", "variation", "assurance", "explanation"]


def register(subparsers) -> None:
    rate = subparsers.add_parser("rate", help="recompute every rating (every measure, area and month)")
    rate.add_argument("--db", help="database file (default: $SCRUTINY_DB or data/scrutiny.duckdb)")
    add_wait_option(rate)
    rate.set_defaults(func=run_rate)
    ratings = subparsers.add_parser("ratings", help="one month's ratings with their explanations, as CSV")
    ratings.add_argument("--month", required=True, help="YYYY-MM")
    ratings.add_argument("--db", help="database file (default: $SCRUTINY_DB or data/scrutiny.duckdb)")
    ratings.set_defaults(func=run_ratings)


def run_rate(args) -> int:
    path = database_path(args.db)
    db.open_read_only(path).close()  # a clear error if it is missing or not a database
    started = time.perf_counter()
    with db.changed_copy(path) as con:
        count = store_ratings(con)
    print(f"Rated {count:,} measure, area and month combinations in {time.perf_counter() - started:.1f} s")
    return 0


def run_ratings(args) -> int:
    with db.open_read_only(database_path(args.db)) as con:
        month = checked_rated_month(con, args.month)
        rows = queries.run(con, "plan/month_ratings", month=month)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([["" if pd.isna(v) else v for v in row] for row in rows.itertuples(index=False)])
    return 0
