import time

from scrutiny.demo.build import build_demo
from scrutiny.core.paths import DEMO_DIR, database_path
from scrutiny.commands.options import add_database_command


def register(subparsers) -> None:
    add_database_command(subparsers, "build-demo", "build the demonstration database from data/demo/", run,
                         db_help="database file to write (default: $SCRUTINY_DB or data/scrutiny.duckdb)")


def run(args) -> int:
    target = database_path(args.db)
    started = time.perf_counter()
    build_demo(target, DEMO_DIR)
    print(f"Built the demo database {target} in {time.perf_counter() - started:.1f} s")
    return 0
