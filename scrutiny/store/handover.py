"""Which version of a database file a server's runs read while a newer file is made ready.

An import renames a new file into place. Every cached figure belongs to one file version, so the
first views after the rename used to work everything out again, all at once: under 20 sessions,
Overview took 3 to 4.5 s after each swap, where it took 0.3 s before. Instead, the first run that
sees the new file starts one thread that works out, for the new file, what the runs recently
asked of the old one (most recent first); meanwhile runs keep reading the old file, which stays
readable (its connection holds it open after the rename). Once that thread is done, or at most
`ready_within` seconds after the runs fell behind, the next run reads the newest file, whole. A
file replaced again while it is prepared is given up for the newer one. So a new month shows up a
few seconds after its import instead of on the very next view, and no view waits for it.

No Streamlit here: the app (ui.py) gives the work to do for each key it asked.
"""
from __future__ import annotations

import collections
import logging
import threading
import time
from typing import Callable, Hashable

Version = tuple[int, int]
log = logging.getLogger(__name__)

# How long the runs may go on reading the old file while the new one is made ready. The demo's
# recent views are ready in about 2 s on a quiet two-core machine; a busy one takes longer.
READY_WITHIN_S = 20.0
# How many of the most recently asked figures are worked out for a new file before it is read.
REMEMBERED = 200


class Handover:
    """For one database path in one server process: the version runs read (`version_to_read`), and
    what they asked of it (`remember`), to have it ready for the next version."""

    def __init__(self, ready_within: float = READY_WITHIN_S, remembered: int = REMEMBERED,
                 clock: Callable[[], float] = time.monotonic):
        self._ready_within, self._remembered, self._clock = ready_within, remembered, clock
        self._lock = threading.Lock()
        self._read: Version | None = None
        self._asked: collections.OrderedDict[Hashable, None] = collections.OrderedDict()
        self._behind_since: float | None = None  # since when a newer file than the one read is there
        self._ready: Version | None = None
        self._thread: threading.Thread | None = None

    def remember(self, key: Hashable) -> None:
        """A run asked for KEY (a query and its parameters, say): worth having ready for a new file."""
        try:
            hash(key)
        except TypeError:  # not something a cache could be keyed on either
            return
        with self._lock:
            self._asked[key] = None
            self._asked.move_to_end(key)
            while len(self._asked) > self._remembered:
                self._asked.popitem(last=False)

    def version_to_read(self, newest: Version, prepare: Callable[[Version, list], bool]) -> Version:
        """The version this run reads, given the NEWEST at the path now. PREPARE(version, keys) works
        the keys out for a version, in a thread of its own, and says whether it finished (False: a
        newer file replaced that one meanwhile, and it stopped)."""
        with self._lock:
            if self._read is None or newest in (self._read, self._ready):
                return self._reading(newest)
            if self._behind_since is None:
                self._behind_since = self._clock()
            if not self._busy():
                self._start(newest, prepare)
            # Timed from when the runs fell behind, not from this preparation's start: files that
            # keep arriving while one is prepared cannot hold the runs on an old one for longer.
            if self._clock() - self._behind_since >= self._ready_within:
                log.warning("The new database file was not ready within %.0f s: reading it now", self._ready_within)
                return self._reading(newest)
            return self._read

    def read_newest(self, newest: Version) -> None:
        """The old version can no longer be read (its connection was let go): read the newest."""
        with self._lock:
            self._reading(newest)

    def wait_until_ready(self, timeout: float) -> bool:
        """For tests and scripts: until the version being prepared is ready (True), or TIMEOUT."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return thread is None or not thread.is_alive()

    def _reading(self, version: Version) -> Version:
        self._read, self._behind_since = version, None
        return version

    def _busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _start(self, version: Version, prepare: Callable[[Version, list], bool]) -> None:
        keys = list(reversed(self._asked))  # the most recently asked first

        def work() -> None:
            try:
                finished = prepare(version, keys)
            except Exception:  # a failure here costs speed only: the runs will work it out themselves
                log.exception("Making the new database file ready failed; it is read as it is")
                finished = True
            with self._lock:
                if finished:
                    self._ready = version
                    # Never back: if the runs moved on meanwhile (the time limit, or the old file's
                    # connection let go), they stay where they are.
                    if self._read == reading_when_started:
                        self._reading(version)

        reading_when_started = self._read
        # Not a daemon (said, as a thread started by a daemon, the script runner, is one by default):
        # a daemon thread still in DuckDB when Python exits is killed mid-call, glibc prints "FATAL:
        # exception not rethrown" and the process aborts. This one ends within seconds.
        self._thread = threading.Thread(target=work, name="database-handover", daemon=False)
        self._thread.start()
