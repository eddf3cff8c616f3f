from pathlib import Path

from scrutiny.bench import run_benchmark


def register(subparsers) -> None:
    parser = subparsers.add_parser("bench", help="print demo build time and query latencies")
    parser.add_argument("--runs", type=int, default=100, help="runs per query (default 100)")
    parser.add_argument("--db", help="time the queries on this database instead of a fresh demo build")
    parser.set_defaults(func=run)


def run(args) -> int:
    run_benchmark(runs=args.runs, db=Path(args.db) if args.db else None)
    return 0
