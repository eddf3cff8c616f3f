"""Every stored explanation, of the demo and of the real Leicestershire files, is true to every number.

For each rating the facts are derived here from the stored series and the stored SPC lines (the
rating's average, process limits and 2-sigma lines), with nothing taken from the explanation code:
the figure, the same month a year before and the change, the window, the range, the side of the
average, the run lengths, the pattern and where the target stands. Each explanation must then read
as a sequence of known sentences (a full match, so no sentence goes unchecked), and every number
parsed out of a sentence must equal the derived one to the precision written (one decimal place).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import duckdb
import pytest

NUMBER = r"(-?[\d,]+(?:\.\d)?)"
MONTH = r"([A-Z][a-z]+ \d{4})"
SHARE = r"((\d+(?:\.\d+)?)%)"
# the months left out of an area's window (over 5% of the force's crimes in no area), one or several
LEFT_OUT = (r"(?: ([^.]+? is left out: \d+(?:\.\d+)?% of the force\u2019s crimes that month have no area\."
            r"|[^.]+? are left out: in each, \d+(?:\.\d+)?% to \d+(?:\.\d+)?% of the force\u2019s crimes have no area\.))?")
TOLERANCE = 1e-9  # "on a line" up to floating-point rounding, as the SPC engine judges it
MIN_POINTS, WINDOW, SHIFT, TREND_STEPS = 13, 36, 7, 6  # the published rules (Methodology page)


def stored(path) -> tuple[list[dict], dict]:
    """Every rating with its measure and area; and each measure and area's whole series."""
    with duckdb.connect(str(path), read_only=True) as con:
        ratings = con.execute("""
            select r.*, m.unit, m.measure_name, m.target, m.improvement, a.area_name
            from ratings r join measures m using (measure_id) join areas a using (area_id)
            order by measure_id, area_id, month
        """).df().to_dict("records")
        series: dict = {}
        for measure_id, area_id, month, value in con.execute(
                "select measure_id, area_id, month, value from measure_series order by all").fetchall():
            series.setdefault((measure_id, area_id), {})[month] = float(value)
        steps: dict = {}
        for measure_id, month, reason in con.execute(
                "select measure_id, month, reason from measure_step_changes order by all").fetchall():
            steps.setdefault(measure_id, []).append((month, reason))
        # A month with over 5% of the home force's crimes in no area is left out of its areas'
        # windows (not the force's): the share, worked out here from the force's and areas' totals.
        left_out = dict(con.execute("""
            select f.month, 100 * (f.crime_count - sum(a.crime_count)) / f.crime_count
            from area_month_totals f
            join home_areas h on h.area_id = f.area_id and h.area_level = 'force'
            join area_month_totals a on a.month = f.month and a.crime_type = f.crime_type
            join home_areas ha on ha.area_id = a.area_id and ha.area_level <> 'force'
            where f.crime_type = 'All crime'
            group by f.month, f.crime_count
            having f.crime_count > 0 and (f.crime_count - sum(a.crime_count)) > 0.05 * f.crime_count
        """).fetchall())
        forces = {a for (a,) in con.execute("select area_id from areas where area_level = 'force'").fetchall()}
    for key in series:
        if key[1] not in forces:
            series[key] = {m: v for m, v in series[key].items() if m not in left_out}
    for row in ratings:
        row["step_changes"] = steps.get(row["measure_id"], [])
        row["left_out"] = {} if row["area_id"] in forces else left_out
    return ratings, series


def left_out_named(text: str | None) -> list[dt.date]:
    """The months a left-out sentence names ('December 2019 to May 2020 and June 2022 are left out: ...')."""
    if text is None:
        return []
    return words_to_months(re.sub(r"(?:, a year before,)? (?:is|are) left out:.*$", " is missing from the data.", text))


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def side(x: float, line: float) -> int:
    if abs(x - line) <= TOLERANCE * max(1.0, abs(line)):
        return 0
    return 1 if x > line else -1


def number(text: str) -> float:
    return float(text.replace(",", ""))


def missing(x) -> bool:
    return x is None or x != x


@dataclass
class Derived:
    """The facts of one rating, worked out from the series and the stored lines."""
    value: float
    window: list[float]            # the months the rating looks at, oldest first, consecutive
    first: dt.date
    then: float | None
    run: int                       # months in a row on the latest month's side of the average
    steps: int                     # rises or falls in a row ending at the latest month
    step_way: int                  # +1 rises, -1 falls
    near: int                      # of the last three months, beyond the 2-sigma line on the latest's side
    near_beyond: bool              # one of those is beyond the process limit too
    step: tuple | None             # (month, reason) of the step change the latest phase starts at


def derive(row: dict, months: dict) -> Derived:
    month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
    # the rating looks at the WINDOW calendar months up to its month (fewer figures when some are missing)
    dates = [m for m in sorted(months) if add_months(month, 1 - WINDOW) <= m <= month]
    window = [months[m] for m in dates]
    # runs are counted over consecutive months only: a missing month breaks every run
    linked = 1
    while linked < len(dates) and add_months(dates[-linked - 1], 1) == dates[-linked]:
        linked += 1
    # a recorded step change starts a phase at its month (or the first month after) when that phase
    # has MIN_POINTS months or more; the latest step changes are judged first; no run crosses one
    end, phase_start, step = len(dates), 0, None
    for when, reason in sorted(row["step_changes"], reverse=True):
        at = next((i for i, m in enumerate(dates) if m >= when), None)
        if at and end - at >= MIN_POINTS:
            if phase_start == 0:
                phase_start, step = at, (when, reason)
            end = at
    linked = min(linked, len(dates) - phase_start)
    recent = window[-linked:]
    value, then = window[-1], months.get(add_months(month, -12))
    mean = row["mean"]
    run = 0
    way = side(value, mean) if not missing(mean) else 0
    for x in reversed(recent):
        if way == 0 or side(x, mean) != way:
            break
        run += 1
    step_way = side(recent[-1], recent[-2]) if len(recent) > 1 else 0
    steps = 0
    for a, b in zip(reversed(recent[:-1]), reversed(recent)):
        if step_way == 0 or side(b, a) != step_way:
            break
        steps += 1
    near, near_beyond = 0, False
    if not missing(mean) and way and len(recent) >= 3:
        lower_2s, upper_2s = json.loads(row["evidence"])["two_sigma"]
        for x in recent[-3:]:
            if side(x, upper_2s if way > 0 else lower_2s) == way:
                near += 1
                near_beyond |= side(x, row["upper_limit"] if way > 0 else row["lower_limit"]) == way
    return Derived(value, window, dates[0], then, run, steps, step_way, near, near_beyond, step)


def same(parsed: str, expected: float) -> None:
    """A number as written (one decimal place at most) equals the derived one."""
    assert number(parsed) == pytest.approx(expected, abs=0.05 + 1e-9), (parsed, expected)


def words_to_months(gap: str | None) -> list[dt.date]:
    """'June 2020 and August 2020 to September 2020 are missing from the data.' -> the 3 months."""
    if gap is None:
        return []
    named = re.sub(r" (?:is|are) missing from the data\.$", "", gap)
    found = []
    for part in re.split(r", | and ", named):
        first, _, last = part.partition(" to ")
        month = dt.datetime.strptime(first, "%B %Y").date()
        last = dt.datetime.strptime(last or first, "%B %Y").date()
        while month <= last:
            found.append(month)
            month = add_months(month, 1)
    return found


def check(row: dict, months: dict) -> None:
    text, unit = row["explanation"], row["unit"]
    pct = "%" if unit == "percent" else ""
    month = row["month"].strftime("%B %Y")
    opening = rf"{re.escape(row['measure_name'])} in {re.escape(row['area_name'])} was {NUMBER}{pct} in {month}\."
    rated = row["month"].date() if hasattr(row["month"], "date") else row["month"]
    left_out = row["left_out"]
    if row["decided_by"] == "incomplete_month":  # an area's month with too many crimes in no area
        m = re.fullmatch(opening + rf" Not rated: {SHARE} of the force\u2019s crimes in {month} have no area, so the "
                         r"areas\u2019 counts that month are incomplete\.", text)
        assert m and rated in left_out and row["rag"] == "not rated", text
        assert float(m[3]) == pytest.approx(left_out[rated], abs=0.05 + 1e-9), text
        return
    in_window = [m for m in sorted(left_out) if add_months(rated, 1 - WINDOW) <= m <= rated]
    d = derive(row, months)
    if row["decided_by"] == "outcomes_pending":  # provisional: tests/test_provisional.py counts the share
        pending = json.loads(row["evidence"])["outcomes_pending"]
        m = re.fullmatch(opening + rf" Not rated: outcomes for {month} are still being recorded\. When the file was "
                         rf"published, {NUMBER}% of its crimes were still under investigation, against {NUMBER}% "
                         r"in settled months, so the figure is provisional and is likely to rise\.", text)
        assert m, text
        same(m[1], d.value)
        same(m[2], pending["share"])
        same(m[3], pending["settled"])
        assert row["rag"] == "not rated"
        return
    if len(d.window) < MIN_POINTS:
        m = re.fullmatch(opening + r" There (?:is 1 month|are (\d+) months) of figures so far, and a rating needs "
                         rf"(\d+)\.{LEFT_OUT} So it is not rated yet\.", text)
        assert m, text
        assert left_out_named(m[4]) == in_window, text
        same(m[1], d.value)
        assert int(m[2] or 1) == len(d.window) and int(m[3]) == MIN_POINTS, text
        assert row["rag"] == "not rated"
        return

    sentences = re.fullmatch(opening + rf" ((?:[A-Z][a-z]+ \d{{4}}, a year before, is left out: {SHARE}[^.]*|.+?)\.) "
                             r"((?:From|Since the step change in) .+?\.)"
                             rf"(?: ([^.]+ (?:is|are) missing from the data\.))?{LEFT_OUT} (.+?\.) (.+?\.) (Rated .+)", text)
    assert sentences, text
    same(sentences[1], d.value)
    year, _, _, normal, gap, named_left_out, pattern, target, reason = sentences.groups()[1:]
    year_before = add_months(rated, -12)
    assert left_out_named(named_left_out) == [m for m in in_window if m != year_before], text

    # The same month a year before
    if d.then is None and year_before in left_out:
        assert left_out_named(year) == [year_before], text
    elif d.then is None:
        assert year == "There is no figure for a year before.", text
    elif unit != "percent" and d.then == 0:
        m = re.fullmatch(rf"A year before it was {NUMBER}\.", year)
        assert m and number(m[1]) == 0, text
    else:
        # a percentage changes by percentage points, a count by a percentage of itself
        if unit == "percent":
            change, by = round(d.value - d.then, 1), " percentage points?"
        else:
            change, by = round(100 * (d.value - d.then) / d.then, 1), "%"
        m = re.fullmatch(rf"That is the same as a year before \({NUMBER}{pct}\)\.", year) if change == 0 else \
            re.fullmatch(rf"That is (up|down) {NUMBER}{by} on {NUMBER}{pct} a year before\.", year)
        assert m, text
        if change:
            assert m[1] == ("up" if change > 0 else "down"), text
            same(m[2], abs(change))
        same(m[m.lastindex], d.then)

    # The normal range and the months it comes from
    lower, upper, mean = row["lower_limit"], row["upper_limit"], row["mean"]
    m = re.fullmatch(rf"(?:From {MONTH} to {MONTH}|Since the step change in {MONTH} \((.+)\)), the normal range "
                     rf"was (?:up to {NUMBER}{pct}|{NUMBER}{pct} to {NUMBER}{pct})({' a month' if not pct else ''})\.",
                     normal)
    assert m, text
    if d.step is None:
        assert (m[1], m[2]) == (d.first.strftime("%B %Y"), month), text
    else:
        assert (m[3], m[4]) == (d.step[0].strftime("%B %Y"), d.step[1]), text
    # The calendar months of the range's span with no figures, named in the order they fall
    span = [d.first if d.step is None else d.step[0]]
    while span[-1] < rated:
        span.append(add_months(span[-1], 1))
    assert words_to_months(gap) == [m for m in span if m not in months and m not in left_out], text

    m = re.fullmatch(rf".*, the normal range was (?:up to {NUMBER}{pct}|{NUMBER}{pct} to {NUMBER}{pct}).*", normal)
    if m[1] is not None:
        assert unit == "count" and lower <= 0, text
        same(m[1], upper)
    else:
        assert unit == "percent" or lower > 0, text
        same(m[2], max(lower, 0))
        same(m[3], upper)

    # The latest month's pattern, whatever decided the rating
    way = side(d.value, mean)
    worse = {"lower": 1, "higher": -1}[row["improvement"]]  # the way that is worse
    if m := re.fullmatch(r"This month was (above|below) that range, which is very unlikely by chance\.", pattern):
        assert (m[1] == "above" and side(d.value, upper) > 0) or (m[1] == "below" and side(d.value, lower) < 0), text
        pattern_way = 1 if m[1] == "above" else -1
    elif m := re.fullmatch(rf"The last (\d+) months were all (above|below) the average of {NUMBER}{pct}, which is "
                           r"unlikely by chance\.", pattern):
        assert int(m[1]) == d.run >= SHIFT, (d.run, text)
        assert way == (1 if m[2] == "above" else -1), text
        same(m[3], mean)
        pattern_way = way
    elif m := re.fullmatch(r"Each of the last (\d+) months was (higher|lower) than the month before, which is "
                           r"unlikely by chance\.", pattern):
        assert int(m[1]) == d.steps >= TREND_STEPS, (d.steps, text)
        pattern_way = 1 if m[2] == "higher" else -1
        assert pattern_way == d.step_way, text
    elif m := re.fullmatch(r"(Two of the last three months were|The last three months were all) near the "
                           r"(top|bottom) of it(, or (?:above|below) it)?, which is unlikely by chance\.", pattern):
        assert (2 if m[1].startswith("Two") else 3) == d.near, (d.near, text)
        assert way == (1 if m[2] == "top" else -1), text
        assert bool(m[3]) == d.near_beyond, text
        if m[3]:
            assert m[3].endswith("above it" if way > 0 else "below it"), text
        pattern_way = way
    else:
        assert pattern == "This month was within that range, with no unusual pattern.", text
        assert side(d.value, upper) <= 0 and side(d.value, lower) >= 0, text
        assert d.run < SHIFT and d.steps < TREND_STEPS, (d.run, d.steps, text)
        pattern_way = 0
    # A point-side rule beyond the range is always reported as the range (the strongest evidence)
    if side(d.value, upper) > 0 or side(d.value, lower) < 0:
        assert pattern.startswith("This month was above" if side(d.value, upper) > 0 else "This month was below") \
            or pattern.startswith("Each of the last"), text

    # The target against the range
    if missing(row["target"]):
        assert target == "There is no target.", text
        target_verdict = None
    else:
        t = row["target"]
        wrong_side = (lower > t) if row["improvement"] == "lower" else (upper < t)
        right_side = (upper < t) if row["improvement"] == "lower" else (lower > t)
        if side(t, lower) == 0 and side(t, upper) == 0:
            m, target_verdict = re.fullmatch(rf"Every month was exactly on the {NUMBER}{pct} target\.", target), None
        elif side(t, lower) == 0 or side(t, upper) == 0:
            m, target_verdict = re.fullmatch(rf"The {NUMBER}{pct} target is at the edge of the range\.", target), None
        elif lower < t < upper:
            m = re.fullmatch(rf"The {NUMBER}{pct} target is inside the range, so it is met in some months only\.", target)
            target_verdict = None
        else:
            assert right_side or wrong_side
            word = "right" if right_side else "wrong"
            m = re.fullmatch(rf"The whole range is on the {word} side of the {NUMBER}{pct} target\.", target)
            target_verdict = "pass" if right_side else "fail"
        assert m, text
        same(m[1], t)

    # The rating follows from the pattern and the target, by the published RAG rules
    expected = {
        "Rated red: the change is for the worse.": pattern_way == worse,
        "Rated red: the target will not be met without change.": pattern_way != worse and target_verdict == "fail",
        "Rated green: the change is for the better.": pattern_way == -worse and target_verdict != "fail",
        "Rated green: the target is met every month.": pattern_way == 0 and target_verdict == "pass",
        "Rated amber: no clear change.": pattern_way == 0 and target_verdict is None,
    }
    assert expected.get(reason), (reason, text)
    assert reason.startswith(f"Rated {row['rag']}:"), text


@pytest.mark.slow  # every rating re-derived, about 8 s
def test_every_demo_explanation_is_true_to_every_number(demo_db):
    ratings, series = stored(demo_db)
    assert len(ratings) > 3000
    for row in ratings:
        check(row, series[row["measure_id"], row["area_id"]])


@pytest.mark.slow  # every rating re-derived, about 4 s
def test_every_explanation_of_the_real_leicestershire_files_is_true_to_every_number(llr_db):
    ratings, series = stored(llr_db)
    assert len({row["measure_id"] for row in ratings}) > 1 and len(ratings) > 500
    for row in ratings:
        check(row, series[row["measure_id"], row["area_id"]])
