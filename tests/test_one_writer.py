"""One writer at a time, and a write that leaves the file as an office would expect: two imports at
once both land; a writer that waits says so and gives up with one line at its --wait limit; the file
keeps its mode and its symlink; a crashed write's leftovers are swept by the next; a write that
fails for lack of space says so in one line and leaves nothing behind."""
from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from scrutiny.core import scratch
from scrutiny.core.paths import REPO_ROOT
from scrutiny.store import db as db_module, lock
from tests.helpers import run_cli
from tests.ingest_helpers import copy_db, month_file

FOUR_MONTHS = ("2024-01", "2024-02", "2024-03", "2024-04")


def scrutiny(*args, **popen) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "SCRUTINY_DB"}
    popen = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **popen}
    return subprocess.Popen([sys.executable, "-m", "scrutiny", *map(str, args)], cwd=REPO_ROOT, env=env,
                            text=True, **popen)


def files_loaded(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("select force_id, count(*) from imported_files group by all").fetchall())


@pytest.mark.slow  # python -m scrutiny processes and imports, 2-6 s
def test_two_imports_at_once_both_land_one_after_the_other(real_data, tmp_path):
    db = tmp_path / "scrutiny.duckdb"  # no database yet: each would otherwise create its own
    commands = [("import", "police-uk", *(month_file(real_data, m, force) for m in FOUR_MONTHS), "--db", db)
                for force in ("leicestershire", "lancashire")]
    logs = [tmp_path / f"stderr-{n}.txt" for n in range(len(commands))]
    with lock.writer_lock(db):  # held here, so both are sure to start while another write runs
        running = [scrutiny(*command, stderr=log.open("w")) for command, log in zip(commands, logs)]
        deadline = time.monotonic() + 120
        while not all("Waiting for another write to" in log.read_text() for log in logs):
            assert time.monotonic() < deadline, [log.read_text() for log in logs]
            assert all(process.poll() is None for process in running), [log.read_text() for log in logs]
            time.sleep(0.1)
    for process in running:
        process.wait(timeout=300)
    assert [process.returncode for process in running] == [0, 0], [log.read_text() for log in logs]
    # Nothing lost: the second started from the first one's result.
    assert files_loaded(db) == {"leicestershire": 4, "lancashire": 4}


@pytest.mark.slow  # python -m scrutiny processes and imports, 2-6 s
def test_a_writer_gives_up_at_its_wait_limit_with_one_line_and_changes_nothing(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path)
    before = db.read_bytes()
    with lock.writer_lock(db):
        started = time.monotonic()
        process = scrutiny("rate", "--wait", "1", "--db", db)
        out, err = process.communicate(timeout=120)
        waited = time.monotonic() - started
    assert process.returncode == 2
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"Waiting for another write to {db} to finish (")
    assert lines[-1].startswith(f"error: {db}: another write (") and "after 1 s; nothing was written" in lines[-1]
    assert len(lines) == 2 and waited >= 1
    assert db.read_bytes() == before


@pytest.mark.slow  # python -m scrutiny processes and imports, 2-6 s
def test_a_write_keeps_the_files_mode_and_a_symlinked_database_keeps_its_link(demo_db, tmp_path):
    real = copy_db(demo_db, tmp_path / "store")
    os.chmod(real, 0o644)  # readable by the app's own user: a write must not make it 0600
    link = tmp_path / "scrutiny.duckdb"
    link.symlink_to(real)
    before = real.stat()
    assert run_cli("rate", "--db", link).returncode == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    after = real.stat()
    assert after.st_ino != before.st_ino  # the file the link names was replaced, not the link
    assert stat.S_IMODE(after.st_mode) == 0o644
    assert sorted(p.name for p in real.parent.iterdir()) == [f".{real.name}.lock", real.name]


def test_a_new_database_gets_the_usual_mode_for_a_new_file(tmp_path):
    db = tmp_path / "new.duckdb"
    umask = os.umask(0o022)
    try:
        with db_module.new_database(db):  # what build-demo and a first import write through
            pass
    finally:
        os.umask(umask)
    assert stat.S_IMODE(db.stat().st_mode) == 0o644  # 0666 less the umask 022; mkstemp alone gave 0600


@pytest.mark.slow  # python -m scrutiny processes and imports, 2-6 s
def test_the_next_writer_sweeps_what_a_killed_write_left_beside_the_database(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path)
    left = [tmp_path / f".{db.name}.k1ll3d.tmp", tmp_path / f".{db.name}.k1ll3d.tmp.wal"]
    for path in left:
        path.write_bytes(b"half a database")
    unrelated = tmp_path / "notes.tmp"
    unrelated.write_text("not ours")
    assert run_cli("rate", "--db", db).returncode == 0
    assert [path.exists() for path in left] == [False, False]
    assert unrelated.exists()


def test_staging_folders_of_processes_that_are_gone_are_swept_and_live_ones_kept(tmp_path):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(finished.stdout)  # a process that has exited
    dead = tmp_path / f"scrutiny-import-{dead_pid}-abcd"
    live = tmp_path / f"scrutiny-import-{os.getpid()}-efgh"
    other_kind = tmp_path / f"scrutiny-national-{dead_pid}-ijkl"
    for folder in (dead, live, other_kind):
        (folder / "staging.duckdb").parent.mkdir()
        (folder / "staging.duckdb").write_bytes(b"x" * 1000)
    assert scratch.sweep_dead("import", tmp_path) == [dead]
    assert not dead.exists() and live.exists() and other_kind.exists()


def _small_files_only():
    """In the child: files may not grow past 1 MB (as on a full disk), and the signal that would
    kill the process for it is ignored, so the write fails with an error instead."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_a_write_that_runs_out_of_space_says_so_in_one_line_and_leaves_nothing(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path)
    before = db.read_bytes()
    assert len(before) > 1 << 20  # the copy cannot be made
    process = scrutiny("rate", "--db", db, preexec_fn=_small_files_only)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 2, err
    assert err.strip().splitlines() == [f"error: {db}: could not copy the database to change it (File too large); it is unchanged"]
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".{db.name}.lock", db.name]


def test_the_lock_file_can_be_taken_by_whoever_may_write_the_database(demo_db, tmp_path):
    """In a shared folder a colleague who may write the database (its group may) must be able to
    take its lock too: the lock file gets the database's group and read-write bits."""
    db = copy_db(demo_db, tmp_path)
    os.chmod(db, 0o664)
    with lock.writer_lock(db):
        pass
    assert stat.S_IMODE(lock.lock_path(db).stat().st_mode) == 0o664
    assert lock.lock_path(db).stat().st_gid == db.stat().st_gid
