from pathlib import Path

from scrutiny.bench.demo_queries import run_benchmark
from scrutiny.bench.national_data import SCALES


def register(subparsers) -> None:
    parser = subparsers.add_parser("bench", help="print demo build time and query latencies, or the "
                                                 "national-scale figures with --scale")
    parser.add_argument("--runs", type=int, default=100, help="runs per query (default 100)")
    parser.add_argument("--db", help="time the queries on this database instead of a fresh demo build")
    parser.add_argument("--scale", choices=sorted(SCALES),
                        help="generate and import a synthetic archive of all 43 forces: national is "
                             "about 60 million records over 10 years, tenth and small are 10%% and 1%%")
    parser.add_argument("--months", type=int, default=120, help="with --scale: months of data (default 120)")
    parser.add_argument("--data", help="with --scale: folder for the generated archive (kept and reused)")
    parser.add_argument("--import-only", action="store_true",
                        help="with --scale: stop after the import and the bare load it is measured against "
                             "(skips the query and page timings)")
    parser.set_defaults(func=run)


def run(args) -> int:
    if args.scale:
        from scrutiny.bench.national import run_national_benchmark

        run_national_benchmark(args.scale, Path(args.data) if args.data else None, months=args.months,
                               runs=min(args.runs, 30), import_only=args.import_only)
        return 0
    run_benchmark(runs=args.runs, db=Path(args.db) if args.db else None)
    return 0
