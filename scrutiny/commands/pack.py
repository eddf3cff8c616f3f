"""`pack`: the meeting pack for a month, as a PDF."""
from pathlib import Path

from scrutiny.present import meeting
from scrutiny.store.data_access import checked_month
from scrutiny.store.db import open_read_only
from scrutiny.core.errors import UserError
from scrutiny.present import comparison
from scrutiny.present.pack import build_pack
from scrutiny.core.paths import database_path


def register(subparsers) -> None:
    parser = subparsers.add_parser("pack", help="the meeting pack for a month, as a PDF")
    parser.add_argument("--month", required=True, help="YYYY-MM")
    parser.add_argument("--out", required=True, help="the PDF file to write")
    parser.add_argument("--db", help="database file (default: $SCRUTINY_DB or data/scrutiny.duckdb)")
    parser.add_argument("--no-charts", action="store_true",
                        help="tables instead of chart images (charts need Chromium or Chrome)")
    parser.set_defaults(func=run)


def run(args) -> int:
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UserError(f"{out.parent}: no such folder for the pack")
    path = database_path(args.db)
    with open_read_only(path) as con:
        month = checked_month(con, args.month)
        # Written beside the target and renamed, so a failed run never leaves half a PDF behind.
        partial = out.with_name(f".{out.name}.partial")
        try:
            result = build_pack(meeting.runner(con), month, partial, browser=False if args.no_charts else None,
                                peers=comparison.peer_group(path))
            partial.replace(out)
        except OSError as error:
            raise UserError(f"{out}: cannot write the pack ({error.strerror or error})") from None
        finally:
            partial.unlink(missing_ok=True)
    print(f"Wrote the meeting pack for {month.label} to {out}: {result.pages} pages in {result.seconds:.1f} s")
    if result.note:
        print(f"note: {result.note}")
    return 0
