"""A database made by the version before maps (no boundaries or populations tables, no
population_year) is upgraded by `python -m scrutiny upgrade` (or any import), keeping its data,
demo or imported; the app reads it upgraded in memory and never writes it.
The old database was made once by that version's own code and is committed, compressed, under
tests/fixtures/ (its README says how), so this needs neither git history nor the real files."""
import gzip
import shutil

import duckdb
import pytest

from scrutiny.store import db as database
from scrutiny.core import words
from scrutiny.core.paths import REPO_ROOT
from tests.helpers import run_cli
from tests.ingest_helpers import every_table

BEFORE_MAPS = REPO_ROOT / "tests" / "fixtures" / "before-maps.duckdb.gz"


@pytest.fixture
def old_real_db(tmp_path):
    """A demo with a month of real Leicestershire records imported, both by the old version: a
    fresh copy for each test, since the upgrade changes the file in place."""
    path = tmp_path / "scrutiny.duckdb"
    with gzip.open(BEFORE_MAPS) as packed, open(path, "wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    return path


def test_an_old_database_is_upgraded_in_place_and_keeps_its_data(old_real_db):
    before = every_table(old_real_db)
    assert database.needs_upgrade(old_real_db)
    database.upgrade(old_real_db)
    assert not database.needs_upgrade(old_real_db)
    after = every_table(old_real_db, leave_out_columns=("population_year",))
    assert after.pop("boundaries") == [] and after.pop("populations") == []
    assert after.pop("measure_step_changes") == []  # an old plan recorded none
    assert after.pop("panel_meetings") == [] and after.pop("panel_questions") == []  # nor meetings nor questions
    assert after.pop("former_districts") == []  # filled by the next import, which reads the lookup again
    assert after.pop("place_ratings") == []  # filled by the next import or `python -m scrutiny rate`
    assert after == before
    con = duckdb.connect(str(old_real_db), read_only=True)
    try:
        # every population of the old version was Census 2021 (or the demo's Census-like figures)
        assert con.execute("select count(*) from areas where population is not null and population_year is null"
                           ).fetchone() == (0,)
    finally:
        con.close()


@pytest.mark.parametrize("page", ["pages/areas.py", "pages/overview.py", "pages/compare.py"])
def test_the_app_reads_an_old_database_upgraded_in_memory_and_never_writes_it(old_real_db, app, page):
    (imported,) = duckdb.connect(str(old_real_db), read_only=True).execute(
        "select count(*) from lsoa_counts").fetchone()
    before = old_real_db.read_bytes()
    at = app(db=old_real_db)
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    assert [w.value for w in at.warning][:1] == [words.OLD_DATABASE]
    assert at.title and at.title[0].value  # the page is drawn from the old file's figures
    assert old_real_db.read_bytes() == before  # the app never writes
    assert database.needs_upgrade(old_real_db)
    assert duckdb.connect(str(old_real_db), read_only=True).execute(
        "select count(*) from lsoa_counts").fetchone() == (imported,)


@pytest.mark.slow  # an upgrade and a page run, about 2 s
def test_the_app_reads_an_old_database_in_a_read_only_folder(old_real_db, app):
    folder = old_real_db.parent
    folder.chmod(0o555)
    try:
        at = app(db=old_real_db)
        at.run()
        assert not at.exception
        assert [w.value for w in at.warning][:1] == [words.OLD_DATABASE]
    finally:
        folder.chmod(0o755)


def test_the_upgrade_command_upgrades_the_file_and_then_has_nothing_to_do(old_real_db):
    code, out, err = run_cli("upgrade", db=old_real_db)
    assert (code, out, err) == (0, f"Upgraded {old_real_db} for this version; its data is kept.\n", "")
    assert not database.needs_upgrade(old_real_db)
    assert run_cli("upgrade", db=old_real_db).stdout == f"{old_real_db} is up to date: nothing to do.\n"


def test_a_database_made_before_the_rules_were_macros_is_upgraded_to_have_them(demo_db, tmp_path):
    """A database of the version just before (it has boundaries, not the macros of
    08_macros.sql) needs the upgrade, and after it the queries that use the macros run."""
    path = tmp_path / "scrutiny.duckdb"
    path.write_bytes(demo_db.read_bytes())
    con = duckdb.connect(str(path))
    con.execute("drop macro area_of_lsoa")
    con.execute("drop macro table shipped_lsoa_areas")
    con.close()
    assert database.needs_upgrade(path)
    database.upgrade(path)
    assert not database.needs_upgrade(path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("select area_of_lsoa('leicestershire', 'E01000000', 'Blaby')").fetchone() == (None,)
    finally:
        con.close()
