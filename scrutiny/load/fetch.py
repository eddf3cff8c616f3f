"""`fetch`: a force's data.police.uk street and outcomes files, downloaded and imported.

What the site offers: its API lists the months published (`/api/crimes-street-dates`, newest
first) and the forces (`/api/forces`: ids and names); each month's archive
(`/data/archive/YYYY-MM.zip`, every force, over 1 GB) holds that month and the 35 before it, as
`YYYY-MM/YYYY-MM-FORCE-street.csv` and `-outcomes.csv` (and stop and search, not needed here).

**Which archives.** Every month is in 36 archives. The months asked are covered by as few
archives as possible, each as new as possible: from the oldest month not yet covered, take the
newest archive that holds it (that month plus 35, or the latest published), which holds it and
the 35 months after; repeat. Only archives of months the API lists are asked for: the list can
have a gap (a month not published, or withdrawn), and then the newest listed archive before it is
taken. A month asked with --from or --to must be listed too, and the months between are the
listed ones. Then each month is read from the newest of the chosen archives that
holds it: a force's files are revised after publication (outcomes are added as cases close), so
the newest copy is the best. The usual cases take one archive: the latest, for a first fetch of
the 36 months published, or for a monthly fetch of the month just out.

**Cache and resuming.** Files are kept in a cache folder in the archive's own layout (so
`import police-uk FOLDER` reads it too), with `fetched.json` saying which archive each came from
and its CRC-32 and size. A member is written to NAME.part, checked against the archive's CRC-32
and size, renamed, and then recorded: after an interruption, files already fetched and checked
are not fetched again (a file counts only for the same archive: archives do not change once
published, a newer archive's copy may). An outcomes file is optional (some forces publish none);
its absence is recorded too, so a later run does not ask again. A street file is not.

**Safety.** Everything is downloaded and checked before the database is touched; then the files go
through `import police-uk`'s own code (police_uk.py: the same checks, the writer lock, a copy of
the database renamed into place). Any failure is one line naming the URL and the problem, and the
database is as it was.
"""
from __future__ import annotations

import json
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from scrutiny.core.errors import UserError
from scrutiny.core.months import Month
from scrutiny.geography.areas import force_id_from_name
from scrutiny.load import zip_ranges
from scrutiny.load.police_uk import ImportReport, import_police_uk
from scrutiny.load.progress import DownloadProgress, Progress
from scrutiny.store import db, queries

REAL_SITE = "https://data.police.uk"
ARCHIVE_MONTHS = 36   # an archive holds its own month and the 35 before it
KINDS = ("street", "outcomes")
INDEX_NAME = "fetched.json"


# --- the site -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Site:
    base_url: str = REAL_SITE

    def __post_init__(self):
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))

    @property
    def dates_url(self) -> str:
        return f"{self.base_url}/api/crimes-street-dates"

    @property
    def forces_url(self) -> str:
        return f"{self.base_url}/api/forces"

    def archive_url(self, archive: Month) -> str:
        return f"{self.base_url}/data/archive/{archive.key}.zip"


def member_name(month: Month, force_id: str, kind: str) -> str:
    """The file's path inside an archive, and inside the cache folder."""
    return f"{month.key}/{month.key}-{force_id}-{kind}.csv"


def _json(url: str, traffic: zip_ranges.Traffic):
    try:
        return json.loads(zip_ranges.read_all(url, traffic))
    except (ValueError, UnicodeDecodeError) as error:
        raise UserError(f"{url}: not the site's JSON answer ({error})") from None


def published_months(site: Site, traffic: zip_ranges.Traffic) -> list[Month]:
    """The months published, oldest first, from `[{"date": "2024-01", "stop-and-search": [...]}, ...]`."""
    answer = _json(site.dates_url, traffic)
    try:
        months = sorted({Month.of(entry["date"]) for entry in answer})
    except (TypeError, KeyError, ValueError):
        raise UserError(f"{site.dates_url}: not a list of months in the site's format "
                        '([{"date": "YYYY-MM", ...}, ...])') from None
    if not months:
        raise UserError(f"{site.dates_url}: no months published")
    return months


def force_names(site: Site, traffic: zip_ranges.Traffic) -> dict[str, str]:
    """Force id -> name, from `[{"id": "leicestershire", "name": "Leicestershire Police"}, ...]`."""
    answer = _json(site.forces_url, traffic)
    try:
        return {entry["id"]: entry["name"] for entry in answer}
    except (TypeError, KeyError):
        raise UserError(f"{site.forces_url}: not a list of forces in the site's format "
                        '([{"id": ..., "name": ...}, ...])') from None


# --- which archives -------------------------------------------------------------------------------

def plan_archives(months: list[Month], published: list[Month]) -> dict[Month, list[Month]]:
    """Archive month -> the months read from it (module docstring: fewest archives, each month
    from the newest chosen archive that holds it), archives only of `published` months."""
    chosen: list[Month] = []
    for month in sorted(months):
        if not chosen or month > chosen[-1]:
            holding = [a for a in published if month <= a <= month.plus(ARCHIVE_MONTHS - 1)]
            if not holding:  # months_wanted asks only for listed months, so this is a caller's mistake
                raise ValueError(f"no published archive holds {month.label}")
            chosen.append(max(holding))
    plan: dict[Month, list[Month]] = {}
    for month in sorted(months):
        newest = max(a for a in chosen if a.plus(-(ARCHIVE_MONTHS - 1)) <= month <= a)
        plan.setdefault(newest, []).append(month)
    return dict(sorted(plan.items()))


def months_wanted(published: list[Month], have: set[Month], first: Month | None, last: Month | None,
                  site: Site) -> list[Month]:
    """--from/--to: every month between (older ones come from older archives); neither: the
    published months the database lacks."""
    latest = published[-1]
    if first is None and last is None:
        return [m for m in published if m not in have]
    for option, month in (("--from", first), ("--to", last)):
        if month is not None and month not in published:
            raise UserError(f"{site.dates_url}: {month.label} is not published (the months listed are "
                            f"{published[0].label} to {latest.label}{_gaps_words(published)}); {option} {month.key}")
    last = last or latest
    first = first or published[0]
    if first > last:
        raise UserError(f"--from {first.key} is after --to {last.key}")
    return [m for m in published if first <= m <= last]


def _gaps_words(published: list[Month]) -> str:
    """', except March 2023 and May 2023' for months missing from the list between its ends."""
    listed = set(published)
    missing, month = [], published[0]
    while month < published[-1]:
        if month not in listed:
            missing.append(month.label)
        month = month.plus(1)
    return f", except {', '.join(missing)}" if missing else ""


def months_in_database(database: Path, force_id: str) -> set[Month]:
    if not database.exists():
        return set()
    con = db.open_read_only(database)
    try:
        return {Month.of(m) for (m,) in queries.write(con, "load/street_months", force=force_id).fetchall()}
    finally:
        con.close()


# --- the cache ------------------------------------------------------------------------------------

class Cache:
    """Fetched files in the archive's layout, and `fetched.json`: member -> the archive it came
    from and its CRC-32 and size (or that the archive has no such member)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.index_path = folder / INDEX_NAME
        try:
            self.index = json.loads(self.index_path.read_text()) if self.index_path.exists() else {}
        except (ValueError, OSError):
            self.index = {}  # a damaged index only costs downloads again

    def path(self, member: str) -> Path:
        return self.folder / member

    def holds(self, member: str, archive: Month) -> bool:
        """Fetched from this archive and still whole, or known to be absent from it."""
        entry = self.index.get(member)
        if not entry or entry.get("archive") != archive.key:
            return False
        if entry.get("absent"):
            return True
        path = self.path(member)
        return path.is_file() and path.stat().st_size == entry["size"] and _crc_of(path) == entry["crc32"]

    def absent(self, member: str) -> bool:
        return bool(self.index.get(member, {}).get("absent"))

    def record(self, member: str, archive: Month, checked: zip_ranges.Member | None) -> None:
        self.index[member] = ({"archive": archive.key, "absent": True} if checked is None
                              else {"archive": archive.key, "crc32": checked.crc, "size": checked.size})
        self._save()

    def forget(self, member: str) -> None:
        self.index.pop(member, None)
        self.path(member).unlink(missing_ok=True)
        self._save()

    def _save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.index_path.with_name(INDEX_NAME + ".part")
        partial.write_text(json.dumps(self.index, indent=1, sort_keys=True))
        partial.replace(self.index_path)


def _crc_of(path: Path) -> int:
    crc = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


# --- fetching -------------------------------------------------------------------------------------

@dataclass
class FetchReport:
    force_id: str
    force_name: str
    months: list[Month]
    archives: list[str] = field(default_factory=list)   # the archive URLs read
    fetched: int = 0          # files downloaded this time
    reused: int = 0           # files the cache already held
    ranged: bool | None = None  # did the server honour range requests (None: no archive opened)
    bytes: int = 0
    requests: int = 0
    seconds: float = 0.0
    imported: ImportReport | None = None


def fetch(force_id: str, database: Path, site: Site = Site(), first: Month | None = None,
          last: Month | None = None, cache_folder: Path | None = None, stream: TextIO | None = None,
          draw: bool | None = None) -> FetchReport:
    stream = stream if stream is not None else sys.stderr
    started = time.perf_counter()
    force_id = force_id_from_name(force_id)  # as setup takes it: 'Lancashire' is lancashire
    cache = Cache(cache_folder or default_cache(database))
    traffic = zip_ranges.Traffic()
    forces = force_names(site, traffic)
    if force_id not in forces:
        raise UserError(f"{site.forces_url}: no force {force_id!r} (forces: {', '.join(sorted(forces))})")
    published = published_months(site, traffic)
    months = months_wanted(published, months_in_database(database, force_id), first, last, site)
    report = FetchReport(force_id, forces[force_id], months)
    plan = plan_archives(months, published) if months else {}
    if plan:
        _download(plan, force_id, site, cache, traffic, report, DownloadProgress(2 * len(months), stream, draw))
    # what the download cost, apart from the import (the figures the README gives)
    report.bytes, report.requests = traffic.bytes, traffic.requests
    report.seconds = time.perf_counter() - started
    if plan:
        report.imported = _import(plan, force_id, site, cache, database, stream, draw)
    return report


def default_cache(database: Path) -> Path:
    return database.parent / "police-uk"


def _download(plan: dict[Month, list[Month]], force_id: str, site: Site, cache: Cache,
              traffic: zip_ranges.Traffic, report: FetchReport, progress: DownloadProgress) -> None:
    traffic.on_bytes = progress.add_bytes
    try:
        _download_each(plan, force_id, site, cache, traffic, report, progress)
    finally:
        progress.finish()


def _download_each(plan: dict[Month, list[Month]], force_id: str, site: Site, cache: Cache,
                   traffic: zip_ranges.Traffic, report: FetchReport, progress: DownloadProgress) -> None:
    for archive, months in plan.items():
        members = [member_name(m, force_id, kind) for m in months for kind in KINDS]
        needed = [m for m in members if not cache.holds(m, archive)]
        for _ in range(len(members) - len(needed)):
            progress.add_file()
        report.reused += sum(1 for m in members if m not in needed and not cache.absent(m))
        if not needed:
            continue
        url = site.archive_url(archive)
        report.archives.append(url)
        source = zip_ranges.open_archive(url, traffic)
        report.ranged = isinstance(source, zip_ranges.RangedArchive)
        try:
            if report.ranged:
                _fetch_ranged(source, archive, needed, cache, report, progress)
            else:
                _fetch_streamed(source, archive, needed, cache, report, progress)
        finally:
            zip_ranges.close(source)


def _missing_street(url: str, member: str) -> UserError:
    return UserError(f"{url}: the archive has no member {member} (the force published no street file that month)")


def _fetch_ranged(archive_file: zip_ranges.RangedArchive, archive: Month, needed: list[str], cache: Cache,
                  report: FetchReport, progress: DownloadProgress) -> None:
    names = archive_file.names()
    # every street file must be there: say so before downloading any
    for member in needed:
        if member not in names and member.endswith("-street.csv"):
            raise _missing_street(archive_file.url, member)
    for member in needed:
        if member in names:
            cache.record(member, archive, archive_file.fetch(member, cache.path(member)))
            report.fetched += 1
        else:
            cache.record(member, archive, None)
        progress.add_file()


def _fetch_streamed(source, archive: Month, needed: list[str], cache: Cache, report: FetchReport,
                    progress: DownloadProgress) -> None:
    def written(member: zip_ranges.Member) -> None:
        cache.record(member.name, archive, member)
        report.fetched += 1
        progress.add_file()

    seen = zip_ranges.stream_members(source, {m: cache.path(m) for m in needed}, written)
    for member in needed:
        if member not in seen:
            if member.endswith("-street.csv"):
                raise _missing_street(source.url, member)
            cache.record(member, archive, None)
            progress.add_file()


def _import(plan: dict[Month, list[Month]], force_id: str, site: Site, cache: Cache, database: Path,
            stream: TextIO, draw: bool | None) -> ImportReport:
    """The cached files through `import police-uk`'s code; a refused file is named by its URL and
    member, and dropped from the cache (it was whole, but not a good file: fetch it again next time)."""
    origin = {}
    for archive, months in plan.items():
        for month in months:
            for kind in KINDS:
                member = member_name(month, force_id, kind)
                if not cache.absent(member):
                    origin[cache.path(member)] = (site.archive_url(archive), member)
    paths = sorted(origin)
    try:
        return import_police_uk(paths, database, progress=Progress(len(paths), stream, draw))
    except UserError as error:
        message = str(error)
        for path, (url, member) in origin.items():
            if str(path) in message:
                cache.forget(member)
                raise UserError(message.replace(str(path), f"{url} member {member}")) from None
        raise
