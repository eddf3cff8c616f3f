"""What an importer may read: regular files only, and no more bytes than a stated limit per kind.

Every importer reads through here, so that no input can hang a command or exhaust the memory:
- a named pipe, a device (/dev/zero), a folder or a socket, or a link to one of them, is refused by
  name before it is opened (a pipe with no writer would block `open` for ever; a device never ends);
- the bytes read are counted and reading stops one byte past the limit, so a file that grows while
  it is read is caught as well as one whose size says so;
- a gzip-compressed file is decompressed as a stream, counted, and stopped at the same limit, so a
  small bomb (2 MB that unpacks to 2 GB) costs no more memory than the limit.

The limits are for files people make or download whole and that are parsed in memory. Each is
above the largest real file of its kind we know of, and low enough that a file under it keeps the
command's peak memory under about 500 MB; `--max-mb` raises a limit for a file known to be bigger.
data.police.uk files have no limit here: DuckDB streams them (load/inputs.py reads only their
first bytes), so their size does not raise the memory used; they are checked as regular files.
"""
from __future__ import annotations

import gzip
import io
import os
import stat
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

from scrutiny.core.errors import UserError

MB = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Limit:
    what: str       # the kind of file, for messages: "a returns file"
    max_bytes: int  # bytes read, and bytes after decompressing a .gz

    def raised_to(self, max_mb: float | None) -> Limit:
        """This limit, or MAX_MB megabytes when the user gave --max-mb."""
        if max_mb is None:
            return self
        if not max_mb > 0:
            raise UserError(f"--max-mb must be more than 0, not {max_mb:g}")
        return replace(self, max_bytes=int(max_mb * MB))

    @property
    def mb(self) -> str:
        return f"{self.max_bytes / MB:g} MB"


# Real files, for scale: the Census 2021 LSOA populations of England and Wales are 11 MB
# (decompressed), the ONS LSOA centroids of England and Wales 4.9 MB, the UK's district boundaries
# 1.4 MB, a returns file a few kilobytes. Parsing in memory takes 12 to 20 times a file's size
# (measured: the 11 MB populations peak at 436 MB, a 104 MB returns file at 1.78 GB), on top of
# about 300 MB for Python, DuckDB and the database copy.
RETURNS = Limit("a returns file", 8 * MB)
HOME_OFFICE = Limit("a Home Office table", 12 * MB)
POPULATION = Limit("a population file", 12 * MB)
BOUNDARIES = Limit("a boundary file", 12 * MB)
AREA_MAPPING = Limit("an area mapping", 4 * MB)
PLAN = Limit("a plan file", 1 * MB)  # the demo plan is 9 kB; YAML is parsed whole


def kind_of_file(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def not_regular(path: Path, kind: str) -> UserError:
    return UserError(f"{path}: not a regular file ({kind})")


def require_regular_file(path: Path) -> os.stat_result:
    """The file's status, following links; UserError unless it is a regular file. os.stat never
    opens the file, so a named pipe cannot block here."""
    try:
        status = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise UserError(f"{path}: no such file") from None
    except PermissionError:
        raise UserError(f"{path}: cannot be read (permission denied)") from None
    except OSError as error:  # a loop of links, a name too long ...
        raise UserError(f"{path}: cannot be read ({error.strerror})") from None
    kind = kind_of_file(status.st_mode)
    if kind:
        raise not_regular(path, kind)
    return status


def open_regular(path: Path) -> io.BufferedReader:
    """The file opened for reading, once it is known to be a regular file. O_NONBLOCK so that a
    file swapped for a pipe after the check still cannot block the open, and the open file is
    checked again (fstat), so that the swap is refused too."""
    require_regular_file(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except OSError as error:
        raise UserError(f"{path}: cannot be read ({error.strerror})") from None
    kind = kind_of_file(os.fstat(fd).st_mode)
    if kind:
        os.close(fd)
        raise not_regular(path, kind)
    return os.fdopen(fd, "rb")


def read_capped(path: Path, limit: Limit) -> bytes:
    """A regular file's bytes, refused once there are more than the limit."""
    with open_regular(path) as f:
        data = f.read(limit.max_bytes + 1)
    if len(data) > limit.max_bytes:
        raise UserError(f"{path}: larger than {limit.mb}, the limit for {limit.what} "
                        "(if it is right, raise the limit with --max-mb)")
    return data


def gunzip_capped(path: Path, data: bytes, limit: Limit) -> bytes:
    """DATA (the gzip-compressed bytes of PATH) decompressed, as a stream that stops one byte past
    the limit: a bomb is refused after about the limit's worth of work and memory."""
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while chunk := stream.read(min(_CHUNK, limit.max_bytes + 1 - out.tell())):
                out.write(chunk)
                if out.tell() > limit.max_bytes:
                    raise UserError(f"{path}: more than {limit.mb} once decompressed, the limit for "
                                    f"{limit.what} (if it is right, raise the limit with --max-mb)")
    except EOFError:
        raise UserError(f"{path}: the gzip data ends early (a truncated download?)") from None
    except (gzip.BadGzipFile, zlib.error) as error:
        raise UserError(f"{path}: damaged gzip data ({error})") from None
    return out.getvalue()
