"""Fuzzing the importer with malformed data.police.uk files (hypothesis): every file ends in a
correct import or one clear error line, never a crash trace, never a changed database after an
error."""
import gzip
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scrutiny.core.errors import UserError
from scrutiny.load.police_uk import import_police_uk
from scrutiny.load.progress import Progress
from scrutiny.bench.national_data import generate
from tests.ingest_helpers import digest

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
          "Crime type,Last outcome category,Context")
FILE_NAME = "2024-01-leicestershire-street.csv"


@pytest.fixture(scope="module")
def valid_lines(tmp_path_factory) -> list[str]:
    """Well-formed lines to break: a small synthetic Leicestershire month."""
    archive = tmp_path_factory.mktemp("archive")
    generate(archive, scale=0.01, months=1, out_print=None)
    return (archive / "2024-01" / FILE_NAME).read_text().splitlines()


@pytest.fixture(scope="module")
def base_db(tmp_path_factory, valid_lines) -> Path:
    """A database that already holds an import, so a failed import has something to lose."""
    folder = tmp_path_factory.mktemp("base")
    source = folder / "2023-12" / "2023-12-leicestershire-street.csv"
    source.parent.mkdir()
    source.write_text("\n".join(line.replace("2024-01", "2023-12") for line in valid_lines) + "\n")
    db = folder / "base.duckdb"
    import_police_uk([source], db, progress=Progress(1, stream=io.StringIO(), draw=False))
    return db


BAD_VALUES = st.sampled_from([
    "", "2024-13", "January", "2023-12", "Bicycles", "=cmd|' /C calc'!A0", "\"", "\"unterminated",
    "a,b", "\u00e9", "\x00", "9" * 400, "<script>alert(1)</script>", "NaN", "-1", "\r",
])


@st.composite
def broken_files(draw, lines: list[str]) -> bytes:
    rows = [line.split(",") for line in lines[1:draw(st.integers(2, 40))]]
    header = HEADER.split(",")
    kind = draw(st.sampled_from(["cell", "cell", "cell", "header", "drop_column", "extra_column",
                                 "bytes", "truncate_gzip", "bom_and_latin1", "blank"]))
    if kind == "cell" and rows:
        for _ in range(draw(st.integers(1, 3))):
            row = draw(st.integers(0, len(rows) - 1))
            column = draw(st.integers(0, len(header) - 1))
            if column < len(rows[row]):
                rows[row][column] = draw(BAD_VALUES)
    elif kind == "header":
        header[draw(st.integers(0, len(header) - 1))] = draw(st.sampled_from(["Month ", "Crime", "", "LSOA"]))
    elif kind == "drop_column":
        column = draw(st.integers(0, len(header) - 1))
        header.pop(column)
        for row in rows:
            if column < len(row):
                row.pop(column)
    elif kind == "extra_column":
        header.append("Extra")
        rows = [row + ["x"] for row in rows]
    text = "\n".join([",".join(header)] + [",".join(row) for row in rows]) + "\n"
    data = text.encode("utf-8")
    if kind == "bytes":
        position = draw(st.integers(0, len(data)))
        data = data[:position] + draw(st.binary(min_size=1, max_size=8)) + data[position:]
    elif kind == "truncate_gzip":
        packed = gzip.compress(data)
        data = packed[: draw(st.integers(1, max(1, len(packed) - 1)))]
    elif kind == "bom_and_latin1":
        data = b"\xef\xbb\xbf" + text.replace("Leicester", "Leicest\u00e9r").encode("latin-1", "replace")
    elif kind == "blank":
        data = b"" if draw(st.booleans()) else b"\n\n"
    return data


@pytest.mark.slow  # 60 imports, about 7 s
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(data=st.data())
def test_a_malformed_file_gives_a_clear_error_or_a_correct_import_never_a_crash(data, valid_lines, base_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    content = data.draw(broken_files(valid_lines))
    name = FILE_NAME + (".gz" if content[:2] == b"\x1f\x8b" else "")
    source = folder / "2024-01" / name
    source.parent.mkdir()
    source.write_bytes(content)
    db = folder / "db.duckdb"
    shutil.copyfile(base_db, db)
    before = digest(db)
    try:
        import_police_uk([source], db, progress=Progress(1, stream=io.StringIO(), draw=False))
    except UserError as error:
        message = str(error)
        event("refused with one line")
        assert "\n" not in message.strip(), message
        assert "Traceback" not in message
        assert str(source) in message or source.name in message, message
        assert digest(db) == before, "a failed import changed the database"
        assert sorted(p.name for p in folder.iterdir()) == ["2024-01", "db.duckdb"], "temporary files left"
    else:
        import duckdb

        event("imported")
        # The month is there, and the month before is kept. A record with no location is counted
        # (unlocated_counts), not placed in an LSOA: a file of such records alone is a correct import.
        with duckdb.connect(str(db), read_only=True) as con:
            months = {m.isoformat()[:7] for (m,) in con.execute(
                "select month from lsoa_counts union select month from unlocated_counts").fetchall()}
        assert "2024-01" in months and "2023-12" in months
