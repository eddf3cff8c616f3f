"""The Police and Crime Plan as data: themes, objectives and the measures that judge them.

`load_plan` reads a plan file (see data/demo/plan.yaml for the format) and refuses anything it
cannot trust with a one-line UserError naming the file and the problem, so the analyst can fix
the file without reading a traceback. `objective_rating` is the rule that turns the ratings of
an objective's measures into the objective's rating.
"""
from __future__ import annotations

import datetime as dt
import difflib
import inspect
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from scrutiny.core import bounds
from scrutiny.core.crime_types import ALL_CRIME, CRIME_TYPES
from scrutiny.core.errors import UserError
from scrutiny.core.months import BadMonth, Month, parse_month
from scrutiny.core.vocab import AMBER, COUNT, GREEN, IMPROVEMENT_DIRECTIONS, NOT_RATED, PERCENT, RAGS, RED, UNITS

AREAS = ("all", "force")
KNOWN_CRIME_TYPES = (ALL_CRIME, *CRIME_TYPES)

# Measure ids become column values and URL parameters; objective and theme ids appear in URLs.
_MEASURE_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_PLAN_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The keys each part may have: a misspelt key (improvment:) would otherwise be ignored silently.
_FIELDS = {
    "plan": ("name", "themes", "measures", "step_changes", "meetings"),
    "step_change": ("month", "measures", "reason"),
    "theme": ("id", "name", "objectives"),
    "objective": ("id", "name", "measures", "status"),
    "status": ("rag", "reason", "date"),
    "measure": ("id", "name", "unit", "improvement", "target", "areas", "description", "crime_types", "source"),
}


@dataclass(frozen=True)
class OfficeStatus:
    """A rating the Commissioner's office gave an objective that no figure can measure."""
    rag: str
    reason: str
    date: dt.date


@dataclass(frozen=True)
class Objective:
    id: str
    name: str
    measure_ids: tuple[str, ...]
    status: OfficeStatus | None


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    objectives: tuple[Objective, ...]


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    unit: str                           # 'count' or 'percent'
    improvement: str                    # 'lower' or 'higher' is better
    target: float | None
    areas: str                          # 'all' (force and every NPA) or 'force'
    description: str
    crime_types: tuple[str, ...] | None  # summed from monthly counts; None for returns
    source: str                         # 'crime' or 'returns'
    theme_id: str | None                # the theme of the first objective that uses it (None: no plan loaded)
    objective_ids: tuple[str, ...]      # every objective it judges, in plan order


@dataclass(frozen=True)
class StepChange:
    """A lasting change in some measures' figures, recorded by the office with its reason: from
    `month` their limits are re-based (see scrutiny.rate.spc)."""
    month: Month
    measure_ids: tuple[str, ...]        # every measure it applies to ('all' is expanded)
    reason: str


@dataclass(frozen=True)
class Plan:
    themes: tuple[Theme, ...]
    measures: tuple[Measure, ...]       # in the order the plan first uses them, each once
    step_changes: tuple[StepChange, ...] = ()  # in month order
    meetings: tuple[dt.date, ...] = ()  # the panel's meeting days, in order (scrutiny.plan.meetings)

    @property
    def objectives(self) -> tuple[Objective, ...]:
        return tuple(o for theme in self.themes for o in theme.objectives)

    def measure(self, measure_id: str) -> Measure:
        return next(m for m in self.measures if m.id == measure_id)


def objective_rating(measure_rags: list[str | None]) -> str:
    """An objective judged by measures takes the worst rating among its measures: red if any
    measure is red; otherwise amber if any measure is amber; otherwise green, when every rated
    measure is green. Measures that are not rated (too few months of figures) are left out, and
    if none of its measures is rated, the objective is not rated. An objective with no measures
    is rated by the Commissioner's office instead, which gives its reason and the date."""
    # None (a measure with no rating stored at all) counts as not rated; any other unknown word
    # is a programming error, so it is refused rather than silently read as "not rated".
    unknown = [r for r in measure_rags if r is not None and r not in (*RAGS, NOT_RATED)]
    if unknown:
        raise ValueError(f"unknown measure ratings {unknown}; expected {RAGS} or {NOT_RATED!r}")
    for rag in (RED, AMBER, GREEN):  # the worst rating of its measures wins
        if rag in measure_rags:
            return rag
    return NOT_RATED


# The rule in plain words, for the Methodology page and the meeting pack.
OBJECTIVE_RATING_RULE = " ".join(inspect.cleandoc(objective_rating.__doc__).split())


class _PlanLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice (plain YAML keeps the last one silently, so a
    second `status:` would quietly replace the first) and reports impossible dates with their
    line, where plain PyYAML raises a bare ValueError."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue  # SafeLoader handles these: it refuses list keys and applies merges (<<)
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a real date ({error})", node.start_mark) from None


_PlanLoader.add_constructor("tag:yaml.org,2002:timestamp", _PlanLoader.construct_yaml_timestamp)


class _Checker:
    """Collects the file's name so that every message starts with it."""

    def __init__(self, path: Path):
        self.name = path.name

    def fail(self, message: str) -> UserError:
        # One line, whatever the file contains (a reason written as a YAML block, say).
        return UserError(" ".join(f"{self.name}: {message}".split()))

    def text(self, raw: dict, key: str, owner: str) -> str:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{owner} needs a {key} (some text)")
        return " ".join(value.split())

    def plan_id(self, raw, owner: str, pattern: re.Pattern, form: str) -> str:
        if not isinstance(raw, dict):
            raise self.fail(f"every {owner} must be a mapping with an id and a name, not {raw!r}")
        value = raw.get("id")
        if not isinstance(value, str) or not pattern.match(value):
            raise self.fail(f"{owner} id {value!r} is not valid; use {form}")
        return value

    def known_fields(self, raw: dict, kind: str, owner: str) -> None:
        unknown = [k for k in raw if k not in _FIELDS[kind]]
        if unknown:
            raise self.fail(f"{owner} has an unknown field {str(unknown[0])!r}; the fields are {', '.join(_FIELDS[kind])}")

    def one_of(self, raw: dict, key: str, allowed: tuple, owner: str):
        value = raw.get(key)
        if value not in allowed:
            raise self.fail(f"{owner} has {key} {value!r}; use {' or '.join(allowed)}")
        return value


def load_plan(path: str | Path) -> Plan:
    path = Path(path)
    check = _Checker(path)
    raw = _read_yaml(path, check)
    if not isinstance(raw, dict) or not isinstance(raw.get("themes"), list) or not isinstance(raw.get("measures"), list):
        raise check.fail("the plan needs a list of themes and a list of measures")
    check.known_fields(raw, "plan", "the plan")
    themes = _themes(raw["themes"], check)
    definitions = _measures(raw["measures"], check)
    measures = _link(themes, definitions, check)
    return Plan(themes, measures, _step_changes(raw.get("step_changes"), measures, check),
                _meetings(raw.get("meetings"), check))


def _read_yaml(path: Path, check: _Checker):
    if not path.exists():
        raise check.fail(f"the file is missing ({path})")
    try:
        text = bounds.read_capped(path, bounds.PLAN).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise check.fail(f"the file cannot be read as UTF-8 text ({error})") from None
    try:
        return yaml.load(text, Loader=_PlanLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise check.fail(f"{where}this is not valid YAML ({problem})") from None


def _themes(raw_themes: list, check: _Checker) -> tuple[Theme, ...]:
    themes, seen_themes, seen_objectives = [], set(), set()
    for raw in raw_themes:
        theme_id = check.plan_id(raw, "theme", _PLAN_ID, "lower case letters, digits and hyphens")
        if theme_id in seen_themes:
            raise check.fail(f"theme id '{theme_id}' is used twice; ids must be unique")
        seen_themes.add(theme_id)
        check.known_fields(raw, "theme", f"theme '{theme_id}'")
        name = check.text(raw, "name", f"theme '{theme_id}'")
        if not isinstance(raw.get("objectives"), list) or not raw["objectives"]:
            raise check.fail(f"theme '{theme_id}' needs a list of objectives")
        objectives = []
        for raw_objective in raw["objectives"]:
            objective = _objective(raw_objective, check)
            if objective.id in seen_objectives:
                raise check.fail(f"objective id '{objective.id}' is used twice; ids must be unique")
            seen_objectives.add(objective.id)
            objectives.append(objective)
        themes.append(Theme(theme_id, name, tuple(objectives)))
    if not themes:
        raise check.fail("the plan has no themes")
    return tuple(themes)


def _objective(raw, check: _Checker) -> Objective:
    objective_id = check.plan_id(raw, "objective", _PLAN_ID, "lower case letters, digits and hyphens")
    owner = f"objective '{objective_id}'"
    check.known_fields(raw, "objective", owner)
    name = check.text(raw, "name", owner)
    measure_ids = raw.get("measures", [])
    if not isinstance(measure_ids, list) or not all(isinstance(m, str) for m in measure_ids):
        raise check.fail(f"{owner} must list its measures by id, like [all_crime, burglary]")
    if len(set(measure_ids)) != len(measure_ids):
        raise check.fail(f"{owner} lists a measure twice")
    status = _status(raw["status"], owner, check) if raw.get("status") is not None else None
    if not measure_ids and status is None:
        # Nothing to judge it by: it would be silently missing from every rating.
        raise check.fail(f"{owner} has neither measures nor a status; list its measures, "
                         "or give the office's status with a rag, a reason and a date")
    return Objective(objective_id, name, tuple(measure_ids), status)


def _status(raw, owner: str, check: _Checker) -> OfficeStatus:
    if not isinstance(raw, dict):
        raise check.fail(f"{owner} has a status that is not a mapping; "
                         'write status: {rag: amber, reason: "...", date: 2024-01-15}')
    check.known_fields(raw, "status", f"the status of {owner}")
    rag = raw.get("rag")
    if rag not in RAGS:
        raise check.fail(f"{owner} has a status rag of {rag!r}; use red, amber or green")
    # The panel asked for the reason behind every RAG rating: a colour alone is not assurance.
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise check.fail(f"{owner} has a status without a reason; give the reason and the date")
    return OfficeStatus(rag, " ".join(reason.split()), _status_date(raw.get("date"), owner, check))


def _status_date(value, owner: str, check: _Checker) -> dt.date:
    if value is None:
        raise check.fail(f"{owner} has a status without a date; give the date it was set, like 2024-01-15")
    return _date(value, f"{owner} has a status date", check)


def _date(value, what: str, check: _Checker) -> dt.date:
    """A day written YYYY-MM-DD (YAML reads it as a date already; quoted, it is a string)."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise check.fail(f"{what} {str(value)!r} that is not a date like 2024-01-15")
    return value


def _meetings(raw_meetings, check: _Checker) -> tuple[dt.date, ...]:
    """meetings: [2024-02-27, 2024-04-23]: the panel's meeting days (none: the fixed interval of
    scrutiny.present.meeting is used instead)."""
    if raw_meetings is None:
        return ()
    if not isinstance(raw_meetings, list):
        raise check.fail("meetings must be a list of days, like meetings: [2024-02-27, 2024-04-23]")
    days = [_date(value, "meetings has a day", check) for value in raw_meetings]
    twice = sorted({d for d in days if days.count(d) > 1})
    if twice:
        raise check.fail(f"meetings lists {twice[0].isoformat()} twice")
    return tuple(sorted(days))


def _measures(raw_measures: list, check: _Checker) -> dict[str, dict]:
    """Each measure's own fields, by id, in file order; linking to objectives comes later."""
    measures = {}
    for raw in raw_measures:
        measure_id = check.plan_id(raw, "measure", _MEASURE_ID, "snake_case, like all_crime")
        if measure_id in measures:
            raise check.fail(f"measure id '{measure_id}' is defined twice; ids must be unique")
        measures[measure_id] = _measure_fields(raw, measure_id, check)
    return measures


def _measure_fields(raw: dict, measure_id: str, check: _Checker) -> dict:
    owner = f"measure '{measure_id}'"
    check.known_fields(raw, "measure", owner)
    fields = {
        "name": check.text(raw, "name", owner),
        "unit": check.one_of(raw, "unit", UNITS, owner),
        "improvement": check.one_of(raw, "improvement", IMPROVEMENT_DIRECTIONS, owner),
        "areas": check.one_of(raw, "areas", AREAS, owner),
        "description": check.text(raw, "description", owner),
        "target": _target(raw, owner, check),
    }
    if "crime_types" in raw and "source" in raw:
        raise check.fail(f"{owner} has both crime_types and a source; give one")
    if "crime_types" in raw:
        fields.update(source="crime", crime_types=_crime_types(raw["crime_types"], owner, check))
        if fields["unit"] != COUNT:
            raise check.fail(f"{owner} sums crime types, so its unit must be count")
    elif raw.get("source") == "returns":
        fields.update(source="returns", crime_types=None)
    else:
        raise check.fail(f"{owner} needs crime_types (a list of data.police.uk crime types) or source: returns")
    return fields


def _target(raw: dict, owner: str, check: _Checker) -> float | None:
    target = raw.get("target")
    if target is None:
        return None
    if isinstance(target, bool) or not isinstance(target, (int, float)):
        raise check.fail(f"{owner} has a target {target!r} that is not a number")
    if raw.get("unit") == PERCENT and not 0 <= target <= 100:
        raise check.fail(f"{owner} has a target of {target}, which is not a percentage between 0 and 100")
    return float(target)


def _crime_types(value, owner: str, check: _Checker) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(t, str) for t in value):
        raise check.fail(f"{owner} needs crime_types as a list of data.police.uk crime types")
    for crime_type in value:
        if crime_type not in KNOWN_CRIME_TYPES:
            close = difflib.get_close_matches(crime_type, KNOWN_CRIME_TYPES, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "use data.police.uk's names, like 'Burglary', or 'All crime'"
            raise check.fail(f"{owner} has an unknown crime type '{crime_type}'; {hint}")
    if len(set(value)) != len(value):
        raise check.fail(f"{owner} lists a crime type twice")
    if ALL_CRIME in value and len(value) > 1:
        # 'All crime' already contains every other type, so adding one would count it twice.
        raise check.fail(f"{owner} lists 'All crime' with other types; 'All crime' already includes them, so list it alone")
    return tuple(value)


def _link(themes: tuple[Theme, ...], definitions: dict[str, dict], check: _Checker) -> tuple[Measure, ...]:
    """Each measure with the theme and objectives it judges, in the order the plan uses them."""
    used_by: dict[str, list[tuple[str, str]]] = {}
    for theme in themes:
        for objective in theme.objectives:
            for measure_id in objective.measure_ids:
                if measure_id not in definitions:
                    raise check.fail(f"objective '{objective.id}' uses measure '{measure_id}', "
                                     "which is not defined under measures")
                used_by.setdefault(measure_id, []).append((theme.id, objective.id))
    unused = [m for m in definitions if m not in used_by]
    if unused:
        # A measure no objective uses would be rated but shown under no theme: most likely a typo.
        raise check.fail(f"measure '{unused[0]}' is not used by any objective; add it to one or remove it")
    return tuple(
        Measure(id=measure_id, theme_id=uses[0][0], objective_ids=tuple(o for _, o in uses), **definitions[measure_id])
        for measure_id, uses in used_by.items()
    )


def _step_changes(raw_steps, measures: tuple[Measure, ...], check: _Checker) -> tuple[StepChange, ...]:
    """step_changes: [{month: 2021-06, measures: all | [ids], reason: "..."}]."""
    if raw_steps is None:
        return ()
    form = 'write step_changes: [{month: 2021-06, measures: all, reason: "lockdown ended"}]'
    if not isinstance(raw_steps, list):
        raise check.fail(f"step_changes must be a list; {form}")
    ids = tuple(m.id for m in measures)
    steps, seen = [], set()
    for raw in raw_steps:
        if not isinstance(raw, dict):
            raise check.fail(f"every step change must be a mapping; {form}")
        try:
            month = parse_month(str(raw.get("month", "")).strip())
        except BadMonth:
            raise check.fail(f"a step change has month {raw.get('month')!r}; give a month like 2021-06") from None
        owner = f"the step change of {month.key}"
        check.known_fields(raw, "step_change", owner)
        reason = check.text(raw, "reason", owner)  # a re-based limit is never silent
        chosen = raw.get("measures")
        if chosen == "all":
            chosen = list(ids)
        if not isinstance(chosen, list) or not chosen or not all(isinstance(m, str) for m in chosen):
            raise check.fail(f"{owner} needs measures: all, or a list of measure ids like [all_crime]")
        for measure_id in chosen:
            if measure_id not in ids:
                raise check.fail(f"{owner} names measure '{measure_id}', which is not defined under measures")
            if (month, measure_id) in seen:
                raise check.fail(f"{owner} is given twice for measure '{measure_id}'")
            seen.add((month, measure_id))
        steps.append(StepChange(month, tuple(chosen), reason))
    return tuple(sorted(steps, key=lambda s: s.month))
