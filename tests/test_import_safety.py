"""What the analyst must be able to trust: a bad file is refused with one line naming the file, the
line and the problem (exit code 2) and leaves the database exactly as it was; readers see the old
data or the new, never an error, while an import runs."""
from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scrutiny.load.progress import DownloadProgress, Progress
from scrutiny.core.paths import REPO_ROOT
from tests.ingest_helpers import (copy_db, every_table, leftovers, month_file, raw_lines, refused_import,
                                  street_files)
from tests.helpers import run_cli

MARCH = "2024-03-leicestershire-street.csv"


@pytest.fixture(scope="module")
def base_db(real_data, tmp_path_factory) -> Path:
    """January and February 2024 of Leicestershire: the database every bad import must leave alone."""
    path = tmp_path_factory.mktemp("base") / "scrutiny.duckdb"
    code, _, err = run_cli("import", "police-uk", month_file(real_data, "2024-01"), month_file(real_data, "2024-02"), "--db", path)
    assert code == 0, err
    return path


@pytest.fixture(scope="module")
def march(real_data) -> list[bytes]:
    """The real March 2024 file's lines (CRLF endings kept): bad files are made from it."""
    return raw_lines(month_file(real_data, "2024-03"))


def _replace_in_line(lines: list[bytes], number: int, old: bytes, new: bytes) -> list[bytes]:
    assert old in lines[number - 1]
    return lines[: number - 1] + [lines[number - 1].replace(old, new, 1)] + lines[number:]


def _csv(lines: list[bytes]) -> bytes:
    return b"".join(lines)


# name -> (file name, bytes from March's lines, the error after "error: <path>")
BAD_FILES = {
    "binary, not a CSV": (MARCH, lambda l: bytes(range(256)) * 40,
                          " line 1: not a data.police.uk street or outcomes CSV"),
    "a web page, not a CSV": (MARCH, lambda l: b"<!DOCTYPE html>\n<html><body>Not found</body></html>\n",
                              " line 1: not a data.police.uk street or outcomes CSV (its first line is '<!DOCTYPE html>')"),
    "not gzip, though named .gz": (MARCH + ".gz", lambda l: _csv(l[:50]), ": not gzip-compressed, though its name ends .gz"),
    "gzip, though named .csv": (MARCH, lambda l: gzip.compress(_csv(l[:50])), ": gzip-compressed, but its name does not end .gz"),
    "a missing column": (MARCH, lambda l: _csv(_replace_in_line(l, 1, b",Context", b"")),
                         " line 1: wrong columns for a street file: missing column 'Context'"),
    "a renamed column": (MARCH, lambda l: _csv(_replace_in_line(l, 1, b"Crime type", b"Offence")),
                         " line 1: wrong columns for a street file: missing column 'Crime type'; unexpected column 'Offence'"),
    "a row with a field too many": (MARCH, lambda l: _csv(_replace_in_line(l, 12, b"\r\n", b",extra\r\n")),
                                    " line 12: 13 fields where a street file has 12"),
    "a byte that is not UTF-8": (MARCH, lambda l: _csv(_replace_in_line(l, 6, b"On or near ", "On or near Caf\xe9 ".encode("latin-1"))),
                                 " line 6: not UTF-8 text (byte 0xE9 at character"),
    "UTF-16 with no byte order mark": (MARCH, lambda l: _csv(l[:50]).decode().encode("utf-16-le"),
                                       " line 1: not a data.police.uk street or outcomes CSV"),
    "an unparseable month": (MARCH, lambda l: _csv(_replace_in_line(l, 8, b",2024-03,", b",2024-13,")),
                             " line 8: month '2024-13' is not in the form YYYY-MM"),
    "a month in words": (MARCH, lambda l: _csv(_replace_in_line(l, 3, b",2024-03,", b",March 2024,")),
                         " line 3: month 'March 2024' is not in the form YYYY-MM"),
    "a month that disagrees with the file name": ("2024-05-leicestershire-street.csv", lambda l: _csv(l[:40]),
                                                  " line 2: month 2024-03 disagrees with the file name, which says 2024-05"),
    "an unknown crime type": (MARCH, lambda l: _csv(_replace_in_line(l, 200, b"Violence and sexual offences", b"Assault")),
                              " line 200: unknown crime type 'Assault'"),
    "an unknown outcome": (MARCH, lambda l: _csv(_replace_in_line(l, 5, b"Unable to prosecute suspect", b"Sorted")),
                           " line 5: unknown outcome 'Sorted'"),
    "a row of another force": (MARCH, lambda l: _csv(_replace_in_line(l, 30, b"Leicestershire Police,Leicestershire Police",
                                                                      b"Lancashire Constabulary,Lancashire Constabulary")),
                               " line 30: 'Falls within' is 'Lancashire Constabulary', which is not the force leicestershire"),
    "an unterminated quote": (MARCH, lambda l: _csv(l[:99] + [b'x,2024-03,Leicestershire Police,"On or near\r\n']),
                              " line 100: not valid CSV (unexpected end of data)"),
    "an empty file": (MARCH, lambda l: b"", ": the file is empty"),
    "an empty gzip file": (MARCH + ".gz", lambda l: gzip.compress(b""), ": the file is empty"),
    "a header and no rows": (MARCH, lambda l: _csv(l[:1]), ": has a header but no rows"),
}


def _refused(db: Path, *paths: Path) -> str:
    """`import police-uk PATHS` refused in one line, the database byte for byte as it was (so every
    table too) and nothing left beside it: ingest_helpers.refused_import."""
    return refused_import("police-uk", db, *paths)


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_with_its_line_and_the_database_is_unchanged(case, base_db, march, tmp_path):
    name, make, message = BAD_FILES[case]
    bad = tmp_path / "in" / name
    bad.parent.mkdir()
    bad.write_bytes(make(march))
    error = _refused(copy_db(base_db, tmp_path / "db"), bad)
    assert error.startswith(f"error: {bad}{message}"), error


@pytest.mark.parametrize("column", range(12))
def test_a_byte_that_is_not_utf8_in_any_column_is_refused(column, base_db, march, tmp_path):
    """The fast pass reads the columns it does not group by only to have DuckDB check their text
    (police_uk._every_other_column): a bad byte in each one of the twelve must still stop it."""
    cells = march[5].rstrip(b"\r\n").split(b",")
    assert len(cells) == 12  # line 6 has no quoted commas, so its cells are the columns
    cells[column] += "\xe9".encode("latin-1")
    bad = tmp_path / MARCH
    bad.write_bytes(_csv(march[:5] + [b",".join(cells) + b"\r\n"] + march[6:]))
    error = _refused(copy_db(base_db, tmp_path / "db"), bad)
    assert error.startswith(f"error: {bad} line 6: not UTF-8 text (byte 0xE9 at character"), error


def test_a_truncated_gzip_file_is_refused_at_the_line_where_its_data_stops(base_db, march, tmp_path):
    bad = tmp_path / (MARCH + ".gz")
    bad.write_bytes(gzip.compress(_csv(march))[:60_000])
    error = _refused(copy_db(base_db, tmp_path / "db"), bad)
    line = int(error.split(" line ")[1].split(":")[0])
    assert error.endswith(": truncated gzip file (the compressed data stops after this line)")
    assert 100 < line < len(march)


def test_one_bad_file_among_many_good_ones_stops_the_whole_import(base_db, real_data, march, tmp_path):
    bad = tmp_path / "2024-04-leicestershire-street.csv"
    bad.write_bytes(_csv(_replace_in_line(raw_lines(month_file(real_data, "2024-04")), 5000, b",2024-04,", b",2024-4,")))
    good = street_files(real_data)[:20]
    error = _refused(copy_db(base_db, tmp_path / "db"), *good, bad, month_file(real_data, "2024-03"))
    assert error == f"error: {bad} line 5000: month '2024-4' is not in the form YYYY-MM"


def test_two_files_for_the_same_force_and_month_are_refused(base_db, real_data, march, tmp_path):
    copy = tmp_path / "copy" / "march.csv"
    copy.parent.mkdir()
    copy.write_bytes(_csv(march))
    error = _refused(copy_db(base_db, tmp_path / "db"), month_file(real_data, "2024-03"), copy)
    assert error.startswith(f"error: {copy}: leicestershire 2024-03 is also in ")


def test_a_missing_file_and_a_bad_area_mapping_are_refused(base_db, real_data, tmp_path):
    db = copy_db(base_db, tmp_path / "db")
    assert _refused(db, tmp_path / "nowhere.csv") == f"error: {tmp_path / 'nowhere.csv'}: no such file or folder"
    mapping = tmp_path / "areas.csv"
    mapping.write_text("level,code,area_id,area_name\ndistrict,Blaby,south,South\ndistrict,Atlantis,west,West\n")
    code, _, err = run_cli("import", "police-uk", month_file(real_data, "2024-03"), "--db", db, "--areas", mapping)
    assert code == 2 and err.strip() == f"error: {mapping} line 3: unknown district 'Atlantis' (see data/areas/districts.csv)"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
@pytest.mark.slow
def test_text_that_can_be_read_only_one_way_is_accepted(encoding, base_db, march, real_data, tmp_path):
    # A byte order mark says exactly how the text is encoded, so UTF-8 with one and UTF-16 are read.
    plain, marked = tmp_path / "plain" / MARCH, tmp_path / "marked" / MARCH
    for path in (plain, marked):
        path.parent.mkdir()
    plain.write_bytes(_csv(march))
    marked.write_bytes(_csv(march).decode("utf-8").encode(encoding))
    assert marked.read_bytes().startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    results = []
    for path in (plain, marked):
        db = copy_db(base_db, tmp_path / f"db-{path.parent.name}")
        code, _, err = run_cli("import", "police-uk", path, "--db", db)
        assert code == 0, err
        results.append(every_table(db, ("loaded_at", "content_sha256")))
    assert results[0] == results[1]


@pytest.mark.slow
def test_readers_see_the_old_or_the_new_data_and_never_an_error_during_an_import(base_db, real_data, tmp_path):
    db = copy_db(base_db, tmp_path / "db")
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(stop)], cwd=REPO_ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "reading"  # it has read the old data once
        code, _, err = run_cli("import", "police-uk", *street_files(real_data)[:12], "--db", db)
        assert code == 0, err
        # until the reader has seen the new data and read often enough (at most its 60 s)
        assert reader.stdout.readline().strip() == "seen the new data", "the reader never saw the import"
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=60)
    report = json.loads(out)
    old, new = (every_table(p)["monthly_counts"] for p in (base_db, db))
    old_total, new_total = (sum(r[3] for r in rows) for rows in (old, new))
    assert report["errors"] == [], err
    assert {int(t) for t in report["seen"]} == {old_total, new_total}
    assert report["reads"] > 20


# The second process: reads a total over and over, alternating the app's way of opening the file
# (ReadOnlySnapshot) and a plain read-only connection, for at most 60 seconds.
READER = """
import json, sys, time
from pathlib import Path
import duckdb
from scrutiny.store.db import FileReplaced, ReadOnlySnapshot

path, stop = Path(sys.argv[1]), Path(sys.argv[2])
seen, errors, reads, told = {}, [], 0, False
deadline = time.time() + 60
while time.time() < deadline and not stop.exists():
    try:
        if reads % 2:
            snapshot = ReadOnlySnapshot(path)
            total = snapshot.cursor().execute("select sum(crime_count) from monthly_counts").fetchone()[0]
            snapshot.close()
        else:
            with duckdb.connect(str(path), read_only=True) as con:
                total = con.execute("select sum(crime_count) from monthly_counts").fetchone()[0]
        seen[str(total)] = seen.get(str(total), 0) + 1
    except FileReplaced:  # renamed into place mid-open: the app opens it again, and so does this
        continue
    except Exception as error:
        errors.append(repr(error))
    reads += 1
    if reads == 1:
        print("reading", flush=True)
    if len(seen) == 2 and reads >= 25 and not told:
        print("seen the new data", flush=True)
        told = True
print(json.dumps({"seen": seen, "errors": errors[:5], "reads": reads}))
"""


def test_the_progress_bar_is_drawn_only_on_a_terminal_and_the_summary_always():
    drawn, plain = io.StringIO(), io.StringIO()
    for stream, draw in ((drawn, True), (plain, False)):
        progress = Progress(4, stream=stream, draw=draw)
        progress.advance(2, 1000)
        progress.advance(2, 3000)
        progress.finish()
    assert "\r[===============>              ] " in drawn.getvalue() and "2/4 files, 1,000 rows" in drawn.getvalue()
    assert "4/4 files, 4,000 rows" in drawn.getvalue() and " rows/s" in drawn.getvalue()
    assert plain.getvalue().startswith("Read 4 files, 4,000 rows in ") and "\r" not in plain.getvalue()
    assert plain.getvalue().count("\n") == 1


def test_the_download_bar_counts_files_and_megabytes_on_a_terminal_only():
    drawn, plain = io.StringIO(), io.StringIO()
    for stream, draw in ((drawn, True), (plain, False)):
        progress = DownloadProgress(2, stream=stream, draw=draw)
        progress.add_bytes(1_500_000)
        progress.add_file()
        progress.finish()
    assert "\r[===============>              ] 1/2 files, 1.5 MB, " in drawn.getvalue()
    assert drawn.getvalue().endswith(" MB/s\n")
    assert plain.getvalue() == ""  # the fetch command's own summary gives the bytes and time


def test_an_import_leaves_no_temporary_files(base_db, real_data, tmp_path):
    db = copy_db(base_db, tmp_path / "db")
    assert run_cli("import", "police-uk", month_file(real_data, "2024-03"), "--db", db)[0] == 0
    assert leftovers(db.parent) == []
    # the writer lock's file stays (see scrutiny/store/lock.py); nothing else
    assert sorted(os.listdir(db.parent)) == [f".{db.name}.lock", db.name]
