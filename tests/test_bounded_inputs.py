"""Every importer reads only regular files, and no more than its stated limit (issue 14, item 3):
a named pipe, a device (/dev/zero) or a folder is refused by name, without hanging; a file over the
limit, or a gzip bomb, is refused after reading about the limit, with a peak memory under 500 MB;
and each time the command exits 2 with one line naming the file, the database unchanged."""
from __future__ import annotations

import gzip
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from scrutiny.core import bounds
from scrutiny.core.paths import REPO_ROOT
from tests.helpers import run_cli
from tests.ingest_helpers import copy_db, digest, leftovers, refused_import

# The importers, each with a file name it accepts, so that only the file's kind can be refused.
IMPORTERS = {
    "police-uk": "2024-01-leicestershire-street.csv",
    "returns": "returns.csv",
    "home-office": "prc-csp.csv",
    "population": "census21_lsoa21.csv",
    "boundaries": "lsoa21.geojson",
    "areas": "areas.csv",
}
LIMITED = {"returns": bounds.RETURNS, "home-office": bounds.HOME_OFFICE, "population": bounds.POPULATION,
           "boundaries": bounds.BOUNDARIES, "areas": bounds.AREA_MAPPING}
SECONDS = 20           # a refusal takes well under a second: a pipe that blocked would hang far longer
PEAK_MB = 500
BOMB_GB = 2


def refused_within(seconds: float, kind: str, db: Path, *argv) -> str:
    """refused_import, in a thread given SECONDS to finish: a command blocked opening a pipe fails
    the test instead of hanging it (the daemon thread is left behind)."""
    result: dict[str, object] = {}

    def run():
        try:
            result["line"] = refused_import(kind, db, *argv)
        except BaseException as error:  # an assertion of refused_import, reported below
            result["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"import {kind} {argv} still running after {seconds} s"
    if "error" in result:
        raise result["error"]
    return result["line"]


def gzip_bomb(path: Path, gigabytes: int = BOMB_GB) -> Path:
    """GIGABYTES of zeros, gzip-compressed, in about 2 MB: 16 MB of zeros compressed once, and that
    member repeated (a gzip file may be several members, read one after another as one stream). The
    test never holds more than the 16 MB."""
    member = gzip.compress(bytes(16 * bounds.MB), compresslevel=9)
    with path.open("wb") as f:
        for _ in range(gigabytes * 1024 // 16):
            f.write(member)
    return path


@pytest.fixture
def db(demo_db, tmp_path) -> Path:
    return copy_db(demo_db, tmp_path / "db")


@pytest.mark.parametrize("kind", IMPORTERS)
def test_a_named_pipe_is_refused_by_name_without_waiting_for_a_writer(kind, db, tmp_path):
    pipe = tmp_path / IMPORTERS[kind]
    os.mkfifo(pipe)
    assert refused_within(SECONDS, kind, db, pipe) == f"error: {pipe}: not a regular file (a named pipe)"


@pytest.mark.parametrize("kind", IMPORTERS)
def test_a_link_to_dev_zero_is_refused_as_a_device(kind, db, tmp_path):
    link = tmp_path / IMPORTERS[kind]
    link.symlink_to("/dev/zero")
    assert refused_within(SECONDS, kind, db, link) == f"error: {link}: not a regular file (a device)"


@pytest.mark.parametrize("kind", [k for k in IMPORTERS if k != "police-uk"])  # police-uk takes folders
def test_a_folder_where_a_file_is_expected_is_refused(kind, db, tmp_path):
    folder = tmp_path / IMPORTERS[kind]
    folder.mkdir()
    assert refused_within(SECONDS, kind, db, folder) == f"error: {folder}: not a regular file (a folder)"


def test_a_pipe_named_like_a_street_file_in_a_folder_is_refused(db, tmp_path):
    folder = tmp_path / "download" / "2024-01"
    folder.mkdir(parents=True)
    pipe = folder / IMPORTERS["police-uk"]
    os.mkfifo(pipe)
    os.mkfifo(folder / "2024-01-leicestershire-stop-and-search.csv")  # not read, so not refused
    line = refused_within(SECONDS, "police-uk", db, tmp_path / "download")
    assert line == f"error: {pipe}: not a regular file (a named pipe)"


@pytest.mark.parametrize("kind", LIMITED)
def test_a_file_over_its_limit_is_refused_naming_the_limit(kind, db, tmp_path):
    big = tmp_path / IMPORTERS[kind]
    with big.open("wb") as f:  # a sparse file: no disk and no memory for the test
        f.truncate(LIMITED[kind].max_bytes + 1)
    mb = LIMITED[kind].max_bytes // bounds.MB
    assert refused_within(SECONDS, kind, db, big) == (
        f"error: {big}: larger than {mb} MB, the limit for {LIMITED[kind].what} "
        "(if it is right, raise the limit with --max-mb)")


def test_max_mb_raises_the_limit(db, tmp_path):
    returns = tmp_path / "returns.csv"
    row = "no-such-measure,leicestershire,2024-01,1\n"
    returns.write_text("measure,area,period,value\n" + row * (2 * bounds.MB // len(row)))
    assert "larger than 1 MB, the limit for a returns file" in refused_import("returns", db, returns, "--max-mb", "1")
    # within the raised limit, the file is read and refused for what it says, on its line 2
    line = refused_import("returns", db, returns, "--max-mb", "3")
    assert line.startswith(f"error: {returns} line 2: unknown measure 'no-such-measure' "), line


def test_a_gzip_bomb_is_refused_once_its_limit_is_decompressed(db, tmp_path):
    for kind, name in (("population", "census21_lsoa21.csv.gz"), ("boundaries", "lsoa21.geojson.gz")):
        bomb = gzip_bomb(tmp_path / name)
        assert bomb.stat().st_size < 3 * bounds.MB
        mb = LIMITED[kind].max_bytes // bounds.MB
        assert refused_within(SECONDS, kind, db, bomb) == (
            f"error: {bomb}: more than {mb} MB once decompressed, the limit for {LIMITED[kind].what} "
            "(if it is right, raise the limit with --max-mb)")


def test_a_workbook_that_unzips_past_its_limit_is_refused_before_it_is_parsed(db, tmp_path):
    book = tmp_path / "prc-csp.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z, z.open("xl/worksheets/sheet1.xml", "w") as member:
        for _ in range(16):  # 256 MB of zeros, streamed into the zip
            member.write(bytes(16 * bounds.MB))
    assert book.stat().st_size < 2 * bounds.MB
    assert refused_within(SECONDS, "home-office", db, book) == (
        f"error: {book}: 256 MB once unzipped, more than 12 MB, the limit for a Home Office table "
        "(if it is right, raise the limit with --max-mb)")


def test_an_ods_sheet_of_many_repeated_cells_is_refused_before_it_is_read(db, tmp_path):
    """A few hundred bytes that say "this row 300,000 times, this cell 200 times" (60 million cells,
    over a gigabyte once read) are refused before the reader builds them."""
    book = tmp_path / "prc-csp.ods"
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        '<table:table table:name="Sheet1">'
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/>'
        '</table:table-row>'
        '<table:table-row table:number-rows-repeated="300000">'
        '<table:table-cell table:number-columns-repeated="200" office:value-type="string"><text:p>x</text:p>'
        '</table:table-cell></table:table-row>'
        '</table:table></office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    assert book.stat().st_size < 2000
    assert refused_within(SECONDS, "home-office", db, book) == (
        f"error: {book}: its sheets would hold more than 2,000,000 cells (rows and cells repeated many times); "
        "a Home Office table has far fewer")


# --- peak memory, measured in a real process -------------------------------------------------------

# Runs ARGV in a grandchild and prints its peak memory (ru_maxrss, kB) as the last line of stderr.
# Linux carries a process's memory high-water mark over fork and exec, so a command started
# straight from this test's process (a worker that may have grown to 600 MB over the suite) would
# report at least that much; started from this small wrapper, it reports its own.
MEASURE = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable] + sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(f"peak-kb {usage.ru_maxrss}", file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def peak_of_import(kind: str, path: Path, db: Path) -> tuple[int, str, float]:
    """`python -m scrutiny import KIND PATH --db DB` in a process of its own: its exit code, its
    stderr and its peak memory in MB."""
    env = {k: v for k, v in os.environ.items() if k != "SCRUTINY_DB"}
    try:
        done = subprocess.run([sys.executable, "-c", MEASURE, "-m", "scrutiny", "import", kind, str(path), "--db", str(db)],
                              cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"import {kind} {path} still running after 60 s")
    *lines, peak = done.stderr.splitlines()
    assert peak.startswith("peak-kb "), done.stderr
    return done.returncode, "".join(line + "\n" for line in lines), int(peak.split()[1]) / 1024


BOMBS = {  # the importer -> the name its bomb has
    "police-uk": "2024-01-leicestershire-street.csv.gz",
    "returns": "returns.csv",
    "home-office": "prc-csp.csv",
    "population": "census21_lsoa21.csv.gz",
    "boundaries": "lsoa21.geojson.gz",
    "areas": "areas.csv",
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", BOMBS)
def test_a_gzip_bomb_and_dev_zero_stay_under_500_mb(kind, db, tmp_path):
    before = digest(db)
    bomb = gzip_bomb(tmp_path / BOMBS[kind])
    zero = tmp_path / ("zero-" + IMPORTERS[kind])
    zero.symlink_to("/dev/zero")
    for path in (bomb, zero):
        code, err, peak_mb = peak_of_import(kind, path, db)
        assert code == 2 and len(err.strip().splitlines()) == 1 and err.startswith(f"error: {path}"), err
        assert peak_mb < PEAK_MB, f"import {kind} {path.name}: peak {peak_mb:.0f} MB"
    assert digest(db) == before and leftovers(db.parent) == []
