"""Two people making meeting packs at once on a real server: the second is told it waits, and both
packs arrive (tests/test_pack_queue.py proves the builds do not overlap)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from scrutiny.core import words
from tests.browser_helpers import open_page, start_server, stop_server
from tests.ingest_helpers import copy_db


@pytest.fixture
def own_server(demo_db, tmp_path):
    # A server of its own: the shared one may already have these packs in its cache.
    process, url = start_server(copy_db(demo_db, tmp_path / "db"), tmp_path / "streamlit-server.log")
    yield url
    stop_server(process)


def test_a_second_pack_asked_for_meanwhile_waits_with_a_message_then_arrives(browser, own_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    first, second = context.new_page(), context.new_page()
    open_page(first, f"{own_server}/plan?month=2024-01")
    open_page(second, f"{own_server}/plan?month=2023-12")
    first.get_by_role("button", name="Make the meeting pack for January 2024 (PDF)").click()
    expect(first.get_by_text("Making the meeting pack")).to_be_visible(timeout=30_000)
    second.get_by_role("button", name="Make the meeting pack for December 2023 (PDF)").click()
    expect(second.get_by_text(words.PACK_WAITS)).to_be_visible(timeout=30_000)
    expect(first.get_by_role("button", name="Download the meeting pack for January 2024 (PDF)")).to_be_visible(timeout=120_000)
    expect(second.get_by_role("button", name="Download the meeting pack for December 2023 (PDF)")).to_be_visible(timeout=120_000)
    expect(second.get_by_text(words.PACK_WAITS)).to_have_count(0)
    context.close()
