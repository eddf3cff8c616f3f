"""`fetch`: a force's data.police.uk files from the site's monthly archive, offline, against a real
HTTP server on 127.0.0.1 (tests/fetch_helpers.py) serving archives built from the shared real files.
What is fetched and imported equals `import police-uk` of the same files, with range requests or
without; an interrupted fetch resumes without fetching finished files again; every failure is one
line naming the URL, exit code 2, and the database's bytes as they were."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from scrutiny.core.errors import UserError
from scrutiny.core.months import Month
from scrutiny.load import zip_ranges
from scrutiny.load.fetch import Site, member_name, plan_archives
from tests.fetch_helpers import FakeSite, build_archive, month_keys, plain_copies, running, site_files
from tests.helpers import run_cli
from tests.ingest_helpers import digest, every_table, leftovers, untouched

MONTHS = month_keys("2022-06", "2022-10")   # the months the served API says are published
MODES = {"ranges honoured": True, "ranges refused": False}

# An outcomes file for October 2022, written by hand (the shared real files have none): two
# outcomes of two real crimes of the street file, one charged and one not.
OUTCOMES_MEMBER = "2022-10/2022-10-leicestershire-outcomes.csv"
OUTCOMES = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type\r\n"
    "01e7e9a456ca1af842b7b695ba78b76ec8bd2c6dff946e82629afd279c62c28d,2022-10,Leicestershire Police,"
    "Leicestershire Police,-1.210605,52.621459,On or near Hobill Close,E01025631,Blaby 002A,"
    "Investigation complete; no suspect identified\r\n"
    "5cbc247b54c0003ffc23057d46085739ca84f9db581cc691f5f25bf76e2e3a64,2022-10,Leicestershire Police,"
    "Leicestershire Police,-1.212827,52.622715,On or near Kings Drive,E01025631,Blaby 002A,Suspect charged\r\n"
).encode()


# --- no network ---------------------------------------------------------------------------------------

def test_the_urls_built_for_the_real_site():
    site = Site()
    assert site.dates_url == "https://data.police.uk/api/crimes-street-dates"
    assert site.forces_url == "https://data.police.uk/api/forces"
    assert site.archive_url(Month(2024, 1)) == "https://data.police.uk/data/archive/2024-01.zip"
    assert member_name(Month(2024, 1), "leicestershire", "street") == "2024-01/2024-01-leicestershire-street.csv"
    assert member_name(Month(2023, 11), "devon-and-cornwall", "outcomes") == \
        "2023-11/2023-11-devon-and-cornwall-outcomes.csv"
    assert Site("http://mirror.example/").archive_url(Month(2022, 10)) == "http://mirror.example/data/archive/2022-10.zip"


def _months(first: str, last: str) -> list[Month]:
    return [Month.of(m) for m in month_keys(first, last)]


def test_the_archives_chosen_are_the_fewest_and_each_month_comes_from_the_newest_chosen():
    latest = Month(2024, 4)   # its archive holds May 2021 to April 2024
    published = _months("2019-01", "2024-04")
    # the months of the latest archive: that archive alone
    assert plan_archives(_months("2023-06", "2024-04"), published) == {latest: _months("2023-06", "2024-04")}
    # April 2021 is one month too old for it: the archive of March 2024 holds both months asked
    assert plan_archives(_months("2021-04", "2021-05"), published) == {Month(2024, 3): _months("2021-04", "2021-05")}
    # 64 months: two archives, not three; December 2021's archive holds January 2019 to December
    # 2021, the latest the rest, and May to December 2021 (in both) are read from the latest
    assert plan_archives(_months("2019-01", "2024-04"), published) == {
        Month(2021, 12): _months("2019-01", "2021-04"), latest: _months("2021-05", "2024-04")}


def test_an_archive_is_chosen_only_from_the_months_published():
    # The API lists December 2019 to October 2022 and December 2022: no November 2022. December
    # 2019 is in the archives of December 2019 to November 2022; the newest listed is October 2022,
    # which also holds January 2020 (both asked). January 2020's own newest, December 2022, is not
    # needed: one archive covers both.
    published = _months("2019-12", "2022-10") + [Month(2022, 12)]
    assert plan_archives(_months("2019-12", "2020-01"), published) == {Month(2022, 10): _months("2019-12", "2020-01")}


# --- against the local server --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def archives(real_data, tmp_path_factory) -> dict[str, Path]:
    """The served archives: a good one for October 2022 (both forces' street files of June to
    October, and October's outcomes for Leicestershire), one cut short, and one whose October
    street file for Leicestershire is a corrupt CSV (a row with a crime type that does not exist)."""
    folder = tmp_path_factory.mktemp("archives")
    good = build_archive(real_data, folder / "good.zip", MONTHS, extra={OUTCOMES_MEMBER: OUTCOMES})
    truncated = folder / "truncated.zip"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size * 6 // 10])
    with zipfile.ZipFile(good) as archive:
        october = archive.read("2022-10/2022-10-leicestershire-street.csv").splitlines(keepends=True)
    october[3] = october[3].replace(b"Vehicle crime", b"Vehicle crimes")
    corrupt = build_archive(real_data, folder / "corrupt.zip", MONTHS[:-1],
                            extra={"2022-10/2022-10-leicestershire-street.csv": b"".join(october)})
    return {"good": good, "truncated": truncated, "corrupt": corrupt}


@pytest.fixture(scope="module")
def imported_by_hand(real_data, tmp_path_factory) -> Path:
    """`import police-uk` of the same files (decompressed, named as in the archive): the expected database."""
    folder = tmp_path_factory.mktemp("by-hand")
    files = plain_copies(real_data, folder / "files", MONTHS)
    outcomes = folder / "files" / "2022-10-leicestershire-outcomes.csv"
    outcomes.write_bytes(OUTCOMES)
    db = folder / "scrutiny.duckdb"
    code, _, err = run_cli("import", "police-uk", *files, outcomes, db=db)
    assert code == 0, err
    return db


@pytest.fixture(scope="module")
def base_db(real_data, tmp_path_factory) -> Path:
    """A database of May 2022 only: what every failed fetch must leave exactly as it was."""
    folder = tmp_path_factory.mktemp("base")
    db = folder / "scrutiny.duckdb"
    code, _, err = run_cli("import", "police-uk", *plain_copies(real_data, folder / "files", ["2022-05"]), db=db)
    assert code == 0, err
    return db


def fetch(site: FakeSite, db: Path, cache: Path, *options, force="leicestershire"):
    return run_cli("fetch", "--force", force, "--base-url", site.url, "--cache", cache, *options, db=db)


def _same_tables(a: Path, b: Path) -> None:
    # the time of loading differs, and nothing else may
    assert every_table(a, ("loaded_at",)) == every_table(b, ("loaded_at",))


@pytest.mark.parametrize("mode", MODES)
def test_fetched_and_imported_figures_equal_import_police_uk_of_the_same_files(mode, archives, imported_by_hand,
                                                                                tmp_path):
    served = FakeSite(site_files(tmp_path, {"2022-10": archives["good"]}), honour_ranges=MODES[mode])
    with running(served) as site:
        code, out, err = fetch(site, tmp_path / "scrutiny.duckdb", tmp_path / "cache")
    assert code == 0, err
    _same_tables(tmp_path / "scrutiny.duckdb", imported_by_hand)
    assert out.startswith("Leicestershire Police: June 2022 to October 2022; 6 files downloaded, 0 already in the cache;")
    assert f"{site.url}/data/archive/2022-10.zip" in out
    # the cache is a folder `import police-uk` reads: the members as the archive has them
    with zipfile.ZipFile(archives["good"]) as archive:
        for month in MONTHS:
            name = f"{month}/{month}-leicestershire-street.csv"
            assert (tmp_path / "cache" / name).read_bytes() == archive.read(name)
    archive_bytes = archives["good"].stat().st_size
    fetched = sum(r.sent for r in site.archive_log())
    if MODES[mode]:
        # Lancashire's files are half the archive: range requests leave them on the server
        assert fetched < archive_bytes * 0.6 and all(r.status == 206 for r in site.archive_log())
    else:
        # streamed: until the last member wanted (October's outcomes, written last), not the directory
        assert archive_bytes * 0.9 < fetched <= archive_bytes and [r.status for r in site.archive_log()] == [200]


@pytest.mark.parametrize("mode", MODES)
def test_an_interrupted_fetch_resumes_without_fetching_finished_files_again(mode, archives, imported_by_hand,
                                                                            tmp_path):
    # ranges: request 1 is the archive's end (with its directory), 2 June's street file, 3 July's;
    # the 4th (August's) stops half way. Streamed: the one request stops half way through the archive.
    drop = (4, 0.5) if MODES[mode] else (1, 0.5)
    served = FakeSite(site_files(tmp_path, {"2022-10": archives["good"]}), honour_ranges=MODES[mode], drop=drop)
    db, cache = tmp_path / "scrutiny.duckdb", tmp_path / "cache"
    with running(served) as site:
        code, out, err = fetch(site, db, cache)
        assert code == 2 and out == ""
        assert err.strip().startswith(f"error: {site.url}/data/archive/2022-10.zip: the download stopped after ")
        assert len(err.strip().splitlines()) == 1 and not db.exists()
        finished = {p.relative_to(cache).as_posix(): p.stat().st_mtime_ns for p in cache.rglob("*.csv")}
        assert "2022-06/2022-06-leicestershire-street.csv" in finished
        assert not list(cache.rglob("*.part"))  # the member cut short is not kept
        first_run = len(site.log)

        code, out, err = fetch(site, db, cache)
    assert code == 0, err
    _same_tables(db, imported_by_hand)
    # the files finished the first time were neither requested nor written again
    assert {name: (cache / name).stat().st_mtime_ns for name in finished} == finished
    assert f"{6 - len(finished)} files downloaded, {len(finished)} already in the cache" in out
    if MODES[mode]:
        with zipfile.ZipFile(archives["good"]) as archive:
            starts = {archive.getinfo(name).header_offset for name in finished}
        asked = {int(r.range.split("=")[1].split("-")[0]) for r in site.log[first_run:] if r.range and "=-" not in r.range}
        assert asked and not asked & starts


def test_a_monthly_fetch_gets_only_the_months_the_database_lacks(archives, tmp_path):
    served = FakeSite(site_files(tmp_path, {"2022-10": archives["good"]}))
    db, cache = tmp_path / "scrutiny.duckdb", tmp_path / "cache"
    with running(served) as site:
        assert fetch(site, db, cache, "--to", "2022-08").returncode == 0
        code, out, _ = fetch(site, db, cache)
        assert out.startswith("Leicestershire Police: September 2022 to October 2022; 3 files downloaded, 0 already")
        before = len(site.log)
        code, out, _ = fetch(site, db, cache)
    assert code == 0 and out == "Leicestershire Police: the database has every month published; nothing to fetch.\n"
    assert [r.path for r in site.log[before:]] == ["/api/forces", "/api/crimes-street-dates"]


def _refused(site: FakeSite, db: Path, cache: Path, *options, force="leicestershire") -> str:
    before = digest(db)
    code, out, err = fetch(site, db, cache, *options, force=force)
    assert code == 2 and out == "", out + err
    assert len(err.strip().splitlines()) == 1, err
    assert untouched(db, before) and leftovers(db.parent) == []
    return err.strip()


def test_no_network_is_one_line_naming_the_url(base_db, tmp_path):
    db = tmp_path / "scrutiny.duckdb"
    db.write_bytes(base_db.read_bytes())
    nobody = FakeSite({}, url="http://127.0.0.1:9")  # the discard port: nothing listens there
    line = _refused(nobody, db, tmp_path / "cache")
    assert line.startswith("error: http://127.0.0.1:9/api/forces: cannot connect (")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("failure, expected", [
    ("no archive", "/data/archive/2022-10.zip: HTTP error 404 (Not Found)"),
    ("truncated zip", "/data/archive/2022-10.zip: "),
    ("member missing", "/data/archive/2022-10.zip: the archive has no member "
                       "2022-06/2022-06-avon-and-somerset-street.csv (the force published no street file that month)"),
    ("corrupt CSV", "/data/archive/2022-10.zip member 2022-10/2022-10-leicestershire-street.csv line 4: "),
])
def test_each_failure_is_one_line_naming_the_url_and_the_database_is_unchanged(failure, expected, mode, archives,
                                                                               base_db, tmp_path):
    db = tmp_path / "scrutiny.duckdb"
    db.write_bytes(base_db.read_bytes())
    served_archive = {"no archive": {}, "truncated zip": {"2022-10": archives["truncated"]},
                      "member missing": {"2022-10": archives["good"]},
                      "corrupt CSV": {"2022-10": archives["corrupt"]}}[failure]
    served = FakeSite(site_files(tmp_path, served_archive), honour_ranges=MODES[mode])
    force = "avon-and-somerset" if failure == "member missing" else "leicestershire"
    with running(served) as site:
        line = _refused(site, db, tmp_path / "cache", force=force)
    assert line.startswith(f"error: {site.url}{expected}"), line
    if failure == "truncated zip":
        assert "truncated" in line
    if failure == "corrupt CSV":
        assert "Vehicle crimes" in line
        # the refused file is not kept as fetched: the next run asks for it again
        assert not (tmp_path / "cache" / "2022-10/2022-10-leicestershire-street.csv").exists()


# --- the streamed reader on archives written another way --------------------------------------------

class _Unseekable(io.RawIOBase):
    """A file zipfile cannot seek in: it then writes each member's CRC and sizes after its data
    (flag bit 3, a data descriptor), as a zip written to a pipe is."""

    def __init__(self):
        self.data = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.data += b
        return len(b)


def _streamed(data: bytes, targets: dict[str, Path]) -> set[str]:
    stream = zip_ranges._Stream(io.BytesIO(data), "http://mirror.example/a.zip", zip_ranges.Traffic())
    return zip_ranges.stream_members(stream, targets, lambda member: None)


def test_a_streamed_archive_whose_sizes_follow_each_member_is_read_and_checked(tmp_path):
    out = _Unseekable()
    texts = {f"2022-0{n}/2022-0{n}-rutland-street.csv": f"member {n}\r\n".encode() * (500 * n) for n in (1, 2, 3)}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in texts.items():
            archive.writestr(name, text)
    data = bytes(out.data)
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].flag_bits & 0x08  # descriptors, as intended
    wanted = "2022-02/2022-02-rutland-street.csv"
    seen = _streamed(data, {wanted: tmp_path / "two.csv"})
    assert (tmp_path / "two.csv").read_bytes() == texts[wanted] and seen == set(list(texts)[:2])
    # one byte of the wanted member's deflate data changed: refused, nothing kept
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(wanted)
    at = info.header_offset + 30 + len(wanted) + 10
    damaged = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]
    with pytest.raises(UserError, match=r"^http://mirror.example/a.zip: member 2022-02/2022-02-rutland-street.csv "
                                        r"is damaged"):
        _streamed(damaged, {wanted: tmp_path / "damaged.csv"})
    assert list(tmp_path.glob("damaged*")) == []


def test_a_directory_larger_than_the_archives_tail_is_read_with_one_more_range_request(tmp_path):
    # the real archive's directory (every force, 36 months, three kinds) is some 500 KB: beyond the
    # 64 KiB tail asked for first. 3,000 members of about 100 bytes of directory each are like it.
    path = tmp_path / "2022-10.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(3000):
            archive.writestr(f"2022-10/2022-10-force-number-{n:04d}-with-a-long-name-street.csv", f"file {n}\n" * 50)
    served = FakeSite({"/data/archive/2022-10.zip": path})
    with running(served) as site:
        traffic = zip_ranges.Traffic()
        source = zip_ranges.open_archive(f"{site.url}/data/archive/2022-10.zip", traffic)
        assert isinstance(source, zip_ranges.RangedArchive) and len(source.names()) == 3000
        wanted = "2022-10/2022-10-force-number-1234-with-a-long-name-street.csv"
        checked = source.fetch(wanted, tmp_path / "one.csv")
    assert (tmp_path / "one.csv").read_text() == "file 1234\n" * 50
    assert checked.size == len("file 1234\n" * 50)
    assert [r.status for r in site.log] == [206, 206, 206] and traffic.requests == 3
    # the tail, then the directory whole, then the member's local header and data: nothing else
    with zipfile.ZipFile(path) as archive:
        directory = path.stat().st_size - 22 - archive.start_dir
        member = 30 + len(wanted) + archive.getinfo(wanted).compress_size
    assert traffic.bytes == zip_ranges.TAIL_BYTES + directory + member


@pytest.fixture()
def gapped_site(real_data, tmp_path):
    """A site whose API lists December 2019 to October 2022 and December 2022 (no November 2022),
    serving October and December 2022's archives, each with Leicestershire's December 2019."""
    dates = tmp_path / "crimes-street-dates.json"
    listed = month_keys("2019-12", "2022-10") + ["2022-12"]
    dates.write_text("[" + ",\n".join(f'{{"date":"{m}","stop-and-search":[]}}' for m in reversed(listed)) + "]")
    served = {}
    for archive in ("2022-10", "2022-12"):
        served[archive] = build_archive(real_data, tmp_path / f"{archive}.zip", ["2019-12"], forces=("leicestershire",))
    files = site_files(tmp_path, served)
    files["/api/crimes-street-dates"] = dates
    return FakeSite(files)


def test_a_gap_in_the_months_published_is_not_asked_for(gapped_site, tmp_path):
    db, cache = tmp_path / "scrutiny.duckdb", tmp_path / "cache"
    with running(gapped_site) as site:
        code, out, err = fetch(site, db, cache, "--from", "2019-12", "--to", "2019-12")
    assert code == 0, err
    # December 2019 plus 35 months is November 2022, not listed: the newest listed before it
    assert {r.path for r in site.log if r.path.startswith("/data/")} == {"/data/archive/2022-10.zip"}


@pytest.mark.parametrize("option", ["--from", "--to"])
def test_a_month_not_published_is_refused_in_one_line(gapped_site, base_db, option, tmp_path):
    db = tmp_path / "scrutiny.duckdb"
    db.write_bytes(base_db.read_bytes())
    with running(gapped_site) as site:
        line = _refused(site, db, tmp_path / "cache", option, "2022-11")
        assert not [r for r in site.log if r.path.startswith("/data/")]
    assert line.endswith("/api/crimes-street-dates: November 2022 is not published (the months listed are December "
                         f"2019 to December 2022, except November 2022); {option} 2022-11")
