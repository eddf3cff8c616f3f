"""What the app shows when something is wrong: one friendly line for a database it cannot read, an
apology with a reference for an error nobody foresaw (the details in the server's log), never a
traceback or the server's folders."""
from __future__ import annotations

import logging
import os
import re
import shutil
import tomllib

import duckdb
import pytest

from scrutiny.core import words
from scrutiny.core.paths import REPO_ROOT


def test_the_served_config_shows_no_error_details():
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] is False


def unreadable_line(what: str) -> str:
    return words.DATABASE_UNREADABLE.format(what=what)


@pytest.mark.parametrize("kind", ["another DuckDB database", "cut short"])
def test_a_database_the_app_cannot_read_is_one_line_naming_the_file(kind, app, demo_db, tmp_path):
    db = tmp_path / "panel.duckdb"
    if kind == "another DuckDB database":
        with duckdb.connect(str(db)) as con:
            con.execute("create table invoices (number integer)")
        what = r"panel\.duckdb: not a scrutiny database \(it has no areas table\)"
    else:
        shutil.copyfile(demo_db, db)
        os.truncate(db, db.stat().st_size // 2)
        what = r"panel\.duckdb: the database is damaged \(the file is cut short: .*"
    at = app(db=db)
    at.run()
    assert not at.exception
    assert len(at.error) == 1
    # the file's name, escaped for Markdown, and none of the server's folders
    shown = at.error[0].value
    assert re.fullmatch(re.escape(unreadable_line("@@")).replace("@@", ".*"), shown)
    assert re.search(what, shown.replace("\\", "")), shown
    assert str(tmp_path) not in shown.replace("\\", "")
    assert not at.title  # no page is drawn from it


@pytest.fixture
def areas_lacking_a_column(demo_db, tmp_path):
    """The demo, whose home areas lack population_year: the shared filters work, the Areas page
    does not."""
    db = tmp_path / "scrutiny.duckdb"
    shutil.copyfile(demo_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("""create or replace view home_areas as
                       select a.* exclude (population_year) from areas a join forces f using (force_id) where f.is_home""")
    return db


def test_an_unexpected_error_shows_an_apology_and_a_reference_and_logs_the_details(areas_lacking_a_column, app, caplog):
    at = app(db=areas_lacking_a_column)
    with caplog.at_level(logging.ERROR, logger="scrutiny.app"):
        at.switch_page("pages/areas.py").run()
    assert not at.exception
    (apology,) = [e.value for e in at.error]
    reference = re.fullmatch(re.escape(words.UNEXPECTED_ERROR.format(reference="@@")).replace("@@", "([0-9A-F]{8})"),
                             apology).group(1)
    (record,) = [r for r in caplog.records if r.name == "scrutiny.app"]
    assert record.getMessage() == f"Unexpected error in a page view, reference {reference}"
    assert "population_year" in str(record.exc_info[1])  # the details are in the log, not on the page
    assert "population_year" not in apology
