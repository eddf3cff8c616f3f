"""Options shared by the commands that write a database."""
from __future__ import annotations

from scrutiny.store.lock import DEFAULT_WAIT_SECONDS


def add_wait_option(parser) -> None:
    parser.add_argument("--wait", type=float, default=DEFAULT_WAIT_SECONDS, metavar="SECONDS",
                        help="if another command is writing the database, wait at most this long for it "
                             f"(default {DEFAULT_WAIT_SECONDS:g})")
