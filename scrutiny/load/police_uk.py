"""`import police-uk`: data.police.uk street (and outcomes) files into the database.

Three steps, and nothing is written to the database until the first two have passed:
1. Check each file's first bytes (inputs.py): empty, gzip, encoding, header.
2. Read every file with DuckDB, in batches of files (one read_csv and one GROUP BY each, which
   also drives the progress bar), into a staging database in a work folder: counts by file,
   month, LSOA and crime type, and by file, month, crime type and outcome. Then check the
   values: months well-formed and agreeing with the file names, known crime types and outcomes,
   one force per file, one file per force and month. Any problem, from DuckDB or from the
   values, is pinned to a line by diagnose.py and reported as `FILE line N: problem`.
3. In a copy of the database (store/writes.py), replace the imported forces' months, rebuild their
   areas' counts from LSOA level (geography/areas.py), the charge or summons rate (outcomes.py),
   provenance, rollups and ratings, and rename the copy into place.
Importing a month again replaces it (the unit is a force and a month), so nothing is counted twice.
The work is DuckDB's, never a Python loop over records: the same code serves one force or all.
"""
from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from scrutiny.core.crime_types import CRIME_TYPES
from scrutiny.core import bounds
from scrutiny.core.errors import UserError
from scrutiny.geography import areas as geography
from scrutiny.geography import remapping
from scrutiny.core.files import now, sha256_of
from scrutiny.store import queries, writes
from scrutiny.rate.ratings import finish
from scrutiny.load import target
from scrutiny.load.diagnose import first_problem
from scrutiny.load.inputs import COLUMNS, InputFile, find_files, inspect
from scrutiny.load.outcomes import CHARGE_MEASURE, KNOWN_OUTCOMES, write_charge_rate
from scrutiny.load.progress import Progress
from scrutiny.core.months import BadMonth, month_key, parse_month
from scrutiny.core.scratch import scratch_folder

# Files per read_csv: up to this many bytes of one force's files. Each statement costs DuckDB a
# fixed setup (tens of milliseconds of work: at 8 files a batch, 645 statements for the national
# archive cost more than the reading); a batch this size is still read in a few seconds, so the
# bar stays lively, and its groups are a few hundred thousand rows, so memory stays small.
BATCH_BYTES = 128 * 2 ** 20


@dataclass
class ForceReport:
    force_id: str
    force_name: str
    street_files: int = 0
    outcomes_files: int = 0
    records: int = 0
    months: set = field(default_factory=set)
    remapped: geography.Remapped | None = None
    charge_months: int = 0
    replaced_synthetic: bool = False


@dataclass
class ImportReport:
    forces: dict[str, ForceReport]
    skipped: list[Path]
    ratings: int
    seconds: dict[str, float] = field(default_factory=dict)  # by step, for the benchmark


def import_police_uk(paths: list[Path], database: Path, areas: Path | None = None, home: str | None = None,
                     plan: Path | None = None, progress: Progress | None = None) -> ImportReport:
    clock = _Clock()
    mapping = geography.read_mapping(areas) if areas else None
    candidates, skipped = find_files(paths)
    with scratch_folder("import") as workdir:
        files = [inspect(path, workdir) for path in candidates]
        progress = progress or Progress(len(files))
        staged = _stage(files, workdir / "staging.duckdb", progress)
        progress.finish()
        clock.lap("read and check")
        if mapping and mapping.force_id not in staged.forces:
            raise UserError(f"{areas}: the mapping is for {mapping.force_id}, which is not in the files imported "
                            "(to re-map a force already imported, use: import areas FILE)")
        with writes.changed_database(database, create=True) as (con, _new):
            target.ensure_plan(con, plan)
            home_force = target.home_to_be(con, home, next(iter(staged.forces)))
            reports = _write(con, staged, mapping, home_force)
            target.set_home(con, home, next(iter(staged.forces)))
            clock.lap("write")
            ratings = finish(con)
            clock.lap("rollups and ratings")
        clock.lap("save")
    return ImportReport(reports, skipped, ratings, clock.laps)


class _Clock:
    def __init__(self):
        self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.last
        self.last = now


def import_areas(mapping_path: Path, database: Path, limit: bounds.Limit = bounds.AREA_MAPPING) -> geography.Remapped:
    """Re-map a force already imported: new rules, the same records, no files read again."""
    mapping = geography.read_mapping(mapping_path, limit)
    with writes.changed_database(database, create=False) as (con, _new):
        geography.load_lookups(con)
        name = con.execute("select force_name from forces where force_id = ?", [mapping.force_id]).fetchone()
        if not name or not con.execute("select count(*) from lsoa_counts where force_id = ?",
                                       [mapping.force_id]).fetchone()[0]:
            raise UserError(f"{mapping_path}: the mapping is for {mapping.force_id}, whose data.police.uk "
                            "records have not been imported")
        geography.set_rules(con, mapping)
        remapped = remapping.remap_force(con, mapping.force_id, name[0])
        finish(con)
    return remapped


# --- step 2: read and check every file ---------------------------------------------------------

@dataclass
class Staged:
    path: Path
    forces: dict[str, ForceReport]         # in the order first met
    files: list[tuple]                     # imported_files rows, loaded_at filled in later


_READ_OPTIONS = ("header = true, delim = ',', quote = '\"', escape = '\"', auto_detect = false, "
                 "strict_mode = true, filename = true, columns = {columns}")


def _read_csv(kind: str) -> str:
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS[kind]) + "}"
    return f"read_csv($files, {_READ_OPTIONS.format(columns=columns)})"


# One pass per batch, two groupings: by LSOA (the counts) and by outcome (the rate, and every
# distinct value that is checked), both per file so that every value can be traced to its file.
# An LSOA code has one name, so the name is carried along rather than grouped by (it is faster).
# DuckDB checks that text is UTF-8 only in the columns a query reads, so the other columns are
# read too, named in one coalesce counted into a column nothing uses: a byte that is not UTF-8
# anywhere stops the import. (One aggregate, not a count of each column: every aggregate is kept
# for every group of both groupings, and the LSOA groups are nearly as many as the records.)
_NOT_GROUPED = {"street": ("Crime ID", "Reported by", "Longitude", "Latitude", "Location", "Context"),
                "outcomes": ("Crime ID", "Reported by", "Longitude", "Latitude", "Location", "LSOA code", "LSOA name")}


def _every_other_column(kind: str) -> str:
    return "count(coalesce(" + ", ".join(f'"{c}"' for c in _NOT_GROUPED[kind]) + "))"


_STREET_BATCH = f"""
    insert into street_groups
    select filename, "Month", "Falls within", "LSOA code", any_value("LSOA name"), "Crime type",
           "Last outcome category", grouping("LSOA code") = 0, count(*),
           {_every_other_column('street')}
    from {_read_csv('street')}
    group by grouping sets (
        (filename, "Month", "LSOA code", "Crime type"),
        (filename, "Month", "Falls within", "Crime type", "Last outcome category"))
"""
_OUTCOMES_BATCH = f"""
    insert into outcome_groups
    select filename, "Month", "Falls within", "Outcome type", count(*), {_every_other_column('outcomes')}
    from {_read_csv('outcomes')}
    group by all
"""


def _stage(files: list[InputFile], path: Path, progress: Progress) -> Staged:
    con = duckdb.connect(str(path))
    # Each file's SHA-256 (for provenance) is computed in a thread while DuckDB reads: hashlib
    # releases the GIL, so it costs next to nothing.
    hashing = ThreadPoolExecutor(max_workers=1)
    hashes = {f.path: hashing.submit(sha256_of, f.path) for f in files}
    try:
        # The staging database's own tables: a schema, not a statement to test against the main
        # database, so it stays here beside the batches that fill it (built from Python).
        con.execute("""
            create table street_groups (file varchar, month_text varchar, falls_within varchar, lsoa_code varchar,
                                        lsoa_name varchar, crime_type varchar, outcome varchar, by_lsoa boolean,
                                        n bigint, read_check bigint);
            create table outcome_groups (file varchar, month_text varchar, falls_within varchar, outcome varchar,
                                         n bigint, read_check bigint);
        """)
        # One transaction for the whole staging: a commit per batch would make DuckDB write (and
        # sync) its log hundreds of times; the staging database is thrown away on any failure.
        con.begin()
        for kind, sql, table in (("street", _STREET_BATCH, "street_groups"), ("outcomes", _OUTCOMES_BATCH, "outcome_groups")):
            for batch in _batches([f for f in files if f.kind == kind]):
                names = [str(f.read_path) for f in batch]
                before = con.execute(f"select count(*) from {table}").fetchone()[0]
                try:
                    con.execute(sql, {"files": names})
                except duckdb.Error as error:
                    raise _pinned(batch, error) from None
                # The batch's records, from the rows just added (by row id: the whole table, which
                # grows to tens of millions of LSOA groups nationally, is never scanned per batch).
                where = "and not by_lsoa" if kind == "street" else ""
                rows = con.execute(f"select coalesce(sum(n), 0) from {table} where rowid >= $before {where}",
                                   {"before": before}).fetchone()[0]
                progress.advance(len(batch), rows)
        staged = _check_values(con, files, path, {p: h.result() for p, h in hashes.items()})
        _shape(con, staged, files)
        con.commit()
        return staged
    finally:
        hashing.shutdown(cancel_futures=True)
        con.close()


def _batches(files: list[InputFile]) -> list[list[InputFile]]:
    """The files in batches of one force each (by the file name's force; up to BATCH_BYTES), in
    force and month order: the staged groups, and so lsoa_counts, are then stored force by force, so that the
    write's per-force statements read only their force's blocks of rows (DuckDB skips the others
    by their min-max statistics) rather than every force's. What is reported stays in the order
    the files were given (_check_values)."""
    ordered = sorted(files, key=lambda f: (f.name_force or "", f.name_month or dt.date.min, str(f.path)))
    batches: list[list[InputFile]] = []
    for file in ordered:
        last = batches[-1] if batches else None
        if (last and last[0].name_force == file.name_force
                and sum(f.size for f in last) + file.size <= BATCH_BYTES):
            last.append(file)
        else:
            batches.append([file])
    return batches


def _pinned(batch: list[InputFile], error: duckdb.Error) -> UserError:
    """DuckDB could not read a batch: find the file and line in Python, starting with the file
    DuckDB's message names (a batch can be many files; reading them all in Python is slow)."""
    message = str(error)
    for file in sorted(batch, key=lambda f: str(f.read_path) not in message):
        problem = first_problem(file, file.name_force)
        if problem:
            return UserError(problem)
    first_line = message.splitlines()[0]
    return UserError(f"{', '.join(str(f.path) for f in batch)}: could not be read ({first_line})")


def _check_values(con: duckdb.DuckDBPyConnection, files: list[InputFile], path: Path,
                  hashes: dict[Path, str]) -> Staged:
    """Check the distinct values of every file (a few thousand, not the records); a file with
    a bad one is read again in Python to find its line."""
    per_file = {file: {"months": set(months), "falls": set(falls), "types": set(types),
                       "outcomes": set(outcomes), "rows": rows}
                for file, months, falls, types, outcomes, rows in queries.write(con, "load/staged_facts").fetchall()}

    forces: dict[str, ForceReport] = {}
    file_rows, owner = [], {}
    known_forces = geography.force_ids()
    for file in files:
        seen = per_file.get(str(file.read_path))
        if seen is None:
            raise UserError(f"{file.path}: has a header but no rows")
        force_id = _force_of(file, seen, known_forces)
        months = _months_of(file, seen, force_id)
        for month in months:
            key = (file.kind, force_id, month)
            if key in owner:
                raise UserError(f"{file.path}: {force_id} {month_key(month)} is also in {owner[key]}; "
                                "import one file per force and month")
            owner[key] = file.path
        report = forces.setdefault(force_id, ForceReport(force_id, sorted(seen["falls"])[0]))
        report.months |= set(months)
        if file.kind == "street":
            report.street_files += 1
            report.records += seen["rows"]
        else:
            report.outcomes_files += 1
        file_rows.append([file.kind, file.path.name, force_id, min(months), max(months), seen["rows"],
                          hashes[file.path], None, str(file.read_path)])
    return Staged(path, forces, file_rows)


def _force_of(file: InputFile, seen: dict, known: set[str]) -> str:
    """The file's force: from its name, else its rows; every row must be of that one force."""
    falls = seen["falls"]
    named = {geography.force_id_from_name(f) for f in falls if f}
    force_id = file.name_force or (next(iter(named)) if len(named) == 1 else None)
    if force_id is not None and force_id not in known:
        raise UserError(f"{file.path}: {force_id!r} is not a police force of England and Wales with districts "
                        "(data/areas/districts.csv lists them)")
    if None in falls or named != {force_id}:
        raise UserError(first_problem(file, force_id)
                        or f"{file.path}: its 'Falls within' column does not name one force")
    return force_id


def _months_of(file: InputFile, seen: dict, force_id: str) -> list[dt.date]:
    months, bad = set(), False
    for text in seen["months"]:
        try:
            months.add(parse_month(text))
        except (BadMonth, TypeError):
            bad = True
    bad = (bad or (file.name_month is not None and months != {file.name_month})
           or (seen["types"] - set(CRIME_TYPES)) or (seen["outcomes"] - set(KNOWN_OUTCOMES) - {None}))
    if bad:
        raise UserError(first_problem(file, force_id) or f"{file.path}: has a bad month, crime type or outcome")
    return sorted(months)


def _shape(con: duckdb.DuckDBPyConnection, staged: Staged, files: list[InputFile]) -> None:
    """Which force each file is of, and the force-months each kind of file replaces. The counts
    themselves are shaped on their way into the database (_replace_months), not stored twice."""
    con.execute("create table file_forces (file varchar, force_id varchar, kind varchar)")
    con.execute("insert into file_forces select unnest($files), unnest($forces), unnest($kinds)",
                {"files": [row[8] for row in staged.files], "forces": [row[2] for row in staged.files],
                 "kinds": [row[0] for row in staged.files]})
    queries.write(con, "load/force_months")


# --- step 3: write ---------------------------------------------------------------------------

def _write(con: duckdb.DuckDBPyConnection, staged: Staged, mapping: geography.Mapping | None,
           home_force: str) -> dict[str, ForceReport]:
    con.execute(f"attach '{_sql_quote(staged.path)}' as staging (read_only)")
    geography.load_lookups(con)
    target.ensure_crime_types(con)
    for report in staged.forces.values():
        queries.write(con, "load/force_names", force=report.force_id, force_name=report.force_name)
    _replace_months(con)

    was_demo, replaced = target.is_demo(con), False
    for force_id, report in staged.forces.items():
        if mapping and mapping.force_id == force_id:
            geography.set_rules(con, mapping)
        elif not geography.has_rules(con, force_id):
            geography.set_rules(con, geography.default_mapping(force_id, home=force_id == home_force))
        if report.street_files:
            report.replaced_synthetic = target.claim_series(con, force_id, target.CRIME_COUNTS)
        report.remapped = remapping.remap_force(con, force_id, report.force_name)
        if report.street_files and con.execute("select count(*) from measures where measure_id = ?",
                                               [CHARGE_MEASURE]).fetchone()[0]:
            report.replaced_synthetic |= target.claim_series(con, force_id, CHARGE_MEASURE)
            report.charge_months = write_charge_rate(con, force_id)
        replaced |= report.replaced_synthetic

    loaded_at = now()
    target.record_files(con, [tuple(row[:7]) + (loaded_at,) for row in staged.files], replace_by_month=True)
    target.rebuild_provenance(con)
    if was_demo and replaced:
        target.rewrite_demo_provenance(con)
    con.execute("detach staging")
    return staged.forces


def _replace_months(con: duckdb.DuckDBPyConnection) -> None:
    """Each force-month in the files replaces what the database had for it: idempotent."""
    for statement in ("replaced_lsoa_counts", "replaced_unlocated_counts", "replaced_outcome_counts",
                      "staged_months", "staged_names", "lsoa_counts", "unlocated_counts", "outcome_counts"):
        queries.write(con, f"load/{statement}")


def _sql_quote(path: Path) -> str:
    return str(path).replace("'", "''")
