"""Write a loaded Police and Crime Plan into the database tables of schema/03_plan.sql (and its
step changes into measure_step_changes, schema/07_step_changes.sql).

The plan is written into a new database (the build replaces the whole file), so this only
inserts; it expects empty plan and measures tables.
"""
from __future__ import annotations

import duckdb

from scrutiny.core.months import parse_month
from scrutiny.plan.plan_file import Plan


def _insert(con: duckdb.DuckDBPyConnection, sql: str, rows: list[tuple]) -> None:
    # DuckDB's executemany refuses an empty list, and a plan may have no links of some kind
    # (no crime measures, say).
    if rows:
        con.executemany(sql, rows)


def write_plan(con: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    # Themes before objectives and measures before their links: the foreign keys need them.
    _insert(
        con, "insert into plan_themes (theme_id, theme_name, sort_order) values (?, ?, ?)",
        [(t.id, t.name, i) for i, t in enumerate(plan.themes, start=1)],
    )
    objectives = [(theme, o) for theme in plan.themes for o in theme.objectives]
    _insert(
        con, """insert into plan_objectives
           (objective_id, theme_id, objective_name, office_rag, office_reason, office_date, sort_order)
           values (?, ?, ?, ?, ?, ?, ?)""",
        [(o.id, theme.id, o.name,
          o.status.rag if o.status else None, o.status.reason if o.status else None,
          o.status.date if o.status else None, i)
         for i, (theme, o) in enumerate(objectives, start=1)],
    )
    _insert(
        con, """insert into measures
           (measure_id, measure_name, unit, improvement, description, target, areas, source, theme_id, sort_order)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [(m.id, m.name, m.unit, m.improvement, m.description, m.target, m.areas, m.source, m.theme_id, i)
         for i, m in enumerate(plan.measures, start=1)],
    )
    _insert(
        con, "insert into plan_objective_measures (objective_id, measure_id) values (?, ?)",
        [(o.id, measure_id) for _, o in objectives for measure_id in o.measure_ids],
    )
    _insert(
        con, "insert into measure_crime_types (measure_id, crime_type) values (?, ?)",
        [(m.id, crime_type) for m in plan.measures for crime_type in (m.crime_types or ())],
    )
    _insert(
        con, "insert into measure_step_changes (measure_id, month, reason) values (?, ?, ?)",
        [(measure_id, parse_month(step.month), step.reason)
         for step in plan.step_changes for measure_id in step.measure_ids],
    )
