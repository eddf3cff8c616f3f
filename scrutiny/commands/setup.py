"""`setup --force FORCE`: a new database for any force's panel (load/setup.py says what it
holds); then `fetch --force FORCE` fills it with the force's data.police.uk files."""
from __future__ import annotations

from pathlib import Path

from scrutiny.core.formatting import count
from scrutiny.core.paths import database_path
from scrutiny.commands.import_data import DB_HELP
from scrutiny.commands.options import add_wait_option


def register(subparsers) -> None:
    parser = subparsers.add_parser("setup", help="make a new database for a force's panel, ready for fetch")
    parser.add_argument("--force", required=True, metavar="FORCE",
                        help="the force's id on data.police.uk, e.g. lancashire (an unknown id lists them all)")
    parser.add_argument("--db", help=DB_HELP)
    parser.add_argument("--areas", type=Path, metavar="FILE",
                        help="an area mapping (level,code,area_id,area_name; data/areas/README.md) instead of "
                             "the force's Community Safety Partnerships")
    parser.add_argument("--plan", type=Path, metavar="FILE",
                        help="the office's filled-in plan file (without one, a starter plan is written "
                             "beside the database)")
    add_wait_option(parser)
    parser.set_defaults(func=run_setup)


def run_setup(args) -> int:
    from scrutiny.load.setup import setup_force

    database = database_path(args.db)
    report = setup_force(args.force, database, areas=args.areas, plan=args.plan)
    print(f"{database}: {report.force_name}, {len(report.areas)} areas ({', '.join(report.areas)}), "
          f"{count(report.population)} residents (Census 2021), {report.boundaries} outlines; "
          f"{report.seconds:.1f} s.")
    if report.plan_file:
        print(f"  Starter plan to fill in: {report.plan_file}")
    print(f"  Peer group to choose: {report.peers_file}")
    print(f"  Next: python -m scrutiny fetch --force {report.force_id} --db {database}")
    return 0
