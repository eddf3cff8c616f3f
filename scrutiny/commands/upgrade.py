"""`upgrade`: bring a database made by an earlier version up to this one (the app never writes;
every import upgrades the file too)."""
from __future__ import annotations

from scrutiny.commands.options import add_wait_option
from scrutiny.core.paths import database_path
from scrutiny.store import db


def register(subparsers) -> None:
    parser = subparsers.add_parser("upgrade", help="upgrade a database made by an earlier version, keeping its data")
    parser.add_argument("--db", help="database file (default: $SCRUTINY_DB or data/scrutiny.duckdb)")
    add_wait_option(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    path = database_path(args.db)
    db.open_read_only(path, tables=("areas",)).close()  # a clear error if it is missing or not a database
    if not db.needs_upgrade(path):
        print(f"{path} is up to date: nothing to do.")
        return 0
    db.upgrade(path)
    print(f"Upgraded {path} for this version; its data is kept.")
    return 0
