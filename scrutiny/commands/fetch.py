"""`fetch --force FORCE [--from YYYY-MM] [--to YYYY-MM]`: a force's data.police.uk files, downloaded
and imported in one command (load/fetch.py says how: which archives, range requests, the cache).

Without --from or --to it fetches the published months the database lacks, so a monthly run
keeps the dashboard current. A failure gives one line naming the URL and the problem, exit code 2,
and leaves the database as it was.
"""
from __future__ import annotations

from pathlib import Path

from scrutiny.core.errors import UserError
from scrutiny.core.months import BadMonth, missing_summary, month_label, parse_month
from scrutiny.core.paths import database_path
from scrutiny.commands.import_data import DB_HELP
from scrutiny.commands.options import add_wait_option


def register(subparsers) -> None:
    parser = subparsers.add_parser("fetch", help="download a force's data.police.uk files and import them")
    parser.add_argument("--force", required=True, metavar="FORCE",
                        help="the force's id on data.police.uk, e.g. leicestershire (the site's /api/forces lists them)")
    parser.add_argument("--from", dest="first", metavar="YYYY-MM", help="the first month (default: the months the database lacks)")
    parser.add_argument("--to", dest="last", metavar="YYYY-MM", help="the last month (default: the latest published)")
    parser.add_argument("--db", help=DB_HELP)
    parser.add_argument("--cache", type=Path, metavar="FOLDER",
                        help="where fetched files are kept, and found again (default: police-uk/ beside the database)")
    parser.add_argument("--base-url", default=None, metavar="URL",
                        help="the site or a mirror of it (default https://data.police.uk)")
    add_wait_option(parser)
    parser.set_defaults(func=run_fetch)


def _month(option: str, text: str | None):
    if text is None:
        return None
    try:
        return parse_month(text)
    except BadMonth as error:
        raise UserError(f"{option}: {error}") from None


def run_fetch(args) -> int:
    from scrutiny.load.fetch import REAL_SITE, Site, fetch

    report = fetch(args.force, database_path(args.db), Site(args.base_url or REAL_SITE),
                   first=_month("--from", args.first), last=_month("--to", args.last), cache_folder=args.cache)
    if not report.months:
        print(f"{report.force_name}: the database has every month published; nothing to fetch.")
        return 0
    months = report.months
    missing = missing_summary(months)
    way = {True: "range requests", False: "whole archives streamed", None: "no download"}[report.ranged]
    print(f"{report.force_name}: {month_label(months[0])} to {month_label(months[-1])}"
          + (f" ({missing})" if missing else "")
          + f"; {report.fetched} files downloaded, {report.reused} already in the cache; "
          f"{report.bytes:,} bytes in {report.requests} requests ({way}), {report.seconds:.1f} s.")
    for url in report.archives:
        print(f"  from {url}")
    imported = report.imported.forces.get(report.force_id)
    if imported:
        print(f"  {imported.records:,} records imported; ratings recomputed: {report.imported.ratings:,}.")
    return 0
