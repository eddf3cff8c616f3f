"""`rate`: recompute every stored rating; `ratings`: print one month's ratings as CSV."""
import csv
import sys
import time

from scrutiny.store import db
from scrutiny.store.data_access import open_database
from scrutiny.core.errors import UserError
from scrutiny.core.months import BadMonth, Month, parse_month
from scrutiny.core.paths import database_path
from scrutiny.rate.ratings import store_ratings

COLUMNS = ["measure", "area", "rag", "variation", "assurance", "explanation"]


def register(subparsers) -> None:
    rate = subparsers.add_parser("rate", help="recompute every rating (every measure, area and month)")
    rate.add_argument("--db", help="database file (default: $SCRUTINY_DB or data/scrutiny.duckdb)")
    rate.set_defaults(func=run_rate)
    ratings = subparsers.add_parser("ratings", help="one month's ratings with their explanations, as CSV")
    ratings.add_argument("--month", required=True, help="YYYY-MM")
    ratings.add_argument("--db", help="database file (default: $SCRUTINY_DB or data/scrutiny.duckdb)")
    ratings.set_defaults(func=run_ratings)


def run_rate(args) -> int:
    path = database_path(args.db)
    open_database(path).close()  # a clear error if it is missing or not a database
    started = time.perf_counter()
    with db.changed_copy(path) as con:
        count = store_ratings(con)
    print(f"Rated {count:,} measure, area and month combinations in {time.perf_counter() - started:.1f} s")
    return 0


def run_ratings(args) -> int:
    try:
        month = parse_month(args.month)
    except BadMonth as error:
        raise UserError(str(error)) from None
    with open_database(database_path(args.db)) as con:
        rows = con.execute("""
            select m.measure_name, a.area_name, r.rag, r.variation, r.assurance, r.explanation
            from ratings r join measures m using (measure_id) join areas a using (area_id)
            where r.month = ?
            order by m.sort_order, m.measure_name, a.area_level = 'npa', a.sort_order
        """, [month]).fetchall()
        if not rows:
            first, last = con.execute("select min(month), max(month) from ratings").fetchone()
            span = f"{Month.of(first).key} to {Month.of(last).key}" if first else "none"
            raise UserError(f"no ratings for {month.key}; the database has ratings for {span}")
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return 0
