"""Query results are cached once for every session (ui._cached_query): a page that changes the
frame it was given must not change what the next page view, of any session, is given."""
from streamlit.testing.v1 import AppTest

from scrutiny.store import queries
from scrutiny.store.db import ReadOnlySnapshot


def _page_that_changes_its_frames():
    import os
    from pathlib import Path

    import streamlit as st

    import ui

    ui.pin_snapshot(Path(os.environ["SCRUTINY_DB"]))
    given = ui.query("common/areas")
    given["area_name"] = "changed"  # a column replaced
    given.loc[given.index[0], "area_id"] = "changed"  # a value set in place
    given.drop(columns=["area_id"], inplace=True)
    again = ui.query("common/areas")
    st.session_state["again"] = again.to_dict("list")


def test_a_page_that_changes_a_query_result_leaves_the_cached_result_as_it_was(demo_db, monkeypatch):
    monkeypatch.setenv("SCRUTINY_DB", str(demo_db))
    at = AppTest.from_function(_page_that_changes_its_frames, default_timeout=60)
    at.run()
    assert not at.exception
    snapshot = ReadOnlySnapshot(demo_db)
    try:
        from_the_file = queries.run(snapshot, "common/areas").to_dict("list")
    finally:
        snapshot.close()
    assert at.session_state["again"] == from_the_file
    at.run()  # a second run, given the cached frame again
    assert at.session_state["again"] == from_the_file
