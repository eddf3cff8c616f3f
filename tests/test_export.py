"""Downloads are safe to open in a spreadsheet."""
import io

import pandas as pd

from scrutiny.core.export import safe_csv


def test_text_that_would_run_as_a_formula_is_neutralised_and_numbers_are_kept():
    table = pd.DataFrame({
        "Area": ["=HYPERLINK(\"http://x\",\"click\")", "+SUM(A1)", "-2+3", "@cmd", "City Centre", "a=b"],
        "Change (%)": [-7.1, 3.0, -0.5, 0.0, 1.0, 2.0],
    })
    text = safe_csv(table).decode("utf-8")
    back = pd.read_csv(io.StringIO(text))
    assert list(back["Area"]) == ["'=HYPERLINK(\"http://x\",\"click\")", "'+SUM(A1)", "'-2+3", "'@cmd", "City Centre", "a=b"]
    assert list(back["Change (%)"]) == [-7.1, 3.0, -0.5, 0.0, 1.0, 2.0]


def test_a_header_that_would_run_as_a_formula_is_neutralised_too():
    assert safe_csv(pd.DataFrame({"=cmd": [1]})).decode().splitlines()[0] == "'=cmd"
