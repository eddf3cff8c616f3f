"""A few members out of a large zip archive on a web server, without holding the archive in memory.

Two ways, chosen by the server's answer to the first request (the archive's last 64 KiB):
- **Range requests honoured** (206): the central directory is read with `zipfile` through a
  seekable view of the remote file (`_RemoteFile`, a range request per read outside what it
  holds), then each wanted member with one range request for its own bytes (local header and
  compressed data): a force's files out of a 1.5 GB archive cost a few megabytes.
- **Refused** (200, the whole archive): the same response is read as a stream, one local header
  after another; the wanted members are inflated to files, the others skipped as they go by.
  Every byte of the archive is downloaded, but none is kept except the wanted members.

Either way each member is inflated chunk by chunk into `NAME.part`, its CRC-32 and size checked
against the archive's own, and only then renamed to its name: a file with its final name is whole.
Only the standard library (urllib, zipfile, zlib). Every failure is a `UserError` naming the URL
and the problem in one line: no network, an HTTP error, a download cut short, a member missing.
"""
from __future__ import annotations

import http.client
import io
import os
import re
import socket
import struct
import urllib.error
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from scrutiny.core.errors import UserError

TAIL_BYTES = 65536 + 22   # the end-of-directory record and the longest comment a zip can have
CHUNK = 1 << 16           # read and inflate this much at a time
TIMEOUT_SECONDS = 60
LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")   # signature ... name length, extra length
LOCAL_SIGNATURE, DIRECTORY_SIGNATURE, DESCRIPTOR_SIGNATURE = b"PK\x03\x04", b"PK\x01\x02", b"PK\x07\x08"
HAS_DESCRIPTOR = 0x08     # general purpose flag bit 3: sizes and CRC follow the data
STORED, DEFLATED = 0, 8


@dataclass(frozen=True)
class Member:
    """What the archive says of one member, to check the bytes against."""
    name: str
    crc: int
    size: int


class Traffic:
    """Bytes and requests made, for the progress bar and the closing summary."""

    def __init__(self, on_bytes: Callable[[int], None] | None = None):
        self.bytes = self.requests = 0
        self.on_bytes = on_bytes or (lambda n: None)

    def count(self, n: int) -> None:
        self.bytes += n
        self.on_bytes(n)


def open_url(url: str, traffic: Traffic, headers: dict | None = None):
    """The response to a GET, or a UserError naming the URL and what went wrong."""
    traffic.requests += 1
    request = urllib.request.Request(url, headers={"User-Agent": "scrutiny-fetch", **(headers or {})})
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)
    except urllib.error.HTTPError as error:
        raise UserError(f"{url}: HTTP error {error.code} ({error.reason})") from None
    except urllib.error.URLError as error:
        raise UserError(f"{url}: cannot connect ({_reason(error.reason)})") from None
    except (OSError, http.client.HTTPException) as error:
        raise UserError(f"{url}: cannot connect ({_reason(error)})") from None


def _reason(error) -> str:
    return str(getattr(error, "strerror", None) or error or type(error).__name__)


def read_all(url: str, traffic: Traffic, limit: int = 1 << 22) -> bytes:
    """A small document (an API answer), whole."""
    with open_url(url, traffic) as response:
        data = _Stream(response, url, traffic).read_up_to(limit + 1)
    if len(data) > limit:
        raise UserError(f"{url}: the answer is larger than {limit:,} bytes, which no answer of the site is")
    return data


class _Stream:
    """A response read in pieces, counting its bytes; a piece can be put back (what a deflate
    stream left over belongs to the next header). A dropped connection is a UserError."""

    def __init__(self, response, url: str, traffic: Traffic):
        self.response, self.url, self.traffic = response, url, traffic
        self.pending = b""
        self.read_so_far = 0

    def read(self, n: int) -> bytes:
        if self.pending:
            piece, self.pending = self.pending[:n], self.pending[n:]
            return piece
        try:
            piece = self.response.read(n)
        except http.client.IncompleteRead as error:
            raise self.cut_short(f"the connection closed early, {error.expected:,} bytes short") from None
        except (OSError, http.client.HTTPException, socket.timeout) as error:
            raise self.cut_short(_reason(error)) from None
        self.read_so_far += len(piece)
        self.traffic.count(len(piece))
        return piece

    def unread(self, piece: bytes) -> None:
        self.pending = piece + self.pending

    def read_exactly(self, n: int, what: str) -> bytes:
        parts, left = [], n
        while left:
            piece = self.read(min(left, CHUNK))
            if not piece:
                raise self.cut_short(f"truncated zip: it ends inside {what}")
            parts.append(piece)
            left -= len(piece)
        return b"".join(parts)

    def read_up_to(self, n: int) -> bytes:
        parts, left = [], n
        while left and (piece := self.read(min(left, CHUNK))):
            parts.append(piece)
            left -= len(piece)
        return b"".join(parts)

    def cut_short(self, problem: str) -> UserError:
        return UserError(f"{self.url}: the download stopped after {self.read_so_far:,} bytes ({problem})")


# --- either way: one member's local header and data, inflated into a file ---------------------------

def _local_header(stream: _Stream, what: str) -> tuple[str, int, int, int, int, int] | None:
    """(name, flags, method, crc, compressed size, size) of the next local header, None at the
    central directory; sizes None when they follow the data (flag bit 3)."""
    signature = stream.read_exactly(4, what)
    if signature == DIRECTORY_SIGNATURE:
        return None
    if signature != LOCAL_SIGNATURE:
        raise UserError(f"{stream.url}: not a zip archive, or a damaged one (no member header at byte "
                        f"{stream.read_so_far - 4:,})")
    (_sig, _version, flags, method, _time, _date, crc, compressed, size, name_length,
     extra_length) = LOCAL_HEADER.unpack(signature + stream.read_exactly(LOCAL_HEADER.size - 4, what))
    name = stream.read_exactly(name_length, what).decode("utf-8" if flags & 0x800 else "cp437")
    extra = stream.read_exactly(extra_length, what)
    if 0xFFFFFFFF in (compressed, size):
        size, compressed = _zip64_sizes(extra, size, compressed)
    if flags & HAS_DESCRIPTOR:
        crc = compressed = size = None
    return name, flags, method, crc, compressed, size


def _zip64_sizes(extra: bytes, size: int, compressed: int) -> tuple[int, int]:
    at = 0
    while at + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, at)
        if tag == 0x0001:
            values = struct.unpack_from(f"<{length // 8}Q", extra, at + 4)
            size = values[0] if len(values) > 0 else size
            compressed = values[1] if len(values) > 1 else compressed
            break
        at += 4 + length
    return size, compressed


def _copy_data(stream: _Stream, method: int, compressed: int | None, out, name: str) -> tuple[int, int, int]:
    """Inflate (or copy) one member's data from the stream into `out` (None: discard it).
    Returns (CRC-32, size, compressed size). With `compressed` unknown the deflate stream's own
    end says where the member ends, and the bytes read past it are put back."""
    what = f"member {name}"
    crc = size = used = 0
    if method == STORED:
        if compressed is None:
            raise UserError(f"{stream.url}: member {name} is stored with its size after the data, "
                            "which cannot be read as a stream; use a server that honours range requests")
        while used < compressed:
            piece = stream.read_exactly(min(CHUNK, compressed - used), what)
            used += len(piece)
            crc, size = zlib.crc32(piece, crc), size + len(piece)
            if out:
                out.write(piece)
        return crc, size, used
    if method != DEFLATED:
        raise UserError(f"{stream.url}: member {name} uses compression method {method}, not deflate")
    inflater = zlib.decompressobj(-15)
    while not inflater.eof:
        want = CHUNK if compressed is None else min(CHUNK, compressed - used)
        piece = stream.read(want) if want else b""
        if not piece:
            raise stream.cut_short(f"truncated zip: it ends inside {what}")
        try:
            data = inflater.decompress(piece)
        except zlib.error as error:
            raise UserError(f"{stream.url}: member {name} is damaged ({error})") from None
        used += len(piece) - len(inflater.unused_data)
        crc, size = zlib.crc32(data, crc), size + len(data)
        if out and data:
            out.write(data)
    if inflater.unused_data:
        stream.unread(inflater.unused_data)
    return crc, size, used


def _skip_descriptor(stream: _Stream, crc: int, size: int, compressed: int, name: str) -> Member:
    """Read the data descriptor after a member whose sizes follow its data: (signature,) CRC, and
    sizes of 4 or 8 bytes each (zip64). Returns what it says."""
    what = f"the descriptor of member {name}"
    head = stream.read_exactly(4, what)
    if head != DESCRIPTOR_SIGNATURE:
        stream.unread(head)
    said_crc, said_compressed, said_size = struct.unpack("<III", stream.read_exactly(12, what))
    if (said_compressed, said_size) != (compressed & 0xFFFFFFFF, size & 0xFFFFFFFF):
        # zip64: the two sizes are 8 bytes each, of which 8 are read already
        stream.unread(struct.pack("<II", said_compressed, said_size))
        said_compressed, said_size = struct.unpack("<QQ", stream.read_exactly(16, what))
    return Member(name, said_crc, said_size)


def _write_member(stream: _Stream, header, target: Path, expected: Member | None) -> Member:
    """The member whose local header was just read, inflated into TARGET.part, checked, renamed."""
    name, flags, method, crc, compressed, size = header
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    try:
        with part.open("wb") as out:
            got_crc, got_size, used = _copy_data(stream, method, compressed, out, name)
        said = (Member(name, crc, size) if crc is not None
                else _skip_descriptor(stream, got_crc, got_size, used, name))
        for check in filter(None, (expected, said)):
            if (got_crc, got_size) != (check.crc, check.size):
                raise UserError(f"{stream.url}: member {name} is damaged (its CRC-32 or size is not the "
                                "archive's)")
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return Member(name, got_crc, got_size)


# --- range requests ------------------------------------------------------------------------------

class _RemoteFile(io.RawIOBase):
    """A read-only, seekable view of a remote file for `zipfile`: it holds one span of bytes
    (first the archive's tail) and fetches another by a range request when a read falls outside."""

    def __init__(self, url: str, traffic: Traffic, size: int, start: int, data: bytes):
        self.url, self.traffic, self.size = url, traffic, size
        self.start, self.data = start, data
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def read(self, n: int = -1) -> bytes:
        end = self.size if n is None or n < 0 else min(self.size, self.position + n)
        if end <= self.position:
            return b""
        if not (self.start <= self.position and end <= self.start + len(self.data)):
            self.start, self.data = self.position, fetch_range(self.url, self.traffic, self.position, end)
        piece = self.data[self.position - self.start:end - self.start]
        self.position += len(piece)
        return piece


def fetch_range(url: str, traffic: Traffic, start: int, end: int) -> bytes:
    """Bytes [start, end) of a file whose server honours range requests (only the directory is read
    this way, whole: a few hundred kilobytes for the real archive)."""
    with open_url(url, traffic, {"Range": f"bytes={start}-{end - 1}"}) as response:
        if response.status != 206:
            raise UserError(f"{url}: the server stopped honouring range requests")
        return _Stream(response, url, traffic).read_exactly(end - start, "the archive's directory")


class RangedArchive:
    """An archive whose directory has been read; members fetched one range request each."""

    def __init__(self, url: str, traffic: Traffic, size: int, tail_start: int, tail: bytes):
        self.url, self.traffic = url, traffic
        try:
            directory = zipfile.ZipFile(_RemoteFile(url, traffic, size, tail_start, tail))
        except zipfile.BadZipFile as error:
            raise UserError(f"{url}: not a zip archive, or a damaged or truncated one ({error})") from None
        infos = directory.infolist()
        self.members = {info.filename: info for info in infos}
        # each member's bytes end where the next one's begin (or the directory does)
        starts = sorted({info.header_offset for info in infos} | {directory.start_dir})
        self.ends = {info.filename: starts[starts.index(info.header_offset) + 1] for info in infos}

    def names(self) -> set[str]:
        return set(self.members)

    def expected(self, name: str) -> Member:
        info = self.members[name]
        return Member(name, info.CRC, info.file_size)

    def fetch(self, name: str, target: Path) -> Member:
        info = self.members[name]
        with open_url(self.url, self.traffic, {"Range": f"bytes={info.header_offset}-{self.ends[name] - 1}"}) as response:
            if response.status != 206:
                raise UserError(f"{self.url}: the server stopped honouring range requests")
            stream = _Stream(response, self.url, self.traffic)
            header = _local_header(stream, f"member {name}")
            if header is None or header[0] != name:
                raise UserError(f"{self.url}: member {name} is not where the archive's directory says")
            _name, flags, method, *_ = header
            # the directory's sizes are the ones to trust (the local header may defer them)
            header = (name, flags & ~HAS_DESCRIPTOR, method, info.CRC, info.compress_size, info.file_size)
            return _write_member(stream, header, target, self.expected(name))


# --- streaming -------------------------------------------------------------------------------------

def stream_members(stream: _Stream, targets: dict[str, Path], on_member: Callable[[Member], None]) -> set[str]:
    """Read the archive from its first byte: the members named in TARGETS are written to their
    paths (`on_member` told of each), every other member skipped, until all are written (the rest
    is not downloaded) or the central directory is reached. Returns the names of the members
    read, so the caller can say which wanted member the archive lacks."""
    seen: set[str] = set()
    while not set(targets) <= seen and (header := _local_header(stream, "a member header")) is not None:
        name, _flags, method, crc, compressed, size = header
        seen.add(name)
        if name in targets:
            on_member(_write_member(stream, header, targets[name], None))
        else:
            got_crc, got_size, used = _copy_data(stream, method, compressed, None, name)
            if crc is None:
                _skip_descriptor(stream, got_crc, got_size, used, name)
    return seen


# --- the first request decides ------------------------------------------------------------------------

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


def open_archive(url: str, traffic: Traffic) -> RangedArchive | _Stream:
    """Ask for the archive's tail: a server that honours range requests answers with it (and the
    archive's size), one that does not starts sending the whole archive, which is then read as a stream."""
    response = open_url(url, traffic, {"Range": f"bytes=-{TAIL_BYTES}"})
    match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
    if response.status == 206 and match:
        with response:
            tail = _Stream(response, url, traffic).read_exactly(int(match[2]) - int(match[1]) + 1, "the archive's end")
        return RangedArchive(url, traffic, int(match[3]), int(match[1]), tail)
    return _Stream(response, url, traffic)


def close(source: RangedArchive | _Stream) -> None:
    if isinstance(source, _Stream):
        source.response.close()
