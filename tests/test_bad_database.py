"""A database that is missing, cut short, not a DuckDB file or not a scrutiny database: every
command refuses it with one line naming the file and what is wrong (exit 2), before it reads or
writes anything, and the file is left exactly as it was."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from scrutiny.core.paths import AREAS_DIR
from tests.helpers import run_cli
from tests.ingest_helpers import copy_db
from tests.test_import_other import RETURNS, ho_frame
from tests.test_import_population import LLR_DISTRICTS, district_file

STREET_SMALL = Path(__file__).parent / "fixtures" / "street-small"
SQUARE = {"type": "Polygon", "coordinates": [[[-1.2, 52.7], [-1.1, 52.7], [-1.1, 52.8], [-1.2, 52.8], [-1.2, 52.7]]]}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    """A good input file of each kind an import takes (the control test imports each into the demo)."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "returns.csv").write_text(RETURNS)
    ho_frame("2023/24", "Offence Count").to_csv(folder / "prc-csp-2324.csv", index=False)
    shutil.copyfile(AREAS_DIR / "llr_area_rules.csv", folder / "areas.csv")  # the shipped rules, again
    (folder / "charnwood.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Charnwood"}, "geometry": SQUARE}]}))
    district_file(folder / "llr_districts_2021.csv", LLR_DISTRICTS)
    return {kind: folder / name for kind, name in (
        ("returns", "returns.csv"), ("home-office", "prc-csp-2324.csv"), ("areas", "areas.csv"),
        ("boundaries", "charnwood.geojson"), ("population", "llr_districts_2021.csv"))}


def commands(inputs: dict[str, Path], out: Path) -> dict[str, list]:
    """Every command that reads or writes a database, without its --db."""
    return {
        "yoy": ["yoy", "--month", "2024-01"],
        "ratings": ["ratings", "--month", "2024-01"],
        "rate": ["rate"],
        "pack": ["pack", "--month", "2024-01", "--out", out / "pack.pdf", "--no-charts"],
        "bench": ["bench", "--runs", "1"],
        "upgrade": ["upgrade"],
        "import returns": ["import", "returns", inputs["returns"]],
        "import home-office": ["import", "home-office", inputs["home-office"]],
        "import areas": ["import", "areas", inputs["areas"]],
        "import boundaries": ["import", "boundaries", inputs["boundaries"], "--level", "area"],
        "import population": ["import", "population", inputs["population"]],
        "import police-uk": ["import", "police-uk", STREET_SMALL],
    }


COMMANDS = ["yoy", "ratings", "rate", "pack", "bench", "upgrade", "import returns", "import home-office",
            "import areas", "import boundaries", "import population", "import police-uk"]


def make_bad(kind: str, demo_db: Path, path: Path) -> str:
    """Put a bad database of `kind` at `path`; return what the one line must say after the name."""
    if kind == "cut short":
        shutil.copyfile(demo_db, path)
        whole = path.stat().st_size
        os.truncate(path, whole // 2)
        # The demo has no free blocks: its whole length is what its blocks in use need.
        return (f"the database is damaged (the file is cut short: {whole // 2:,} bytes, but the blocks in use "
                f"need {whole:,}); restore it from a backup or import its files again")
    if kind == "another DuckDB database":
        with duckdb.connect(str(path)) as con:
            con.execute("create table invoices (number integer, total decimal(9, 2))")
            con.execute("insert into invoices values (1, 12.50)")
        return "not a scrutiny database (it has no areas table)"
    if kind == "another application's database with an areas table":
        with duckdb.connect(str(path)) as con:
            con.execute("create table areas (code varchar, hectares double)")
            con.execute("insert into areas values ('A1', 12.5)")
        return "not a scrutiny database (it has no measures table)"
    if kind == "a text file":
        path.write_text("area,count\nCharnwood,12\n")
        return "not a scrutiny database (it is not a DuckDB database file)"
    assert kind == "missing"
    return ("no such database (import data.police.uk files first, or build the demo with: "
            "python -m scrutiny build-demo)")


def contents(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


KINDS = ["cut short", "another DuckDB database", "another application's database with an areas table",
         "a text file", "missing"]
# A police-uk import into no database makes a new one: that is its job, so that pair is not a refusal.
CASES = [(command, kind) for command in COMMANDS for kind in KINDS if (command, kind) != ("import police-uk", "missing")]


@pytest.mark.parametrize("command, kind", CASES)
def test_every_command_refuses_a_bad_database_in_one_line_and_leaves_it_alone(command, kind, demo_db, inputs, tmp_path):
    db = tmp_path / "db" / "scrutiny.duckdb"
    db.parent.mkdir()
    why = make_bad(kind, demo_db, db)
    before = contents(db)
    code, _, err = run_cli(*commands(inputs, tmp_path)[command], "--db", db)
    # police-uk reads its files before it opens the database, and says how many it read
    lines = [line for line in err.splitlines() if not line.startswith("Read ")]
    assert (code, lines) == (2, [f"error: {db}: {why}"])
    assert contents(db) == before
    # nothing new beside it but the writer lock's file (kept on purpose: scrutiny/store/lock.py)
    assert {p.name for p in db.parent.iterdir()} - {".scrutiny.duckdb.lock"} == ({db.name} if before is not None else set())
    assert not (tmp_path / "pack.pdf").exists()


@pytest.mark.slow
@pytest.mark.parametrize("command", [c for c in COMMANDS if c.startswith("import")])
def test_the_same_imports_into_the_demo_succeed(command, demo_db, inputs, tmp_path):
    """The control for the test above: its input files are good, so what is refused is the database."""
    db = copy_db(demo_db, tmp_path / "db")
    if command == "import areas":  # re-mapping needs the force's records imported
        assert run_cli("import", "police-uk", STREET_SMALL, "--db", db).returncode == 0
    code, _, err = run_cli(*commands(inputs, tmp_path)[command], "--db", db)
    assert code == 0, err


def test_boundaries_into_a_database_cut_short_are_refused_and_the_file_is_unchanged(demo_db, inputs, tmp_path):
    # It used to exit 0 and put a copy in place that was just as broken (the import reads only the
    # blocks it needs, which were in the half that was left).
    db = tmp_path / "scrutiny.duckdb"
    shutil.copyfile(demo_db, db)
    os.truncate(db, db.stat().st_size // 2)
    before = db.read_bytes()
    code, _, err = run_cli("import", "boundaries", inputs["boundaries"], "--level", "area", "--db", db)
    assert code == 2 and err.startswith(f"error: {db}: the database is damaged (the file is cut short")
    assert db.read_bytes() == before


def test_a_database_damaged_inside_is_one_line_when_a_query_reaches_the_damage(demo_db, tmp_path):
    # Random bytes over blocks in the middle: the file opens, has its tables and its length, and
    # fails its checksums only when a query reads those blocks.
    db = tmp_path / "scrutiny.duckdb"
    shutil.copyfile(demo_db, db)
    size = db.stat().st_size
    with db.open("r+b") as file:
        file.seek(size // 4)
        file.write(os.urandom(size // 2))
    code, _, err = run_cli("yoy", "--month", "2024-01", "--db", db)
    assert (code, err) == (2, f"error: {db}: the database is damaged (a part of the file fails its checksum); "
                              "restore it from a backup or import its files again\n")


def test_a_folder_given_as_the_database_is_one_line(tmp_path):
    code, _, err = run_cli("ratings", "--month", "2024-01", "--db", tmp_path)
    assert (code, err) == (2, f"error: {tmp_path}: not a scrutiny database (it is a folder)\n")


# --- bench's archive folder --------------------------------------------------------------------

def test_bench_refuses_a_file_as_its_archive_folder(tmp_path):
    data = tmp_path / "archive"
    data.write_text("not a folder")
    code, _, err = run_cli("bench", "--scale", "small", "--data", data)
    assert (code, err) == (2, f"error: {data}: not a folder (--data names the folder for the generated archive)\n")


def test_bench_never_empties_a_folder_it_did_not_make(tmp_path):
    # Generating the archive replaces the folder: a folder of someone's own files must be refused.
    data = tmp_path / "my files"
    data.mkdir()
    (data / "minutes.txt").write_text("Panel minutes")
    code, _, err = run_cli("bench", "--scale", "small", "--data", data)
    assert (code, err) == (2, f"error: {data}: this folder has files of its own and generating the archive "
                              "would delete them: name a new or empty folder\n")
    assert (data / "minutes.txt").read_text() == "Panel minutes"


def test_bench_says_in_one_line_when_it_cannot_make_its_archive_folder(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("")
    data = blocker / "archive"  # a folder inside a file cannot be made
    code, _, err = run_cli("bench", "--scale", "small", "--data", data)
    assert code == 2 and err.startswith(f"error: {data}: cannot make the folder for the generated archive (")
    assert err.count("\n") == 1
