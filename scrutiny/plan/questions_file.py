"""The questions the panel's officers write, in a file beside the plan (questions.yaml; see
data/demo/questions.yaml for the format). They win over the questions the dashboard drafts from
a rating (scrutiny.present.questions).

`load_questions` checks the file against the plan it sits beside, as `load_plan` checks the plan:
anything it cannot trust is refused with a one-line UserError naming the file and the problem.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

# The plan file's own checks and reader, so that both files fail in the same words.
from scrutiny.plan.plan_file import Plan, _Checker, _date, _read_yaml

QUESTIONS_FILE = "questions.yaml"  # beside the plan file
FIELDS = ("measure", "area", "meeting", "question")
_AREA_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # as in areas.csv: lower case words joined by hyphens
FORM = 'write questions: [{measure: burglary, area: charnwood, question: "..."}]'


@dataclass(frozen=True)
class OfficerQuestion:
    measure_id: str
    area_id: str | None         # None: the measure for the force as a whole
    meeting: dt.date | None     # None: whenever the measure is discussed
    text: str


def beside(plan_path: str | Path) -> Path:
    """Where the questions file of a plan file is."""
    return Path(plan_path).with_name(QUESTIONS_FILE)


def load_questions(path: str | Path, plan: Plan) -> tuple[OfficerQuestion, ...]:
    path = Path(path)
    check = _Checker(path)
    raw = _read_yaml(path, check)
    if not isinstance(raw, dict) or set(raw) != {"questions"} or not isinstance(raw["questions"], list):
        raise check.fail(f"the file needs one list, questions; {FORM}")
    measures = tuple(m.id for m in plan.measures)
    found, seen = [], set()
    for number, entry in enumerate(raw["questions"], start=1):
        question = _question(entry, f"question {number}", measures, plan.meetings, check)
        if question in seen:
            raise check.fail(f"question {number} is given twice")
        seen.add(question)
        found.append(question)
    return tuple(found)


def _question(entry, owner: str, measures: tuple[str, ...], meetings: tuple[dt.date, ...],
              check: _Checker) -> OfficerQuestion:
    if not isinstance(entry, dict):
        raise check.fail(f"{owner} is not a mapping; {FORM}")
    unknown = [k for k in entry if k not in FIELDS]
    if unknown:
        raise check.fail(f"{owner} has an unknown field {str(unknown[0])!r}; the fields are {', '.join(FIELDS)}")
    measure = entry.get("measure")
    if measure not in measures:
        close = difflib.get_close_matches(str(measure), measures, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"use a measure id of the plan, like '{measures[0]}'"
        raise check.fail(f"{owner} is about measure {measure!r}, which the plan does not define; {hint}")
    area = entry.get("area")
    if area is not None and (not isinstance(area, str) or not _AREA_ID.match(area)):
        raise check.fail(f"{owner} has area {area!r}; give an area's id, like charnwood, or leave it out for the force")
    meeting = entry.get("meeting")
    if meeting is not None:
        meeting = _date(meeting, f"{owner} has a meeting", check)
        if meeting not in meetings:
            raise check.fail(f"{owner} is for a meeting on {meeting.isoformat()}, which is not among the "
                             "plan's meetings; add it to meetings: in the plan, or leave meeting out")
    return OfficerQuestion(measure, area, meeting, check.text(entry, "question", owner))
