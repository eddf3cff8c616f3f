"""The two files `setup` writes beside a database for the office to edit: the starter plan and
the peer group. Plain text with comments saying what to fill in; the peer group is read back by
the Compare forces page (read_peers), the plan by `setup --plan` on a new database.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from scrutiny.core import bounds
from scrutiny.core.errors import UserError
from scrutiny.load.target import DEMO_PLAN, crime_measures_only
from scrutiny.plan.plan_file import load_plan

PLAN_SUFFIX = "-plan.yaml"
PEERS_SUFFIX = "-peers.csv"
PEER_LEVELS = ("force", "partnership")

def beside(database: Path, suffix: str) -> Path:
    """The office's file for this database: data/scrutiny.duckdb -> data/scrutiny-plan.yaml."""
    return Path(database).with_name(Path(database).stem + suffix)


_PLAN_HEADER = """\
# The Police and Crime Plan of {force_name}, as data: themes, the objectives under them, and the
# measures each objective is judged by. Written by `python -m scrutiny setup` as a start: fill it
# in, then make the database again with it (the fetched files are cached, so this is quick):
#   python -m scrutiny setup --force {force_id} --db NEW.duckdb --plan THIS_FILE
#   python -m scrutiny fetch --force {force_id} --db NEW.duckdb
# The README's "The plan file" says what every field means.
#
# TO FILL IN:
# - themes: the plan's own themes and objectives, in the Commissioner's words (the one below is a
#   placeholder so that the file loads). Each objective lists the ids of the measures it is judged
#   by, or carries the office's own rating instead:
#     status: {{rag: red | amber | green, reason: "why, in a sentence", date: YYYY-MM-DD}}
# - targets: a measure may have `target: NUMBER` (none is set here; without one a measure is rated
#   on its variation only).
# - measures the office reports itself (satisfaction, 999 calls ...): `source: returns`, loaded
#   with `python -m scrutiny import returns FILE`.
# - step_changes: a lasting change with a known cause, from which the normal range starts afresh:
#     - {{month: YYYY-MM, measures: all | [measure ids], reason: "why, in a few words"}}
#
# The measures below are those the data.police.uk files give: crime counts from the street files,
# and the charge or summons rate from the outcomes files `fetch` downloads with them (its
# `source: returns` means it is not counted from the street files; `import police-uk` writes it).

name: Police and Crime Plan of {force_name} (to fill in)

step_changes: []

themes:
  - id: fill-in-theme
    name: "FILL IN: a theme of the plan"
    objectives:
      - id: fill-in-objective
        name: "FILL IN: an objective of the theme"
        measures: [{measure_ids}]

measures:
"""


def starter_plan_text(force_name: str, force_id: str) -> str:
    """The starter plan: the measures a database rates without a plan (crime_measures_only: the
    street files' crime counts and the charge or summons rate from the outcomes files, with the
    definitions the demo's plan gives them), no targets, and comments saying what to fill in. It
    loads as it is."""
    measures = crime_measures_only(load_plan(DEMO_PLAN)).measures
    text = _PLAN_HEADER.format(force_name=force_name, force_id=force_id,
                               measure_ids=", ".join(m.id for m in measures))
    for m in measures:
        counted = (f"    crime_types: [{', '.join(m.crime_types)}]\n" if m.source == "crime"
                   else f"    source: {m.source}\n")
        text += (f"  - id: {m.id}\n    name: {m.name}\n    unit: {m.unit}\n    improvement: {m.improvement}\n"
                 f"    areas: {m.areas}\n{counted}    description: >-\n"
                 f"      {m.description}\n\n")
    return text


_PEERS_HEADER = """\
# The peer group of {force_id}: the places the Compare forces page compares it with, one a line.
#   force,ID               a force, by its data.police.uk id (lancashire, west-yorkshire ...)
#   partnership,NAME       a Community Safety Partnership, by its name as the page shows it
# With no force lines every force loaded is compared; with no partnership lines every
# partnership. The home force and its own partnerships are always shown. Lines starting # are
# notes. Load the peers' figures with: python -m scrutiny fetch --force ID --db THE_DATABASE
level,id
"""


def peers_text(force_id: str) -> str:
    return _PEERS_HEADER.format(force_id=force_id)


@dataclass(frozen=True)
class Peers:
    forces: frozenset[str] = field(default_factory=frozenset)        # empty: every force
    partnerships: frozenset[str] = field(default_factory=frozenset)  # empty: every partnership

    @property
    def chosen(self) -> bool:
        return bool(self.forces or self.partnerships)


def read_peers(path: Path) -> Peers:
    """The peer group file; no file is every place. A bad line is a one-line UserError."""
    if not path.is_file():
        return Peers()
    text = bounds.read_capped(path, bounds.AREA_MAPPING).decode("utf-8-sig")
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    chosen: dict[str, set[str]] = {level: set() for level in PEER_LEVELS}
    for number, row in enumerate(csv.reader(io.StringIO("\n".join(lines)))):
        cells = [c.strip() for c in row]
        if number == 0 and cells[:2] == ["level", "id"]:
            continue
        if len(cells) < 2 or cells[0] not in PEER_LEVELS or not cells[1]:
            raise UserError(f"{path}: {','.join(row)!r} is not 'force,ID' or 'partnership,NAME'")
        chosen[cells[0]].add(cells[1])
    return Peers(frozenset(chosen["force"]), frozenset(chosen["partnership"]))
