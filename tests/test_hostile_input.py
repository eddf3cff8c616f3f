"""Hostile input: links with injection strings, writes through the app's connection, markup in data."""
import duckdb
import pytest

from scrutiny.store.db import ReadOnlySnapshot
from tests.helpers import PAGES, plan_matrix_html, table_contents
from tests.ingest_helpers import digest, untouched

HOSTILE_VALUES = [
    "'; drop table areas; --",
    "\" or 1=1 --",
    "<script>alert('x')</script>",
    "[click](javascript:alert(1))",
    "../../../etc/passwd",
    "2024-01' union select * from provenance --",
    "x" * 5000,
]
PARAMETERS = ["area", "crime_type", "month", "measure", "detail_area", "slide", "since"]


@pytest.fixture(scope="module")
def bytes_before(demo_db):
    return digest(demo_db)


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=range(len(HOSTILE_VALUES)))
def test_hostile_values_in_every_link_parameter_break_nothing_and_change_nothing(
        app, demo_db, bytes_before, page, value):
    at = app(**{p: value for p in PARAMETERS})
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    shown = " ".join(str(e.value) for e in (*at.markdown, *at.warning, *at.info, *at.caption) if hasattr(e, "value"))
    assert "Traceback" not in shown and "Catalog Error" not in shown and "Parser Error" not in shown
    # Every shared filter fell back to a known value.
    assert (at.selectbox(key="area").value, at.selectbox(key="crime_type").value,
            at.selectbox(key="month").value) == ("leicestershire", "All crime", "2024-01")
    assert untouched(demo_db, bytes_before)


def test_the_apps_connection_cannot_write(demo_db):
    before = table_contents(demo_db)
    snapshot = ReadOnlySnapshot(demo_db)
    for statement in ("insert into areas select * from areas limit 1", "delete from ratings",
                      "create table stolen as select 1", "drop table provenance",
                      "update monthly_counts set crime_count = 0"):
        with pytest.raises(duckdb.Error, match="(?i)read.only"):
            snapshot.cursor().execute(statement)
    snapshot.close()
    assert table_contents(demo_db) == before


@pytest.mark.slow
def test_markup_in_area_names_from_data_is_shown_as_text(app, tmp_path):
    import shutil

    from scrutiny.demo.build import build_demo
    from scrutiny.core.paths import DEMO_DIR

    # An area name with markup, as a mapping file could carry one.
    inputs = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, inputs)
    hostile = "<script>alert(1)</script> **bold** [link](http://x)"
    areas = (inputs / "areas.csv").read_text().replace("City Centre", '"' + hostile + '"')
    (inputs / "areas.csv").write_text(areas)
    db = tmp_path / "markup.duckdb"
    build_demo(db, inputs)
    at = app(db=db, month="2024-01", crime_type="All crime")
    at.run()
    assert not at.exception
    markdown = [m.value for m in at.markdown if "alert" in m.value]
    assert markdown, "the hostile area name should appear among the movers"
    for text in markdown:
        assert "<script>" not in text and "**bold**" not in text and "](http" not in text
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    html_parts = " ".join(h.proto.body for h in at.get("html"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_parts and "<script>alert" not in html_parts
    matrix = plan_matrix_html(at)  # the matrix's component puts it into the page as HTML
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in matrix and "<script>alert" not in matrix
