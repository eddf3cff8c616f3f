"""Options shared by the commands that write a database, and by the importers."""
from __future__ import annotations

from pathlib import Path

from scrutiny.core.bounds import MB, Limit
from scrutiny.store.lock import DEFAULT_WAIT_SECONDS


def add_wait_option(parser) -> None:
    parser.add_argument("--wait", type=float, default=DEFAULT_WAIT_SECONDS, metavar="SECONDS",
                        help="if another command is writing the database, wait at most this long for it "
                             f"(default {DEFAULT_WAIT_SECONDS:g})")


def add_max_mb_option(parser, limit: Limit) -> None:
    parser.add_argument("--max-mb", type=float, metavar="MB",
                        help=f"the largest file to read, in megabytes, after decompressing a .gz "
                             f"(default {limit.max_bytes / MB:g}: {limit.what} is read whole into memory)")


DB_HELP = "database file (default: $SCRUTINY_DB or data/scrutiny.duckdb)"


def add_database_command(subparsers, name: str, help: str, run, db_help: str = DB_HELP):
    """A command that writes one database (NAME --db FILE --wait SECONDS), carried out by RUN."""
    parser = subparsers.add_parser(name, help=help)
    parser.add_argument("--db", help=db_help)
    add_wait_option(parser)
    parser.set_defaults(func=run)
    return parser


def add_file_import(kinds, name: str, help: str, limit: Limit, run):
    """`import NAME FILE --db --wait --max-mb`: an importer of one file it reads whole."""
    parser = kinds.add_parser(name, help=help)
    parser.add_argument("file", type=Path)
    parser.add_argument("--db", help=DB_HELP)
    add_wait_option(parser)
    add_max_mb_option(parser, limit)
    parser.set_defaults(func=run)
    return parser
