"""Scratch folders in the system's temporary folder, named by the process that made them, so a
later run can sweep those of processes that were killed before they could (kill -9, SIGTERM):
an import's staging copy of its files is as large as the files, and none was ever removed."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def scratch_folder(kind: str) -> Iterator[Path]:
    """A new folder `scrutiny-KIND-PID-xxxx` for this process, removed afterwards; first, the
    folders of the same kind left by processes that no longer run are removed."""
    sweep_dead(kind)
    with tempfile.TemporaryDirectory(prefix=f"scrutiny-{kind}-{os.getpid()}-") as folder:
        yield Path(folder)


def sweep_dead(kind: str, root: Path | None = None) -> list[Path]:
    root = Path(root or tempfile.gettempdir())
    pattern = re.compile(rf"scrutiny-{re.escape(kind)}-(\d+)-")
    swept = []
    for folder in root.glob(f"scrutiny-{kind}-*"):
        owner = pattern.match(folder.name)
        if owner and folder.is_dir() and not _running(int(owner.group(1))):
            shutil.rmtree(folder, ignore_errors=True)
            swept.append(folder)
    return swept


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: running, and not ours to sweep
        return True
    return True
