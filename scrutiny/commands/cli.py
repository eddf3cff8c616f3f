"""`python -m scrutiny <command>`: the command line for the analyst and for scripts.

Errors a user can fix (a bad month, a missing file) print one line to stderr and exit with 2.
"""
from __future__ import annotations

import argparse
import importlib
import sys

import duckdb

from scrutiny.core.errors import UserError
from scrutiny.core.paths import database_path
from scrutiny.store import db, lock

# Each module in scrutiny.commands adds its own sub-command.
COMMAND_MODULES = [
    "scrutiny.commands.build_demo",
    "scrutiny.commands.yoy",
    "scrutiny.commands.bench",
    "scrutiny.commands.derive_demo",
    "scrutiny.commands.spc",
    "scrutiny.commands.rate",
    "scrutiny.commands.import_data",
    "scrutiny.commands.fetch",
    "scrutiny.commands.setup",
    "scrutiny.commands.pack",
    "scrutiny.commands.upgrade",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scrutiny", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    writer = " ".join(filter(None, [args.command, getattr(args, "kind", None)]))
    try:
        with lock.waiting_at_most(getattr(args, "wait", lock.DEFAULT_WAIT_SECONDS), writer):
            return args.func(args) or 0
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except duckdb.Error as error:
        # A database damaged inside (a block whose checksum fails) passes the checks made on
        # opening it, which cannot read every block, and fails when a query reaches the block.
        if not db.is_damage(error):
            raise
        print(f"error: {db.damaged_database(database_path(getattr(args, 'db', None)), db.why_it_does_not_open(error))}",
              file=sys.stderr)
        return 2
