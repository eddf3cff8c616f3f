"""What an import records about the files it read: each file's checksum and the time it was loaded."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def now() -> dt.datetime:
    """The time to record for an import: to the second, as people read it."""
    return dt.datetime.now().replace(microsecond=0)
