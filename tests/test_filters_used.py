"""Every page honours each sidebar filter or shows it as not used, with why (issue 15); Trends
honours the month; the glossary is in every page's sidebar."""
import json

import pandas as pd
import pytest

import ui
from scrutiny.core import words
from scrutiny.present import trend
from tests.helpers import PAGES

# The filters each page leaves unused (the rest it honours). Overview is hooked up separately.
UNUSED = {
    "pages/trends.py": set(),
    "pages/areas.py": {"area"},
    "pages/compare.py": {"area"},
    "pages/plan.py": {"crime_type"},
    "pages/present.py": {"area", "crime_type"},
    "pages/methodology.py": {"area", "crime_type", "month"},
}


def sidebar_captions(at) -> list[str]:
    return [c.value for c in at.sidebar.caption]


@pytest.mark.parametrize("page, unused", UNUSED.items())
def test_a_page_greys_out_the_filters_it_does_not_use_and_says_why(app, page, unused):
    at = app(month="2024-01")
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    disabled = {key for key in ui.FILTER_KEYS if at.selectbox(key=key).disabled}
    assert disabled == unused
    reasons = [c for c in sidebar_captions(at) if c.startswith("Not used on this page: ")]
    assert len(reasons) == len(unused)
    for key in unused:
        assert at.selectbox(key=key).help.startswith("Not used on this page: ")


def test_a_filter_not_used_on_one_page_keeps_its_value_for_the_next(app):
    at = app(area="charnwood", crime_type="Burglary", month="2023-11")
    at.run()
    at.switch_page("pages/areas.py").run()
    assert at.selectbox(key="area").disabled
    at.switch_page("pages/trends.py").run()
    assert (at.selectbox(key="area").value, at.selectbox(key="month").value) == ("charnwood", "2023-11")
    at.switch_page("pages/methodology.py").run()
    at.switch_page("pages/compare.py").run()
    assert (at.selectbox(key="area").value, at.selectbox(key="crime_type").value) == ("charnwood", "Burglary")


def test_month_warnings_and_quality_are_left_out_where_the_month_is_not_used(app):
    at = app(month="2024-01")
    at.run()
    at.switch_page("pages/trends.py").run()
    quality = [c for c in sidebar_captions(at) if "placed in an area" in c]
    assert quality  # the month's data quality, under the month it describes
    at.switch_page("pages/methodology.py").run()
    assert not [c for c in sidebar_captions(at) if "placed in an area" in c]


def test_a_page_must_say_why_it_leaves_a_filter_unused():
    with pytest.raises(ValueError, match="Say why"):
        ui.filters(uses={"area", "month"})
    with pytest.raises(ValueError, match="No such"):
        ui.filters(uses=ui.FILTER_KEYS, unused_why={"colour": "no colours here"})
    with pytest.raises(ValueError, match="Used and not used"):
        ui.filters(uses=ui.FILTER_KEYS, unused_why={"area": "a reason"})


def trends_charts(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_trends_speaks_of_the_month_chosen_not_the_latest(app):
    at = app(month="2023-11", crime_type="All crime")
    at.run()
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    trend_chart, rolling, spc = trends_charts(at)
    # the demo runs to January 2024; November 2023 was chosen
    assert "in the 12 months to November 2023" in trend_chart["layout"]["title"]["text"]
    assert max(trend_chart["data"][0]["x"])[:7] == "2023-11"
    assert max(rolling["data"][0]["x"])[:7] == "2023-11"
    assert "months to November 2023" in spc["layout"]["title"]["subtitle"]["text"]
    table = next(d.value for d in at.dataframe if "12-month total" in d.value.columns)
    assert table.Month.iloc[-1] == "November 2023"
    answer = next(m.value for m in at.markdown if m.value.startswith(("**Yes", "**No", "**Not yet")))
    assert "November 2023" in answer


def series(values: list[float], first: str = "2022-02") -> pd.DataFrame:
    months = pd.date_range(first, periods=len(values), freq="MS")
    return pd.DataFrame({"month": months, "crime_count": values})


def alternating(n: int) -> list[float]:
    return [10.0 if i % 2 == 0 else 12.0 for i in range(n)]


def test_the_answer_says_no_with_the_normal_range_when_nothing_is_unusual():
    # 23 months alternating 10, 12, ... (ending on 10), then 11 in January 2024. Mean 263/24 =
    # 10.958; moving ranges 22 x 2 and 1, mean 45/23 = 1.957; limits 10.958 -/+ 2.66 x 1.957 =
    # 5.754 and 16.163. No 7 in a row on one side, no trend, nothing beyond the 2-sigma lines.
    window = trend.latest_window(series(alternating(23) + [11.0]), "2024-01")
    assert window.answer("2024-01") == ("No: January 2024 had 11 crimes, within the normal range of 5.8 to "
                                        "16.2 a month, with no unusual pattern.")


def test_the_answer_says_yes_and_names_the_rule_when_the_latest_month_is_beyond_the_range():
    # the same 23 months, then 40: its moving range (30) is screened out (above 3.267 x 72/23),
    # so the limits are 292/24 = 12.17 +/- 5.32, and 40 is far above them
    window = trend.latest_window(series(alternating(23) + [40.0]), "2024-01")
    assert window.answer("2024-01") == ("Yes: January 2024 had 40 crimes, a special cause that is a concern "
                                        "(more crimes): outside the normal range.")


def test_the_answer_names_the_latest_month_with_figures_when_the_chosen_one_has_none():
    window = trend.latest_window(series(alternating(23) + [11.0]), "2024-03")
    assert window.answer("2024-03").startswith(
        "No: January 2024, the latest month with figures up to March 2024, had 11 crimes, within")


def test_the_answer_says_not_yet_known_with_too_few_months():
    window = trend.latest_window(series([10.0, 12.0, 11.0, 9.0, 14.0]), "2022-06")
    assert window.answer("2022-06") == ("Not yet known: June 2022 had 14 crimes, but telling the usual from "
                                        "the unusual needs at least 13 months of figures and there are 5.")


def test_up_to_cuts_the_series_at_the_chosen_month():
    cut = trend.up_to(series([1.0, 2.0, 3.0, 4.0]), "2022-03")
    assert list(cut.crime_count) == [1.0, 2.0]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_the_glossary_in_its_sidebar(app, page):
    at = app(month="2024-01")
    at.run()
    at.switch_page(page).run()
    glossary = next(e for e in at.sidebar.expander if e.label.startswith("Glossary"))
    text = " ".join(m.value for m in glossary.markdown)
    for term, meaning in words.GLOSSARY.items():
        assert f"**{term}.** {meaning}" in text
    assert {"PCC", "CSP", "NPA", "ASB", "Special cause", "Normal range", "Notable", "Step change",
            "Process limits", "2-sigma lines", "Percentage points", "LSOA"} <= set(words.GLOSSARY)  # the charts' key
    # every step change shown is about a lockdown: the Methodology's own examples, not a policy
    assert "the end of a lockdown, a change in recording" in words.GLOSSARY["Step change"]


def test_the_area_filter_says_what_an_npa_is_where_it_is_used(app):
    at = app(month="2024-01")
    at.run()
    at.switch_page("pages/trends.py").run()
    assert "neighbourhood policing areas (NPAs)" in at.selectbox(key="area").help


def test_a_filter_streamlit_forgot_is_read_again_from_the_link(app):
    # Under load a run cut short by another can leave one widget's value forgotten while the others
    # are kept (20 sessions on the load script: "st.session_state has no key 'crime_type'").
    at = app(area="charnwood", crime_type="Burglary", month="2023-11")
    at.session_state["area"] = "charnwood"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="crime_type").value == "Burglary"
    assert at.selectbox(key="month").value == "2023-11"
