from scrutiny.load import MAX_SECONDS, MAX_SESSIONS, run_load


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "load", help="load test: browser sessions against a local server while the database is swapped")
    parser.add_argument("--sessions", type=int, default=20, help=f"browser sessions (at most {MAX_SESSIONS})")
    parser.add_argument("--seconds", type=float, default=60, help=f"how long (at most {MAX_SECONDS})")
    parser.add_argument("--swap-every", type=float, default=5.0, help="seconds between database swaps")
    parser.add_argument("--think", type=float, default=5.0,
                        help="seconds a user spends on a page, on average (0: as fast as the server answers)")
    parser.set_defaults(func=run)


def run(args) -> int:
    report = run_load(args.sessions, args.seconds, args.swap_every, args.think)
    return 0 if report["errors"] == 0 else 1
