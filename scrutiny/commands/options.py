"""Options shared by the commands that write a database, and by the importers."""
from __future__ import annotations

from scrutiny.core.bounds import MB, Limit
from scrutiny.store.lock import DEFAULT_WAIT_SECONDS


def add_wait_option(parser) -> None:
    parser.add_argument("--wait", type=float, default=DEFAULT_WAIT_SECONDS, metavar="SECONDS",
                        help="if another command is writing the database, wait at most this long for it "
                             f"(default {DEFAULT_WAIT_SECONDS:g})")


def add_max_mb_option(parser, limit: Limit) -> None:
    parser.add_argument("--max-mb", type=float, metavar="MB",
                        help=f"the largest file to read, in megabytes, after decompressing a .gz "
                             f"(default {limit.max_bytes / MB:g}: {limit.what} is read whole into memory)")
