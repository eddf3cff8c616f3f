"""`python -m scrutiny spc SERIES.csv`: reading the CSV, the JSON it prints, refusing bad files."""
import argparse
import json

import pytest

from scrutiny.commands import spc
from scrutiny.core.errors import UserError
from tests.helpers import scrutiny_process


def run_spc(*argv):
    """Run the sub-command through its own parser, so these tests need no other command module."""
    parser = argparse.ArgumentParser()
    spc.register(parser.add_subparsers())
    args = parser.parse_args(["spc", *map(str, argv)])
    return args.func(args)


def write(tmp_path, text, name="series.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rounded(data):
    """The JSON with floats rounded to 6 places, to compare with hand-computed numbers."""
    if isinstance(data, float):
        return round(data, 6)
    if isinstance(data, dict):
        return {key: rounded(value) for key, value in data.items()}
    if isinstance(data, list):
        return [rounded(item) for item in data]
    return data


def test_prints_the_whole_chart_as_json_sorted_by_period(tmp_path, capsys):
    # Unsorted rows, padded header names and an extra column that is ignored.
    path = write(tmp_path, " period , value ,note\n2024-03,14,x\n2024-01,10,y\n2024-02,12,z\n")
    assert run_spc(path, "--improvement", "lower") == 0
    # mean (10 + 12 + 14) / 3 = 12; moving ranges 2, 2, mean 2;
    # limits 12 -/+ 2.66 x 2 = 6.68, 17.32; 2 sigma 12 -/+ 1.773 x 2 = 8.454, 15.546
    lines = {"phase": 1, "mean": 12.0, "lower_limit": 6.68, "upper_limit": 17.32,
             "lower_2sigma": 8.454, "upper_2sigma": 15.546, "special_cause": False, "kind": None, "rules": []}
    assert rounded(json.loads(capsys.readouterr().out)) == {
        "points": [
            {"period": "2024-01", "value": 10.0, **lines},
            {"period": "2024-02", "value": 12.0, **lines},
            {"period": "2024-03", "value": 14.0, **lines},
        ],
        "variation": None,  # fewer than 13 points
        "assurance": None,
        "step_changes": [],
        "lasting_shift_since": None,
        "pending_step_changes": [],
    }


def test_target_and_baseline_reach_the_ratings(tmp_path, capsys):
    rows = [f"2023-{m:02d},{v}" for m, v in zip(range(1, 13), [9, 11] * 6)] + ["2024-01,20"]
    path = write(tmp_path, "period,value\n" + "\n".join(rows) + "\n")
    assert run_spc(path, "--improvement", "higher", "--target", "3", "--baseline", "12") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["points"][-1]["rules"] == ["astronomical"]
    assert data["points"][-1]["upper_limit"] == pytest.approx(15.32)  # from the first 12 only
    assert (data["variation"], data["assurance"]) == ("improvement", "pass")


def test_step_changes_and_baseline_give_each_point_its_phase_and_limits(tmp_path, capsys):
    # 2022-01..2023-01: 10, 12, 11, 15, 12, then 11 x 8; 2023-02..2024-03: 19, 21 x 7.
    # Phase 1, baseline 5: mean 12, MR (2+1+4+3)/4 = 2.5, limits 12 -/+ 6.65 = 5.35, 18.65.
    # Phase 2 from 2023-02 (14 points): mean 20, MR 2, limits 20 -/+ 5.32 = 14.68, 25.32.
    # The step change at 2024-01 has only 3 points after it, so it joins phase 2.
    values = [10, 12, 11, 15, 12] + [11] * 8 + [19, 21] * 7
    months = [f"{2022 + (i // 12)}-{i % 12 + 1:02d}" for i in range(len(values))]
    path = write(tmp_path, "period,value\n" + "".join(f"{m},{v}\n" for m, v in zip(months, values)))
    assert run_spc(path, "--improvement", "lower", "--baseline", "5",
                   "--step-change", "2023-02", "--step-change", "2024-01") == 0
    printed = capsys.readouterr()
    data = rounded(json.loads(printed.out))
    assert [p["phase"] for p in data["points"]] == [1] * 13 + [2] * 14
    # the short one is said, not dropped in silence: 2024-01, 02 and 03 are 3 months from it
    assert data["pending_step_changes"] == [{"period": "2024-01", "reason": ""}]
    assert printed.err == ("note: the step change of 2024-01 has 3 months from it; it takes effect once 13 do, "
                           "so its months are in the phase before\n")
    assert {(p["mean"], p["lower_limit"], p["upper_limit"]) for p in data["points"][:13]} == {(12, 5.35, 18.65)}
    assert {(p["mean"], p["lower_limit"], p["upper_limit"]) for p in data["points"][13:]} == {(20, 14.68, 25.32)}
    assert data["step_changes"] == [{"period": "2023-02", "reason": ""}]
    assert data["variation"] == "common_cause"


def test_a_step_change_that_is_not_a_month_is_refused(tmp_path, capsys):
    path = write(tmp_path, "period,value\n2024-01,3\n2024-02,4\n")
    with pytest.raises(SystemExit) as caught:
        run_spc(path, "--improvement", "lower", "--step-change", "June 2021")
    assert caught.value.code == 2
    assert "--step-change: 'June 2021' is not a month in the form YYYY-MM" in capsys.readouterr().err


@pytest.mark.parametrize("text, message", [
    ("", "{path}: the file is empty"),
    ("\n\n", "{path}: the file is empty"),
    ("period,value\n", "{path}: no data rows under the header"),
    ("month,value\n2024-01,3\n", "{path} line 1: no column named 'period'"),
    ("period,count\n2024-01,3\n", "{path} line 1: no column named 'value'"),
    ("period,value\n2024-01,3\n2024-02,1\n2024-03,abc\n",
     "{path} line 4: value 'abc' is not a number"),
    ("period,value\n2024-01,\n", "{path} line 2: value '' is not a number"),
    ("period,value\n2024-01\n", "{path} line 2: value '' is not a number"),
    ("period,value\n2024-01,nan\n", "{path} line 2: value 'nan' is not a number"),
    ("period,value\n2024-01,inf\n", "{path} line 2: value 'inf' is not a number"),
    ("period,value\n2024-01,3\nJan 2024,4\n",
     "{path} line 3: period 'Jan 2024' is not a month in the form YYYY-MM"),
    ("period,value\n2024-13,3\n",
     "{path} line 2: period '2024-13' is not a month in the form YYYY-MM"),
    ("period,value\n2024-01,3\n2024-02,4\n2024-01,5\n",
     "{path} line 4: period 2024-01 already on line 2"),
])
def test_bad_file_is_refused_naming_file_line_and_problem(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(UserError) as caught:
        run_spc(path, "--improvement", "lower")
    assert str(caught.value) == message.format(path=path)


def test_missing_file_is_refused(tmp_path):
    path = tmp_path / "nowhere.csv"
    with pytest.raises(UserError) as caught:
        run_spc(path, "--improvement", "lower")
    assert str(caught.value) == f"{path}: file not found"


def test_baseline_longer_than_the_series_is_refused(tmp_path):
    path = write(tmp_path, "period,value\n2024-01,3\n2024-02,4\n")
    with pytest.raises(UserError) as caught:
        run_spc(path, "--improvement", "lower", "--baseline", "5")
    assert str(caught.value) == f"{path}: --baseline 5: it must be between 2 and 2, the number of months in the series"


@pytest.mark.slow  # a Python process of its own: about 4 s
def test_command_line_reports_bad_file_on_stderr_with_exit_code_2(tmp_path):
    # Through `python -m scrutiny`, so it needs every module in scrutiny.commands.cli.COMMAND_MODULES.
    path = write(tmp_path, "period,value\n2024-01,abc\n")
    finished = scrutiny_process("spc", path, "--improvement", "lower")
    assert (finished.returncode, finished.stdout, finished.stderr) == (
        2, "", f"error: {path} line 2: value 'abc' is not a number\n")
