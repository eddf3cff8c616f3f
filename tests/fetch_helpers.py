"""A stand-in for data.police.uk on 127.0.0.1, for the `fetch` tests: a real `http.server` in a
thread, serving the two API answers (tests/fixtures/police_uk_api/, written by hand in the site's
shape) and monthly archives built from the shared real files in the archive's layout. It honours
range requests or refuses them (answering 200 with the whole archive, as some servers do), can
drop the connection part-way through an answer, and logs every request."""
from __future__ import annotations

import gzip
import re
import shutil
import threading
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from scrutiny.core.months import Month
from scrutiny.core.paths import REPO_ROOT

API_FIXTURES = REPO_ROOT / "tests" / "fixtures" / "police_uk_api"
RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


def build_archive(real: Path, path: Path, months: list[str], forces=("leicestershire", "lancashire"),
                  extra: dict[str, bytes] | None = None) -> Path:
    """An archive like the site's: `YYYY-MM/YYYY-MM-FORCE-street.csv` for each of the months and
    forces that the shared real files have (Lancashire lacks three months there), plus EXTRA members."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for month in months:
            for force in forces:
                found = sorted(real.glob(f"police-uk_*/{month}/{month}-{force}-street.csv.gz"))
                if found:
                    with gzip.open(found[0]) as source, archive.open(f"{month}/{month}-{force}-street.csv", "w") as member:
                        shutil.copyfileobj(source, member)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def plain_copies(real: Path, folder: Path, months: list[str], force: str = "leicestershire") -> list[Path]:
    """The same real files decompressed, under the names the archive gives them, for `import police-uk`."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for month in months:
        (source,) = real.glob(f"police-uk_*/{month}/{month}-{force}-street.csv.gz")
        copy = folder / f"{month}-{force}-street.csv"
        copy.write_bytes(gzip.decompress(source.read_bytes()))
        copies.append(copy)
    return copies


@dataclass
class Request:
    path: str
    range: str | None
    status: int
    sent: int


@dataclass
class FakeSite:
    """What the server serves and how. `files`: URL path -> file on disk."""
    files: dict[str, Path]
    honour_ranges: bool = True
    drop: tuple[int, float] | None = None   # (the Nth archive request, 1-based; the share of it sent)
    log: list[Request] = field(default_factory=list)
    archive_requests: int = 0
    url: str = ""

    def archive_log(self) -> list[Request]:
        return [r for r in self.log if r.path.endswith(".zip")]


def _handler(site: FakeSite):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet: the test's own log is site.log
            pass

        def do_GET(self):
            file = site.files.get(self.path)
            if file is None:
                self._answer(404, b"not found", None)
                return
            data_size = file.stat().st_size
            start, end, status = 0, data_size, 200
            wanted = self.headers.get("Range")
            if wanted and site.honour_ranges:
                match = RANGE.match(wanted)
                first, last = match.groups()
                if first:
                    start, end = int(first), min(data_size, int(last) + 1 if last else data_size)
                else:
                    start, end = max(0, data_size - int(last)), data_size
                status = 206
            share = 1.0
            if self.path.endswith(".zip"):
                site.archive_requests += 1
                if site.drop and site.drop[0] == site.archive_requests:
                    share = site.drop[1]
            with file.open("rb") as f:
                f.seek(start)
                body = f.read(end - start)
            headers = {"Content-Range": f"bytes {start}-{end - 1}/{data_size}"} if status == 206 else {}
            self._answer(status, body, wanted, headers, send=int(len(body) * share))

        def _answer(self, status, body, wanted, headers=None, send=None):
            send = len(body) if send is None else send
            site.log.append(Request(self.path, wanted, status, send))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Accept-Ranges", "bytes" if site.honour_ranges else "none")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body[:send])
            if send < len(body):
                self.close_connection = True  # dropped part-way: the client sees a short answer

    return Handler


class running:
    """`with running(site):` the site served on 127.0.0.1 (a free port), `site.url` set."""

    def __init__(self, site: FakeSite):
        self.site = site
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
        # polled every 10 ms, not the default 0.5 s: shutdown() waits for the next poll, and the fetch
        # tests start about twenty of these
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01},
                                       daemon=True)

    def __enter__(self) -> FakeSite:
        self.thread.start()
        self.site.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self.site

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def site_files(folder: Path, archives: dict[str, Path], dates: str = "crimes-street-dates.json") -> dict[str, Path]:
    """The URL paths of the API answers and the archives (archive month -> file)."""
    files = {"/api/crimes-street-dates": API_FIXTURES / dates, "/api/forces": API_FIXTURES / "forces.json"}
    files.update({f"/data/archive/{month}.zip": path for month, path in archives.items()})
    return files


def month_keys(first: str, last: str) -> list[str]:
    months, month = [], Month.of(first)
    while month <= Month.of(last):
        months.append(month.key)
        month = month.plus(1)
    return months
