from pathlib import Path

from scrutiny.demo.params import derive
from scrutiny.core.errors import UserError
from scrutiny.core.paths import DEMO_DIR


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "derive-demo", help="re-derive data/demo/ parameters from real data.police.uk files (developers)")
    parser.add_argument("--real", required=True, help="folder of real files (shared/data/real)")
    parser.add_argument("--out", default=str(DEMO_DIR), help="where to write the parameter files")
    parser.set_defaults(func=run)


def run(args) -> int:
    real = Path(args.real)
    if not real.is_dir():
        raise UserError(f"{real}: not a folder of real data files")
    derive(real, Path(args.out))
    print(f"Wrote demo parameters to {args.out}")
    return 0
