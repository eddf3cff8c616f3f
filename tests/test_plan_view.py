"""The Plan matrix and its detail, as HTML and choices without Streamlit (scrutiny.show.plan_view)."""
import re

import pandas as pd

from scrutiny.core.months import Month
from scrutiny.core.vocab import NOT_RATED, TOO_FEW_POINTS
from scrutiny.show import plan_view

MATRIX = pd.DataFrame({
    "measure_id": ["thefts", "thefts", "calls"], "measure_name": ["Thefts", "Thefts", "Calls answered"],
    "area_id": ["force", "town", "force"], "area_name": ["The force", "The <town>", "The force"],
    "area_level": ["force", "npa", "force"], "rag": ["red", "green", NOT_RATED],
    "decided_by": ["spc", "spc", TOO_FEW_POINTS], "explanation": ["", "", ""]})


def test_the_detail_shows_the_area_asked_for_else_the_sidebars_else_the_first_measured():
    assert plan_view.detail_area(["force", "town"], "town", "force") == "town"
    assert plan_view.detail_area(["force", "town"], None, "town") == "town"
    assert plan_view.detail_area(["force"], "town", "town") == "force"  # a force-wide measure
    assert plan_view.detail_area(["force", "town"], "nowhere", "elsewhere") == "force"


def test_the_cell_shown_is_marked_and_a_link_to_an_unknown_measure_marks_none():
    assert plan_view.shown_cell(MATRIX, "thefts", "town", "force") == ("thefts", "town")
    assert plan_view.shown_cell(MATRIX, "calls", "town", "town") == ("calls", "force")
    assert plan_view.shown_cell(MATRIX, "nothing", "town", "force") is None
    assert plan_view.shown_cell(MATRIX, None, None, "force") is None
    marked = plan_view.matrix_html(MATRIX, Month(2024, 1), shown=("thefts", "town"))
    assert re.findall(r'data-measure="(\w+)" data-area="(\w+)" aria-label="[^"]*" aria-current="true"', marked) == [
        ("thefts", "town")]


def test_every_cell_is_a_named_link_with_its_area_for_narrow_screens_and_a_gap_says_not_measured():
    matrix = plan_view.matrix_html(MATRIX, Month(2024, 1), link_params={"area": "force", "month": "2024-01"})
    cells = matrix.split("<tbody>")[1].split("<td")[1:]
    assert len(cells) == 4
    assert ('<a href="?month=2024-01&amp;area=force&amp;measure=thefts&amp;detail_area=town#measure-detail" '
            'target="_self" data-measure="thefts" data-area="town" aria-label="Thefts, The &lt;town&gt;: '
            '\u2714 Green: Improving or on target">') in cells[1]
    assert '<span class="where">The &lt;town&gt;</span>' in cells[1]  # shown when the table becomes lines
    assert cells[3].startswith(' class="none">not measured</td></tr>')
