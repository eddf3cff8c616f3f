"""What every importer writes beside its figures (the copy it writes into is store/writes.py,
the rollups and ratings after it rate/ratings.finish): provenance, the home force, the plan of a
new database, and the rules for a demonstration database:
- A database is a demonstration one while its provenance has a 'demo' source. Real and
  synthetic figures must never be mixed in one series, so the first import of a series (a force's
  crime counts, or one measure of a force) removes that series' synthetic figures, and
  imported_series records that it is real from then on.
- The 'demo' provenance line is then rewritten to say what is still synthetic (peer forces, the
  measures no return has replaced ...), and removed when nothing synthetic is left, so the
  app's "Demonstration data" notice shows exactly while some figures are synthetic.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb

from scrutiny.store import db, queries
from scrutiny.core.crime_types import CRIME_TYPES, counts_as_recorded_crime
from scrutiny.core.errors import UserError
from scrutiny.core.months import month_label
from scrutiny.core.paths import DEMO_DIR
from scrutiny.load.outcomes import CHARGE_MEASURE
from scrutiny.plan.plan_file import Plan, load_plan
from scrutiny.plan.questions_file import beside, load_questions
from scrutiny.plan.tables import write_plan, write_questions

DEMO_PLAN = DEMO_DIR / "plan.yaml"  # the demo database's plan; on real data, only its crime measures
CRIME_COUNTS = "crime counts"  # imported_series.series for a force's street records
# provenance.source of the lines this package writes, one per force or file (imported_files has
# the detail of every file).
SOURCE_PREFIX = {"street": "data.police.uk: ", "home office": "Home Office: ", "returns": "Office returns: "}


def ensure_crime_types(con: duckdb.DuckDBPyConnection) -> None:
    queries.write(con, "load/crime_types", crime_types=list(CRIME_TYPES),
                  in_all_crime=[counts_as_recorded_crime(t) for t in CRIME_TYPES],
                  sort_orders=list(range(1, len(CRIME_TYPES) + 1)))


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("select count(*) from provenance where source = 'demo'").fetchone()[0] > 0


def claim_series(con: duckdb.DuckDBPyConnection, force_id: str, series: str) -> bool:
    """Record that the force's series now holds real figures. In a demo database, the first time,
    its synthetic figures are removed (measure values here; crime counts are rebuilt from the
    imported records by the caller). True if synthetic figures were there to remove."""
    known = con.execute("select count(*) from imported_series where force_id = ? and series = ?",
                        [force_id, series]).fetchone()[0]
    if known:
        return False
    con.execute("insert into imported_series values (?, ?)", [force_id, series])
    if not is_demo(con):
        return False
    if series == CRIME_COUNTS:
        return queries.write(con, "load/force_counts", force=force_id).fetchone()[0] > 0
    synthetic = queries.write(con, "load/force_measure_values", force=force_id, measure=series).fetchone()[0]
    queries.write(con, "load/synthetic_values", force=force_id, measure=series)
    return synthetic > 0


def rewrite_demo_provenance(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the 'demo' provenance lines with one saying what is still synthetic, or none."""
    counts = queries.write(con, "load/still_synthetic_counts").fetchall()
    measures = queries.write(con, "load/still_synthetic_measures").fetchall()
    con.execute("delete from provenance where source = 'demo'")
    if not counts and not measures:
        return
    parts = []
    if counts:
        parts.append("crime counts of " + ", ".join(name for name, *_ in counts))
    if measures:
        parts.append("the measures " + ", ".join(name for name, *_ in measures))
    rows = counts + measures
    con.execute("insert into provenance values ('demo', ?, ?, ?, ?, null, null)", [
        "Demonstration data: synthetic figures, not official statistics, remain for "
        + "; and ".join(parts) + ". Everything else was imported (see the other sources).",
        sum(r[1] for r in rows), min(r[2] for r in rows), max(r[3] for r in rows)])


def record_files(con: duckdb.DuckDBPyConnection, rows: list[tuple], replace_by_month: bool) -> None:
    """Add imported_files rows (kind, file_name, force_id, first_month, last_month, row_count,
    sha256, loaded_at). A file replaces the earlier record of the same kind and file name, and,
    for data.police.uk files, of the same force and month whatever its name."""
    con.execute("create or replace temp table new_files as select * from imported_files limit 0")
    kinds, names, forces, firsts, lasts, counts, sha, loaded = (list(column) for column in zip(*rows))
    queries.write(con, "load/new_files", kinds=kinds, names=names, forces=forces, firsts=firsts, lasts=lasts,
                  rows=counts, sha=sha, loaded=loaded)
    queries.write(con, "load/replaced_files", by_month=replace_by_month)
    con.execute("insert into imported_files select * from new_files")


def rebuild_provenance(con: duckdb.DuckDBPyConnection) -> None:
    """One provenance line per force (data.police.uk) or file (Home Office, returns), from imported_files."""
    for prefix in SOURCE_PREFIX.values():
        con.execute("delete from provenance where starts_with(source, ?)", [prefix])
    forces = queries.write(con, "load/street_provenance").fetchall()
    for force_name, files, outcome_files, rows, first, last, loaded in forces:
        extra = f" and {outcome_files} outcomes files" if outcome_files else ""
        con.execute("insert into provenance values (?, ?, ?, ?, ?, null, ?)", [
            SOURCE_PREFIX["street"] + force_name,
            f"Street-level crime records from data.police.uk (Open Government Licence v3.0): {files} monthly "
            f"street files{extra}, {month_label(first)} to {month_label(last)}. Records with no location or "
            "outside the force are counted but not placed in an area.",
            rows or 0, first, last, loaded])
    for kind, name, rows, first, last, sha, loaded in queries.write(con, "load/file_records").fetchall():
        what = ("Police recorded crime by Community Safety Partnership, Home Office open data tables"
                if kind == "home office" else "The office's own figures (returns)")
        con.execute("insert into provenance values (?, ?, ?, ?, ?, ?, ?)",
                    [SOURCE_PREFIX[kind] + name, f"{what}, from {name}.", rows, first, last, sha, loaded])


def ensure_plan(con: duckdb.DuckDBPyConnection, plan_path: Path | None) -> None:
    """A new database gets the plan file given (its measures say what to rate) with the officers'
    questions file beside it, if there is one, or, with no plan, the crime measures only (see
    crime_measures_only); an existing one keeps its own."""
    db.run_schema_file(con, "02_rollups.sql")  # 03_plan.sql's view reads its table
    db.run_schema_file(con, "03_plan.sql")
    if not con.execute("select count(*) from measures").fetchone()[0]:
        if plan_path is None:
            write_plan(con, crime_measures_only(load_plan(DEMO_PLAN)))
            return
        plan = load_plan(plan_path)
        questions = load_questions(beside(plan_path), plan) if beside(plan_path).exists() else ()
        write_plan(con, plan)
        write_questions(con, questions)


def crime_measures_only(plan: Plan) -> Plan:
    """What a real database shows until the Police and Crime Plan is loaded: the measures the
    street files give (crime counts, and the charge or summons rate from their outcomes), rated
    from the real figures, and nothing the demonstration plan invents: no themes or objectives
    (they are the Commissioner's words), no office statuses, no measures that need the office's
    returns, no step changes and no meetings (the office decides those). The definitions (names, directions,
    descriptions) are the demonstration plan's, so a measure means the same in both."""
    measures = tuple(replace(m, theme_id=None, objective_ids=())
                     for m in plan.measures if m.source == "crime" or m.id == CHARGE_MEASURE)
    return Plan(themes=(), measures=measures, step_changes=(), meetings=())


def home_to_be(con: duckdb.DuckDBPyConnection, wanted: str | None, first_imported: str) -> str:
    """The force set_home will make the home one: --home FORCE, else the home force already there,
    else (a new database) the first force imported."""
    current = con.execute("select force_id from forces where is_home").fetchall()
    return wanted or (current[0][0] if current else first_imported)


def set_home(con: duckdb.DuckDBPyConnection, wanted: str | None, first_imported: str) -> None:
    """--home FORCE, else keep the home force, else (a new database) the first force imported."""
    forces = {f for (f,) in con.execute("select force_id from forces").fetchall()}
    if wanted is not None and wanted not in forces:
        raise UserError(f"--home {wanted}: no such force in the database (forces: {', '.join(sorted(forces))})")
    home = home_to_be(con, wanted, first_imported)
    con.execute("update forces set is_home = (force_id = ?)", [home])
