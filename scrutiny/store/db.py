"""Opening the database, and building a new one so that readers never see half of it.

Two ways to read it, with one set of checks and error texts (missing, not a DuckDB file, cut
short, not a scrutiny database): `open_read_only` for the command line and the importers' checks
(a plain connection, closed after the command), and `ReadOnlySnapshot` for the app (a private
instance, so a file renamed into place is seen by the next run). Writes check the same way before
they copy anything (`changed_copy`).

A new database is written to a temporary file beside the target and renamed into place: a reader
that already has the old file open keeps reading it, and a failed build leaves the old one as it
was.
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Iterator

import duckdb

from scrutiny.core.errors import UserError
from scrutiny.core.paths import SCHEMA_DIR
from scrutiny.store import lock


def no_such_database(path: Path) -> str:
    return (f"{path}: no such database (import data.police.uk files first, or build the demo with: "
            "python -m scrutiny build-demo)")


def not_a_database(path: Path, why: str) -> str:
    return f"{path}: not a scrutiny database ({why})"


def damaged_database(path: Path, why: str) -> str:
    return f"{path}: the database is damaged ({why}); restore it from a backup or import its files again"


SCRUTINY_TABLES = ("areas", "measures")  # what every scrutiny database has had, from the first version
# DuckDB's file header: a main header and two database headers of 4 KiB each, before the blocks.
FILE_HEADER_BYTES = 3 * 4096


def open_read_only(path: Path, tables: tuple[str, ...] = SCRUTINY_TABLES) -> duckdb.DuckDBPyConnection:
    """A read-only connection to an existing, whole scrutiny database with these tables, or a
    UserError saying in one line what is wrong. Every command checks the database here (or through
    `check_database`) before it reads or writes it."""
    if not Path(path).exists():
        raise UserError(no_such_database(path))
    if Path(path).is_dir():
        raise UserError(not_a_database(path, "it is a folder"))
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise UserError(not_a_database(path, why_it_does_not_open(error))) from None
    try:
        check_contents(con, Path(path), current_catalog(con), tables)
    except UserError:
        con.close()
        raise
    return con


def check_database(path: Path, tables: tuple[str, ...] = SCRUTINY_TABLES) -> None:
    """Refuse, with one line, a database that is missing, does not open cleanly, is cut short or is
    not a scrutiny database."""
    open_read_only(path, tables).close()


def current_catalog(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("select current_database()").fetchone()[0]


def check_contents(con: duckdb.DuckDBPyConnection, path: Path, catalog: str, tables: tuple[str, ...]) -> None:
    """The file at `path`, open in `con` as `catalog`, is whole and has these tables."""
    _check_whole(con, path, catalog)
    for table in tables:
        try:
            # the table names are this module's; the catalog is the file's name, quoted (both.duckdb
            # is catalog "both", an SQL keyword)
            con.execute(f"select count(*) from {_sql_identifier(catalog)}.{table}")
        except duckdb.IOException as error:
            raise UserError(damaged_database(path, why_it_does_not_open(error))) from None
        except duckdb.Error:
            raise UserError(not_a_database(path, f"it has no {table} table")) from None


def _check_whole(con: duckdb.DuckDBPyConnection, path: Path, catalog: str) -> None:
    # A file cut short (a copy that ran out of disk, half a download) still opens, and answers every
    # query whose blocks are in the part that is left: `yoy` printed figures from one, and an
    # import copied it, changed it and put a still broken file in place. Its header counts the
    # blocks in use, and each of those is somewhere in the file, so a file shorter than them is
    # refused before anything reads or writes it. (Not the total count: free blocks at the end are
    # cut off by a checkpoint, so a whole file can be shorter than all of its blocks.)
    block_size, used_blocks = con.execute(
        "select block_size, used_blocks from pragma_database_size() where database_name = ?", [catalog]).fetchone()
    expected, size = FILE_HEADER_BYTES + used_blocks * block_size, os.stat(path).st_size
    if size < expected:
        raise UserError(damaged_database(path, f"the file is cut short: {size:,} bytes, but the blocks in use "
                                               f"need {expected:,}"))


def why_it_does_not_open(error: duckdb.Error) -> str:
    """DuckDB's reason in a few words (its own message names the file again, with its whole path)."""
    message = str(error).splitlines()[0]
    if "not a valid DuckDB database file" in message:
        return "it is not a DuckDB database file"
    if "Could not read enough bytes" in message:
        return "the file is cut short"
    if "Corrupt database file" in message:
        return "a part of the file fails its checksum"
    return message.removeprefix("IO Error: ")


def is_damage(error: duckdb.Error) -> bool:
    """True for DuckDB's errors about a damaged database file (not about a query or an input)."""
    message = str(error)
    return "Corrupt database file" in message or "Could not read enough bytes from file" in message


class FileReplaced(Exception):
    """The database file was replaced by a new one while it was being opened: open it again."""


class ReadOnlySnapshot:
    """A read-only view of one database file as it was when opened.

    DuckDB's Python client shares one database instance per path within a process, so a plain
    second connect() after a new file is renamed into place would still see the old file. Attaching
    the file to a private in-memory instance opens whatever file is at the path now.

    `version` is the version (file_version) of the file that was read: the file at the path is
    looked at before and after it is opened, and if an import renamed a new file into place in
    between, FileReplaced is raised and the caller opens again.

    With `upgrade_in_memory`, a file made by an earlier version is read through an upgraded private
    copy (`upgraded` is then True): the app reads it as this version expects and never writes it
    (`python -m scrutiny upgrade` upgrades the file itself).
    """

    ALIAS = "scrutiny"

    def __init__(self, path: Path, upgrade_in_memory: bool = False):
        self.upgraded = False
        try:
            self.version = file_version(path)
        except FileNotFoundError:
            raise UserError(no_such_database(path)) from None
        self._con = duckdb.connect()
        try:
            self._con.execute(f"attach {_sql_string(str(path))} as {self.ALIAS} (read_only)")
            check_contents(self._con, Path(path), self.ALIAS, SCRUTINY_TABLES)
            if upgrade_in_memory and _lacks_upgrade(self._con, self.ALIAS):
                self._con.execute(f"detach {self.ALIAS}")
                self._attach_an_upgraded_copy(Path(path))
                self.upgraded = True
            self._check_still(path)
        except duckdb.Error as error:
            self._con.close()
            self._check_still(path)  # a file renamed away mid-open is not a broken file
            raise UserError(not_a_database(path, why_it_does_not_open(error))) from None
        except UserError:
            self._con.close()
            self._check_still(path)
            raise
        except FileReplaced:
            self._con.close()
            raise

    def _check_still(self, path: Path) -> None:
        try:
            replaced = file_version(path) != self.version
        except FileNotFoundError:
            replaced = True
        if replaced:
            raise FileReplaced(path)

    def _attach_an_upgraded_copy(self, source: Path) -> None:
        # A private copy in the temporary folder, upgraded and attached read-only; its name is
        # removed at once (the open file stays readable until the snapshot closes), so nothing is
        # left behind. Copying inside DuckDB (COPY FROM DATABASE) breaks on foreign keys.
        with tempfile.TemporaryDirectory(prefix="scrutiny-upgraded-") as folder:
            copy = Path(folder) / source.name
            shutil.copyfile(source, copy)
            with duckdb.connect(str(copy)) as con:
                run_upgrade_files(con)
                con.execute("checkpoint")
            self._con.execute(f"attach {_sql_string(str(copy))} as {self.ALIAS} (read_only)")

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor per query: one DuckDB connection must not be shared between threads."""
        cursor = self._con.cursor()
        cursor.execute(f"use {self.ALIAS}")
        return cursor

    def close(self) -> None:
        self._con.close()


def file_version(path: Path) -> tuple[int, int]:
    """Which file is at `path` now: its inode and modification time. A write renames a new file
    into place, so a new inode means new contents."""
    status = os.stat(path)
    return status.st_ino, status.st_mtime_ns


def _sql_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_string(text: str) -> str:
    # ATTACH takes no parameters; the path is ours (from config), quoted as an SQL string literal.
    return "'" + text.replace("'", "''") + "'"


def run_schema_file(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute((SCHEMA_DIR / name).read_text())


# Schema files every statement of which can run again: they run on every new database, before
# each import and in an upgrade, so databases built by earlier versions get what they add.
UPGRADE_FILES = (
    "05_imports.sql",    # the importers' tables (scrutiny/load/)
    "06_geography.sql",  # boundaries and populations (scrutiny/geography/)
    "07_step_changes.sql",  # the plan's step changes (scrutiny/plan/); it references 01's measures
    "08_macros.sql",     # rules written once, as macros (they read 05's area_rules)
    "09_meetings.sql",   # the panel's meetings and its officers' questions (scrutiny/plan/); references 01's measures
    "10_place_ratings.sql",  # the partnership units and every force's and partnership's ratings (scrutiny/rate/place_ratings.py)
)
MACROS = ("lsoa_district", "area_of_lsoa", "shipped_lsoa_areas", "rate_per_1000", "change_pct")  # what 08_macros.sql makes


def run_upgrade_files(con: duckdb.DuckDBPyConnection) -> None:
    for name in UPGRADE_FILES:
        run_schema_file(con, name)


@contextlib.contextmanager
def _replacing(target: Path, copy_existing: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """Work on a temporary file beside `target` and rename it into place only on success, under
    the writer lock. The new file keeps the old one's mode and owner, and a symlinked `target` keeps
    its link (its target file is the one replaced)."""
    target = real_file(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with lock.writer_lock(target):
        sweep_leftovers(target)
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        temp = Path(temp_name)
        try:
            try:
                if copy_existing:
                    shutil.copyfile(target, temp)
                else:
                    temp.unlink()  # DuckDB refuses to open an empty file as a database
            except OSError as error:  # a full disk: the partial copy goes in the finally below
                raise UserError(f"{target}: could not copy the database to change it ({error.strerror}); "
                                "it is unchanged") from None
            con = duckdb.connect(str(temp))
            try:
                yield con
                con.execute("checkpoint")
            finally:
                con.close()
            try:
                _keep_mode_and_owner(temp, target)
                os.replace(temp, target)
            except OSError as error:
                raise UserError(f"{target}: could not put the new database in place ({error.strerror}); "
                                "it is unchanged") from None
        finally:
            for leftover in (temp, temp.with_name(temp.name + ".wal")):
                leftover.unlink(missing_ok=True)


def real_file(path: Path) -> Path:
    """The file a (possibly symlinked) database path names: writes replace it, not the link."""
    return Path(os.path.realpath(path))


def sweep_leftovers(target: Path) -> None:
    """Remove the temporary files of writes that were killed before they could (kill -9, a power
    cut). Called under the writer lock, so no live write owns them."""
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp*"):
        if leftover.suffix in (".tmp", ".wal"):
            leftover.unlink(missing_ok=True)


def _keep_mode_and_owner(new: Path, old: Path) -> None:
    """Give the new file the old one's permissions and owner (mkstemp makes it 0600, readable by
    this user only, which an app running as another user could not read). A new database gets the
    usual mode for a new file (0666 less the umask)."""
    try:
        before = old.stat()
    except FileNotFoundError:
        os.chmod(new, 0o666 & ~_umask())
        return
    os.chmod(new, stat.S_IMODE(before.st_mode))
    if (before.st_uid, before.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(PermissionError):  # only root may give a file away
            os.chown(new, before.st_uid, before.st_gid)


def _umask() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


@contextlib.contextmanager
def new_database(target: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a fresh database with the schema; on success it replaces `target`."""
    with _replacing(target, copy_existing=False) as con:
        run_schema_file(con, "01_tables.sql")
        run_upgrade_files(con)
        yield con


@contextlib.contextmanager
def changed_copy(target: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a copy of `target`; on success the copy replaces it. Readers keep the
    old file until then, and a failure leaves it exactly as it was. A target that is not a whole
    scrutiny database is refused before anything is copied or written."""
    with lock.writer_lock(real_file(target)):  # checked under the lock: the file that is copied
        check_database(target)  # another application's file with an `areas` table is not ours
        with _replacing(target, copy_existing=True) as con:
            yield con


def needs_upgrade(path: Path) -> bool:
    """True for a database made by an earlier version: before maps (no boundaries table), before
    step changes (no measure_step_changes table), before meetings and questions (no panel_meetings
    or panel_questions table), before every force and partnership was rated (no place_ratings table or
    partnership_units view) or before the rules were written once as macros
    (a macro of 08_macros.sql missing)."""
    snapshot = ReadOnlySnapshot(path)
    try:
        return _lacks_upgrade(snapshot.cursor(), ReadOnlySnapshot.ALIAS)
    finally:
        snapshot.close()


def _lacks_upgrade(con: duckdb.DuckDBPyConnection, catalog: str) -> bool:
    tables = con.execute(
        "select table_name from information_schema.tables where table_catalog = ?", [catalog]).fetchall()
    macros = con.execute("""
        select function_name from duckdb_functions()
        where database_name = ? and function_type in ('macro', 'table_macro')
    """, [catalog]).fetchall()
    missing_table = not {("boundaries",), ("measure_step_changes",), ("panel_meetings",), ("panel_questions",),
                         ("place_ratings",), ("partnership_units",), ("partnership_unit_areas",)} <= set(tables)
    return missing_table or not {(name,) for name in MACROS} <= set(macros)


def upgrade(path: Path) -> None:
    """Bring a database made by an earlier version up to this one's schema, in place: a copy is
    upgraded and renamed over it, so its data (imported or demo) is kept and readers never see
    half an upgrade. Every schema statement this runs can run again."""
    with changed_copy(path) as con:
        run_upgrade_files(con)
