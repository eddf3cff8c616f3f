"""`upgrade`: bring a database made by an earlier version up to this one (the app never writes;
every import upgrades the file too)."""
from __future__ import annotations

from scrutiny.commands.options import add_database_command
from scrutiny.core.paths import database_path
from scrutiny.store import db


def register(subparsers) -> None:
    add_database_command(subparsers, "upgrade", "upgrade a database made by an earlier version, keeping its data", run)


def run(args) -> int:
    path = database_path(args.db)
    db.open_read_only(path, tables=("areas",)).close()  # a clear error if it is missing or not a database
    if not db.needs_upgrade(path):
        print(f"{path} is up to date: nothing to do.")
        return 0
    db.upgrade(path)
    print(f"Upgraded {path} for this version; its data is kept.")
    return 0
