"""Write a loaded Police and Crime Plan into the database tables of schema/03_plan.sql (its step
changes into measure_step_changes, schema/07_step_changes.sql, and its meetings and the officers'
questions beside it into schema/09_meetings.sql).

The plan is written into a new database (the build replaces the whole file), so this only
inserts; it expects empty plan and measures tables.
"""
from __future__ import annotations

import duckdb

from scrutiny.plan.plan_file import Plan
from scrutiny.plan.questions_file import OfficerQuestion
from scrutiny.store import queries


def _insert(con: duckdb.DuckDBPyConnection, sql: str, rows: list[tuple]) -> None:
    """One short insert a row. DuckDB's executemany refuses an empty list, and a plan may have no
    links of some kind (no crime measures, say). The longer inserts are SQL files, taking a list
    a column (an empty list inserts nothing)."""
    if rows:
        con.executemany(sql, rows)


def write_plan(con: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    # Themes before objectives and measures before their links: the foreign keys need them.
    _insert(
        con, "insert into plan_themes (theme_id, theme_name, sort_order) values (?, ?, ?)",
        [(t.id, t.name, i) for i, t in enumerate(plan.themes, start=1)],
    )
    objectives = [(theme, o) for theme in plan.themes for o in theme.objectives]
    queries.write(
        con, "plan/objectives", objective_ids=[o.id for _, o in objectives],
        theme_ids=[theme.id for theme, _ in objectives], objective_names=[o.name for _, o in objectives],
        office_rags=[o.status.rag if o.status else None for _, o in objectives],
        office_reasons=[o.status.reason if o.status else None for _, o in objectives],
        office_dates=[o.status.date if o.status else None for _, o in objectives],
        sort_orders=list(range(1, len(objectives) + 1)),
    )
    measures = plan.measures
    queries.write(
        con, "plan/measures", measure_ids=[m.id for m in measures], names=[m.name for m in measures],
        units=[m.unit for m in measures], improvements=[m.improvement for m in measures],
        descriptions=[m.description for m in measures], targets=[m.target for m in measures],
        measure_areas=[m.areas for m in measures], measure_sources=[m.source for m in measures],
        theme_ids=[m.theme_id for m in measures], sort_orders=list(range(1, len(measures) + 1)),
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
        [(measure_id, step.month, step.reason)
         for step in plan.step_changes for measure_id in step.measure_ids],
    )
    _insert(con, "insert into panel_meetings (meeting_date) values (?)", [(day,) for day in plan.meetings])


def write_questions(con: duckdb.DuckDBPyConnection, questions: tuple[OfficerQuestion, ...]) -> None:
    """The officers' questions (scrutiny.plan.questions_file), in the file's order."""
    _insert(
        con, "insert into panel_questions (measure_id, area_id, meeting_date, question, sort_order) values (?, ?, ?, ?, ?)",
        [(q.measure_id, q.area_id, q.meeting, q.text, i) for i, q in enumerate(questions, start=1)],
    )
