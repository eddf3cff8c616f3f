"""`setup --force FORCE`: a new database for any force's panel, ready for `fetch` to fill.

What it holds before any crime record is loaded: the force and its areas (its Community Safety
Partnerships from data/areas/districts.csv, or an area mapping the office wrote, `--areas`), their
Census 2021 populations (shipped), the district and force outlines shipped in data/areas/ (loaded
by the `import boundaries` code), the crime measures the street files give (or the office's plan,
`--plan`), and the force as the home force. Beside the database it writes two files for the
office to edit, never over an existing one: a starter plan (PLAN_SUFFIX) and the peer group
(PEERS_SUFFIX, read by the Compare forces page).

The same safety as the importers: everything is checked first, the database is written as a new
file under the writer lock and renamed into place, and a failure (an unknown force, a database or
plan file already there) changes nothing.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from scrutiny.core.errors import UserError
from scrutiny.geography import areas as geography
from scrutiny.geography import remapping
from scrutiny.geography.boundaries import read_boundaries, write_boundaries
from scrutiny.geography.shipped_boundaries import SHIPPED
from scrutiny.load import target
from scrutiny.load.office_files import PEERS_SUFFIX, PLAN_SUFFIX, beside, peers_text, starter_plan_text
from scrutiny.store import queries, writes


@dataclass
class SetupReport:
    force_id: str
    force_name: str
    areas: list[str]              # area names, in order
    population: int
    boundaries: int               # district and force outlines loaded
    plan_file: Path | None        # the starter plan written (None when --plan was given)
    peers_file: Path
    seconds: float


def setup_force(force_id: str, database: Path, areas: Path | None = None, plan: Path | None = None) -> SetupReport:
    started = time.perf_counter()
    force_id = geography.force_id_from_name(force_id)  # 'Lancashire' or 'Lancashire Constabulary': lancashire
    known = geography.force_ids()
    if force_id not in known:
        raise UserError(f"--force {force_id}: not a police force of England and Wales; the forces are "
                        + ", ".join(sorted(known)))
    mapping = geography.read_mapping(areas) if areas else geography.default_mapping(force_id, home=True)
    if mapping.force_id != force_id:
        raise UserError(f"{areas}: the mapping is for {mapping.force_id}, not {force_id}")
    plan_file = None if plan else beside(database, PLAN_SUFFIX)
    peers_file = beside(database, PEERS_SUFFIX)
    for path, what in ((database, "a database"), (plan_file, "a plan file"), (peers_file, "a peer group file")):
        if path is not None and path.exists():
            raise UserError(f"{path}: {what} is already there; setup makes a new one and never overwrites "
                            "(move it away, or give another --db)")
    checked = read_boundaries(list(SHIPPED))  # read and checked before the database is touched
    force_name = next(d["force_area_name"] for d in geography.districts().values() if d["force_id"] == force_id)
    starter_plan = starter_plan_text(force_name, force_id) if plan_file else None
    written: list[Path] = []
    try:
        with writes.changed_database(database, create=True) as (con, new):
            if not new:  # made by another command since the check above
                raise UserError(f"{database}: a database is already there; setup makes a new one")
            target.ensure_plan(con, plan)
            geography.load_lookups(con)
            target.ensure_crime_types(con)
            queries.write(con, "load/force_names", force=force_id, force_name=force_name)
            geography.set_rules(con, mapping)
            remapping.remap_force(con, force_id, force_name)
            target.set_home(con, force_id, force_id)
            loaded = write_boundaries(con, checked)
            made = con.execute("select area_name from areas where force_id = ? and parent_id is not null "
                               "order by sort_order", [force_id]).fetchall()
            total = con.execute("select population from areas where area_id = ?", [force_id]).fetchone()[0]
            # The office's files last, inside the block: if the database is not renamed into
            # place they are removed again, so a failure leaves nothing behind.
            if plan_file:
                _write_new(plan_file, starter_plan)
                written.append(plan_file)
            _write_new(peers_file, peers_text(force_id))
            written.append(peers_file)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return SetupReport(force_id, force_name, [name for (name,) in made], total or 0,
                       sum(len(f.shapes) for f in loaded.files), plan_file, peers_file,
                       time.perf_counter() - started)


def _write_new(path: Path, text: str) -> None:
    try:
        with path.open("x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        raise UserError(f"{path}: already there; setup never overwrites it") from None
