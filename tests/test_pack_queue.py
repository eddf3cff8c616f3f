"""Meeting packs are made one at a time per server: a second request waits, with a message, and
the builds never overlap (four at once took 71-96 s each and slowed everyone's page views)."""
from __future__ import annotations

import contextlib
import threading
import time

import pytest

from scrutiny.core.months import Month
from scrutiny.core.turns import OneAtATime
from scrutiny.present.pack import pack_bytes
from scrutiny.store import queries
from scrutiny.store.db import file_version, open_read_only

JANUARY_2024, DECEMBER_2023 = Month(2024, 1), Month(2023, 12)


@pytest.mark.slow  # two packs made, about 10 s each
def test_two_packs_asked_for_at_once_are_made_one_after_the_other(demo_db):
    turns = OneAtATime()
    times: dict[str, tuple[float, float]] = {}
    waited: list[str] = []
    first_started = threading.Event()
    errors: list[BaseException] = []

    def make(who: str) -> None:
        @contextlib.contextmanager
        def waiting():
            waited.append(who)
            yield

        try:
            with turns.turn(while_waiting=waiting):
                started = time.perf_counter()
                first_started.set()
                with open_read_only(demo_db) as con:  # a connection per thread, as the app's cursors
                    pdf = pack_bytes(lambda name, **params: queries.run(con, name, **params), JANUARY_2024,
                                     browser=False)
                times[who] = (started, time.perf_counter())
            assert pdf.startswith(b"%PDF")
        except BaseException as error:  # seen by the test, not lost in the thread
            errors.append(error)

    first = threading.Thread(target=make, args=("first",))
    first.start()
    assert first_started.wait(60)
    second = threading.Thread(target=make, args=("second",))
    second.start()
    for thread in (first, second):
        thread.join(300)
    assert errors == []
    assert waited == ["second"]  # only the one that found a pack being made waited
    (first_start, first_end), (second_start, second_end) = times["first"], times["second"]
    assert first_start < first_end <= second_start < second_end  # no overlap
    assert not turns.busy()


def test_a_turn_is_given_back_when_the_job_fails():
    turns = OneAtATime()
    with pytest.raises(ValueError):
        with turns.turn():
            raise ValueError("a pack that could not be made")
    assert not turns.busy()
    with turns.turn():  # the next one does not wait
        assert turns.busy()


@pytest.mark.slow  # two packs made, about 10 s each
def test_the_apps_packs_take_turns_and_a_made_pack_is_offered_without_waiting(demo_db):
    """ui's cached pack (the function the Plan page's button calls), asked for from two sessions'
    threads at once: the second waits, with the message, until the first is made; then a pack
    already made is offered at once even while another session has the turn."""
    import ui

    version = file_version(demo_db)
    waits: list[tuple[str, float, float]] = []
    made: dict[str, tuple[bytes, float]] = {}

    def ask(month: Month) -> None:
        @contextlib.contextmanager
        def waiting():
            started = time.perf_counter()
            yield
            waits.append((month.key, started, time.perf_counter()))

        made[month.key] = (ui._meeting_pack(str(demo_db), version, month, _while_waiting=waiting), time.perf_counter())

    first = threading.Thread(target=ask, args=(JANUARY_2024,))
    first.start()
    deadline = time.monotonic() + 60
    while not ui.PACK_TURNS.busy():  # the first has its turn: its pack is being made
        assert time.monotonic() < deadline
        time.sleep(0.01)
    second = threading.Thread(target=ask, args=(DECEMBER_2023,))
    second.start()
    for thread in (first, second):
        thread.join(300)
    assert set(made) == {"2024-01", "2023-12"} and all(pdf.startswith(b"%PDF") for pdf, _ in made.values())
    ((who, wait_started, wait_ended),) = waits
    assert who == "2023-12"
    # it waited from before the first pack was done until then: the builds did not overlap
    assert wait_started < made["2024-01"][1] and wait_ended >= wait_started
    assert not ui.PACK_TURNS.busy()
    with ui.PACK_TURNS.turn():  # another session is making a pack ...
        started = time.perf_counter()
        pdf = ui._meeting_pack(str(demo_db), version, JANUARY_2024, _while_waiting=None)
        assert pdf == made["2024-01"][0] and time.perf_counter() - started < 1  # ... and a made one is not held up
