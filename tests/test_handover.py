"""The handover to a new database file (scrutiny.store.handover): runs read the file before while
what they asked of it is worked out for the new one; then the new one, or after a time limit anyway.
The app's side (ui.pin_snapshot) is in test_pages.py and test_one_snapshot.py."""
import threading

from scrutiny.store.handover import Handover

OLD, NEW, NEWER = (1, 100), (2, 200), (3, 300)


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def preparer(release: threading.Event | None = None):
    """A PREPARE that records what it was given, and waits for RELEASE if there is one."""
    calls = []

    def prepare(version, keys):
        calls.append((version, keys))
        if release is not None:
            release.wait(10)
        return True  # finished
    return prepare, calls


def reading_old(**options):
    """A Handover(**OPTIONS) reading OLD, a PREPARE that waits for RELEASE, and what it was given."""
    release = threading.Event()
    handover = Handover(**options)
    prepare, calls = preparer(release)
    assert handover.version_to_read(OLD, prepare) == OLD
    return handover, prepare, calls, release


def test_the_first_file_is_read_at_once_and_a_new_one_once_what_was_asked_is_ready_for_it():
    handover = Handover()
    prepare, calls = preparer()
    assert handover.version_to_read(OLD, prepare) == OLD
    assert calls == []  # nothing to hand over from
    for key in ("a", "b", "a", "c"):
        handover.remember(key)
    release = threading.Event()
    prepare, calls = preparer(release)
    assert handover.version_to_read(NEW, prepare) == OLD  # while NEW is prepared, OLD is read
    assert handover.version_to_read(NEW, prepare) == OLD
    release.set()
    assert handover.wait_until_ready(timeout=10)
    assert calls == [(NEW, ["c", "a", "b"])]  # once, the most recently asked first
    assert handover.version_to_read(NEW, prepare) == NEW
    assert len(calls) == 1


def test_after_the_time_limit_the_new_file_is_read_even_if_not_ready():
    clock = Clock()
    handover, prepare, _, release = reading_old(ready_within=20, clock=clock)
    clock.now = 100.0
    assert handover.version_to_read(NEW, prepare) == OLD
    clock.now = 119.0
    assert handover.version_to_read(NEW, prepare) == OLD
    clock.now = 120.0
    assert handover.version_to_read(NEW, prepare) == NEW
    release.set()
    assert handover.wait_until_ready(timeout=10)


def test_one_preparation_at_a_time_and_then_the_newest_file():
    handover, prepare, calls, release = reading_old()
    assert handover.version_to_read(NEW, prepare) == OLD
    assert handover.version_to_read(NEWER, prepare) == OLD  # NEW's preparation is still running
    release.set()
    assert handover.wait_until_ready(timeout=10)
    assert [version for version, _ in calls] == [NEW]
    # NEW was made ready, but NEWER is at the path now: it is prepared in turn, NEW read meanwhile
    release.clear()
    assert handover.version_to_read(NEWER, prepare) == NEW
    release.set()
    assert handover.wait_until_ready(timeout=10)
    assert handover.version_to_read(NEWER, prepare) == NEWER
    assert [version for version, _ in calls] == [NEW, NEWER]


def test_a_failed_preparation_hands_over_all_the_same():
    handover = Handover()

    def prepare(version, keys):
        raise RuntimeError("a query the new file cannot answer")  # (ui._make_ready catches these itself)
    handover.version_to_read(OLD, prepare)
    handover.version_to_read(NEW, prepare)
    assert handover.wait_until_ready(timeout=10)
    assert handover.version_to_read(NEW, prepare) == NEW


def test_when_the_old_file_cannot_be_read_any_more_the_newest_is():
    handover, prepare, _, release = reading_old()
    assert handover.version_to_read(NEW, prepare) == OLD
    handover.read_newest(NEW)
    assert handover.version_to_read(NEW, prepare) == NEW
    release.set()
    assert handover.wait_until_ready(timeout=10)


def test_only_the_most_recent_keys_are_remembered_and_unhashable_ones_are_not():
    handover = Handover(remembered=3)
    prepare, calls = preparer()
    handover.version_to_read(OLD, prepare)
    for key in ("a", "b", "c", "d"):
        handover.remember(key)
    handover.remember(["a list"])  # not hashable: not something any cache is keyed on
    handover.version_to_read(NEW, prepare)
    assert handover.wait_until_ready(timeout=10)
    assert calls == [(NEW, ["d", "c", "b"])]


def test_files_arriving_while_one_is_prepared_do_not_hold_the_runs_back_past_the_limit():
    clock = Clock()
    handover, prepare, calls, release = reading_old(ready_within=20, clock=clock)
    clock.now = 100.0
    assert handover.version_to_read(NEW, prepare) == OLD  # the runs fall behind at 100 s
    clock.now = 110.0
    assert handover.version_to_read(NEWER, prepare) == OLD  # NEW still being prepared
    clock.now = 120.0
    assert handover.version_to_read(NEWER, prepare) == NEWER  # 20 s after falling behind, not after NEWER came
    release.set()
    assert handover.wait_until_ready(timeout=10)
    assert handover.version_to_read(NEWER, prepare) == NEWER  # NEW, finished late, does not take the runs back
    assert [version for version, _ in calls] == [NEW]


def test_the_runs_never_go_back_to_an_older_file_when_a_late_preparation_finishes():
    handover, prepare, _, release = reading_old()
    assert handover.version_to_read(NEW, prepare) == OLD
    handover.read_newest(NEWER)  # the old file's connection was let go
    release.set()
    assert handover.wait_until_ready(timeout=10)
    assert handover.version_to_read(NEWER, prepare) == NEWER


def test_a_preparation_stopped_by_a_newer_file_hands_over_to_the_newer_one_not_to_the_stopped_one():
    handover = Handover()
    given = []

    def prepare(version, keys):
        given.append(version)
        return version != NEW  # NEW was replaced by NEWER part-way through
    handover.version_to_read(OLD, prepare)
    assert handover.version_to_read(NEW, prepare) == OLD
    assert handover.wait_until_ready(timeout=10)
    assert handover.version_to_read(NEWER, prepare) == OLD  # NEW is never read; NEWER is prepared now
    assert handover.wait_until_ready(timeout=10)
    assert handover.version_to_read(NEWER, prepare) == NEWER
    assert given == [NEW, NEWER]
