"""Every page in Streamlit's AppTest on the real files of both forces (the `real_both_db` set-up:
Leicestershire at home, Lancashire, real boundaries and populations), at months that real data makes
awkward. What a browser cannot read from a table (its cells are drawn on a canvas, and a missing
figure is drawn as "None") is checked here on the table's own values."""
from __future__ import annotations

import pandas as pd
import pytest

from tests.browser_helpers import dashboard_pages

pytestmark = [pytest.mark.real_data, pytest.mark.slow]

# The latest month; the first after the Leicestershire gap (no year before it); the last before
# the gap; and the first lockdown month, when many records had no location.
MONTHS = ("2024-04", "2024-01", "2022-10", "2020-03")
PAGE_FILES = {path: f"pages/{path or 'overview'}.py" for path in dashboard_pages()}


@pytest.mark.parametrize("month", MONTHS)
@pytest.mark.parametrize("path", list(PAGE_FILES))
def test_no_table_on_a_real_page_shows_a_missing_value_as_none(app, real_both_db, path, month):
    at = app(db=real_both_db, month=month)
    at.run()
    at.switch_page(PAGE_FILES[path]).run()
    assert not at.exception, at.exception
    for table in at.dataframe:
        frame = table.value if isinstance(table.value, pd.DataFrame) else pd.DataFrame(table.value)
        empty = frame.columns[frame.isna().any()].tolist()
        assert empty == [], f"{path or 'overview'} {month}: missing values shown as None in {empty}"
    words = " ".join(m.value for m in [*at.markdown, *at.caption, *at.info, *at.warning])
    for missing in ("None", "nan", "NaN", "<NA>"):
        assert f" {missing} " not in f" {words} ", f"{path or 'overview'} {month}: {missing!r} in the words"
