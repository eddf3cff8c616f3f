"""One at a time: a heavy job (a meeting pack) runs alone, and whoever asks meanwhile waits its turn.

Four sessions making meeting packs at once took 71-96 s each and pushed everyone else's page views
to a median of 4.7 s: the server has few cores, and each pack draws a dozen charts. Made one at a
time, each pack takes its ten seconds, the others wait in line, and page views keep a core.
"""
from __future__ import annotations

import contextlib
import threading
from typing import Callable, ContextManager, Iterator


class OneAtATime:
    """A turn for one job at a time, shared by every thread of the process (every session of a
    Streamlit server). `while_waiting()` is entered only by a caller that has to wait, around the
    wait: a spinner saying why, in the app."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def turn(self, while_waiting: Callable[[], ContextManager] = contextlib.nullcontext) -> Iterator[None]:
        if not self._lock.acquire(blocking=False):
            with while_waiting():
                self._lock.acquire()
        try:
            yield
        finally:
            self._lock.release()

    def busy(self) -> bool:
        """True while a job has its turn (for tests and the load test)."""
        return self._lock.locked()
