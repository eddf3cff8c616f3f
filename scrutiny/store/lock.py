"""One writer at a time: every write to a database holds an exclusive lock on a file beside it.

Each write copies the database, changes the copy and renames it into place. Two at once would
each start from the same file, and the second rename would silently drop the first's work (a
whole Leicestershire import lost to a Lancashire one, both saying they had succeeded). Under the
lock the second writer starts from the first one's result.

The lock is `flock` on `.NAME.lock` beside the database (kept, never deleted: removing it while
another process waits on it would let a third take a different lock). The kernel releases it when
its holder exits, even by kill -9, so a crashed write never leaves a stale lock. It is re-entrant
within a process: an import that upgrades the file first takes it once.

A writer that finds the lock taken says what it waits for on stderr and waits up to
`waiting_at_most(seconds)` (the command line's `--wait`), then gives up with one line.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import fcntl
import os
import stat
import sys
import time
from pathlib import Path
from typing import Iterator

from scrutiny.core.errors import UserError

DEFAULT_WAIT_SECONDS = 600.0  # an import of a national year takes minutes; a person can press Ctrl+C
POLL_SECONDS = 0.2

_wait_limit = contextvars.ContextVar("wait_limit", default=DEFAULT_WAIT_SECONDS)
_writer = contextvars.ContextVar("writer", default="a write")  # what a waiting writer is told
_held: dict[Path, tuple[int, int]] = {}  # lock path -> (file descriptor, depth), in this process


@contextlib.contextmanager
def waiting_at_most(seconds: float, writer: str = "a write") -> Iterator[None]:
    """Writers started inside this block wait at most `seconds` for another writer, and name
    themselves `writer` (e.g. 'import police-uk') to any writer that waits for them."""
    limit, name = _wait_limit.set(seconds), _writer.set(writer)
    try:
        yield
    finally:
        _wait_limit.reset(limit)
        _writer.reset(name)


def lock_path(database: Path) -> Path:
    return database.with_name(f".{database.name}.lock")


@contextlib.contextmanager
def writer_lock(database: Path) -> Iterator[None]:
    """Hold the database's writer lock for the block. `database` should be the real file (a
    symlink resolved), so that two links to one file share one lock."""
    path = lock_path(database)
    if path in _held:
        fd, depth = _held[path]
        _held[path] = (fd, depth + 1)
        try:
            yield
        finally:
            _held[path] = (fd, _held[path][1] - 1)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = _open_lock_file(path, database)
    except OSError as error:
        raise UserError(f"{database}: cannot write beside it to take the writer lock ({error.strerror})") from None
    try:
        _acquire(fd, database)
        os.ftruncate(fd, 0)  # who holds it, for the message of a writer that waits
        os.write(fd, f"{os.getpid()} {dt.datetime.now():%H:%M:%S} {_writer.get()}\n".encode())
        _held[path] = (fd, 1)
        try:
            yield
        finally:
            del _held[path]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _open_lock_file(path: Path, database: Path) -> int:
    """The lock file, made on first use with the database's group and read-write bits: whoever may
    write the database (a colleague in a shared, group-writable folder) may take its lock too."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return os.open(path, os.O_RDWR)
    try:
        status = os.stat(database)
    except FileNotFoundError:
        return fd  # a new database: the usual mode for a new file
    with contextlib.suppress(OSError):  # a group this user is not in, say: keep the defaults
        os.fchown(fd, -1, status.st_gid)
    with contextlib.suppress(OSError):
        os.fchmod(fd, stat.S_IMODE(status.st_mode) & 0o666)
    return fd


def _acquire(fd: int, database: Path) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    limit = _wait_limit.get()
    holder = _holder(fd)
    print(f"Waiting for another write to {database} to finish ({holder}); giving up after {limit:g} s.",
          file=sys.stderr, flush=True)
    deadline = time.monotonic() + limit
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise UserError(f"{database}: another write ({holder}) was still running after {limit:g} s; "
                                "nothing was written (try again when it has finished, or give --wait SECONDS)") from None
            time.sleep(POLL_SECONDS)


def _holder(fd: int) -> str:
    """'import police-uk, process 1234, since 10:42:07', from what the holder wrote in the lock file."""
    try:
        text = os.pread(fd, 200, 0).decode(errors="replace").strip()
        pid, since, what = text.split(" ", 2)
        return f"{what}, process {pid}, since {since}"
    except ValueError:
        return "started just now"
