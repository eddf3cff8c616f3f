"""A progress bar on stderr for long imports: files read, rows, rows per second.

Drawn only when stderr is a terminal (a log or a test gets no control characters); the final
summary line is always written.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30


def bar(done: int, total: int) -> str:
    """'[=====>    ]': how many of `total` files are done (all, when there are none)."""
    filled = int(WIDTH * (done / total if total else 1.0))
    return "[" + "=" * filled + (">" if filled < WIDTH else "") + " " * (WIDTH - filled - 1) + "]"


class _FilesBar:
    """What both bars keep: how many files of how many, where the bar goes (standard error; drawn only
    on a terminal unless told), and when it started."""

    def __init__(self, total_files: int, stream: TextIO | None = None, draw: bool | None = None):
        self.total_files = total_files
        self.stream = stream if stream is not None else sys.stderr
        self.draw = self.stream.isatty() if draw is None else draw
        self.started = time.perf_counter()
        self.files = 0


class Progress(_FilesBar):
    def __init__(self, total_files: int, stream: TextIO | None = None, draw: bool | None = None):
        super().__init__(total_files, stream, draw)
        self.rows = 0

    def advance(self, files: int, rows: int) -> None:
        self.files += files
        self.rows += rows
        if self.draw:
            self.stream.write(f"\r{bar(self.files, self.total_files)} {self.files}/{self.total_files} files, {self.rows:,} rows, "
                              f"{self.rate():,.0f} rows/s")
            self.stream.flush()

    def rate(self) -> float:
        elapsed = time.perf_counter() - self.started
        return self.rows / elapsed if elapsed > 0 else 0.0

    def finish(self) -> None:
        if self.draw:
            self.stream.write("\n")
        self.stream.write(f"Read {self.files:,} files, {self.rows:,} rows in "
                          f"{time.perf_counter() - self.started:.1f} s ({self.rate():,.0f} rows/s)\n")
        self.stream.flush()


class DownloadProgress(_FilesBar):
    """The same bar for `fetch`'s downloads: bytes, files done of those wanted (fetched, found in the
    cache or found absent), speed."""

    def __init__(self, total_files: int, stream: TextIO | None = None, draw: bool | None = None):
        super().__init__(total_files, stream, draw)
        self.bytes = 0
        self.drawn_at = 0.0

    def add_bytes(self, n: int) -> None:
        self.bytes += n
        if time.perf_counter() - self.drawn_at > 0.1:  # a chunk is 64 KiB: a line each would flood the terminal
            self._draw()

    def add_file(self) -> None:
        self.files += 1
        self._draw()

    def speed(self) -> float:
        elapsed = time.perf_counter() - self.started
        return self.bytes / elapsed if elapsed > 0 else 0.0

    def _draw(self) -> None:
        if self.draw:
            self.drawn_at = time.perf_counter()
            self.stream.write(f"\r{bar(self.files, self.total_files)} {self.files}/{self.total_files} files, "
                              f"{self.bytes / 1e6:,.1f} MB, "
                              f"{self.speed() / 1e6:,.1f} MB/s")
            self.stream.flush()

    def finish(self) -> None:
        """End the bar. No summary line here: a fetch that fails after downloading must still say
        only its one line, and the command's own summary (on stdout) gives the bytes and time."""
        if self.draw:
            self.stream.write("\n")
            self.stream.flush()
