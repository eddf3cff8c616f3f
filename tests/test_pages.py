"""Every page renders in Streamlit's AppTest without an exception, with its heading and numbers."""
import datetime as dt
import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from scrutiny.core.paths import REPO_ROOT
from scrutiny.core.words import WHY_THEY_CAN_DIFFER
from tests.helpers import ALL_CRIME_JANUARY_2024, PAGES, plan_matrix_html


def test_every_page_declared_in_the_dashboard_has_a_test():
    declared = {line.split('"')[1] for line in (REPO_ROOT / "dashboard.py").read_text().splitlines()
                if "st.Page(" in line}
    assert declared == set(PAGES)


@pytest.mark.parametrize("page, heading", PAGES.items())
def test_every_page_renders_without_an_exception(app, page, heading):
    at = app()
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    assert [t.value for t in at.title] == [heading]
    # Present keeps the notice to a line at the foot of every slide; the other pages show a box.
    notices = at.caption if page == "pages/present.py" else at.info
    assert any("Demonstration data" in n.value for n in notices)


def test_overview_shows_counts_beside_percentages(app):
    at = app(month="2024-01")
    at.run()
    all_crime = next(m for m in at.metric if m.label == "All crime")
    assert all_crime.value == "7,774"
    # one minus sign throughout (the arrow and colour are given to Streamlit, not read from an ASCII '-')
    assert all_crime.delta == "\u2212475 (\u22125.8%) on 8,249 in January 2023"
    # A fall is drawn as a fall (down arrow), in the colour for good news when less is better.
    from streamlit.proto.Metric_pb2 import Metric

    assert all_crime.proto.direction == Metric.MetricDirection.DOWN
    assert all_crime.proto.color == Metric.MetricColor.GREEN


def test_areas_page_table_has_every_area_for_the_chosen_month(app):
    at = app(month="2024-01", crime_type="All crime")
    at.run()
    at.switch_page("pages/areas.py").run()
    table = at.dataframe[0].value
    assert len(table) == 9  # the 8 areas, then the force as a whole (the demo places every record)
    assert dict(zip(table.Area, table["Change (%)"]))["Melton and Rutland"] == -10.0
    assert list(table.Area)[-1] == "Leicestershire Police"
    assert table["January 2024"].iloc[-1] == table["January 2024"].iloc[:-1].sum()


def test_the_trends_spc_table_writes_counts_with_separators_and_limits_to_one_decimal(app):
    at = app(month="2024-01", crime_type="All crime")
    at.run()
    at.switch_page("pages/trends.py").run()
    table = next(d.value for d in at.dataframe if "Upper limit" in d.value.columns)
    # The force's 7,774 crimes of January 2024 (as on the Overview), not 7774.0.
    assert table.iloc[-1][["Month", "Value"]].tolist() == ["January 2024", "7,774"]
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*", v) for v in table.Value)
    for column in ("Average", "Lower limit", "Upper limit"):
        assert all(re.fullmatch(r"\d{1,3}(,\d{3})*\.\d", v) for v in table[column]), column


def test_a_link_sets_the_filters(app):
    at = app(area="city-centre", crime_type="Burglary", month="2023-06")
    at.run()
    assert (at.selectbox(key="area").value, at.selectbox(key="crime_type").value,
            at.selectbox(key="month").value) == ("city-centre", "Burglary", "2023-06")


def test_changing_a_filter_updates_the_link(app):
    at = app()
    at.run()
    at.selectbox(key="crime_type").set_value("Robbery").run()
    assert at.query_params["crime_type"] == "Robbery"


@pytest.mark.parametrize("param, value", [("area", "atlantis"), ("crime_type", "<script>"), ("month", "1999-01")])
def test_an_unknown_value_in_a_link_gives_a_friendly_note_and_the_default(app, param, value):
    at = app(**{param: value})
    at.run()
    assert not at.exception
    assert any("does not have" in w.value for w in at.warning)
    assert at.selectbox(key=param).value != value


@pytest.mark.slow
def test_the_app_serves_a_new_database_file_once_it_is_renamed_into_place(app, tmp_path):
    import os

    import duckdb

    from scrutiny.demo.build import build_demo
    from scrutiny.core.paths import DEMO_DIR

    served, replacement = tmp_path / "served.duckdb", tmp_path / "replacement.duckdb"
    build_demo(served, DEMO_DIR)
    at = app(db=served)
    at.run()
    assert next(m for m in at.metric if m.label == "All crime").value == "7,774"

    build_demo(replacement, DEMO_DIR)
    with duckdb.connect(str(replacement)) as con:
        con.execute("""update area_month_totals set crime_count = 12345
                       where area_id = 'leicestershire' and crime_type = 'All crime' and month = '2024-01-01'""")
    os.replace(replacement, served)
    os.utime(served, ns=(os.stat(served).st_atime_ns, os.stat(served).st_mtime_ns + 1_000_000))
    # The next view still reads the file before, whole, while the new file's figures are worked
    # out (scrutiny.store.handover); once they are, the view after reads the new file.
    at.run()
    assert not at.exception
    assert next(m for m in at.metric if m.label == "All crime").value == "7,774"
    import ui  # the module the app's runs imported, with their handover (pages import it too)
    assert ui._handover(str(served)).wait_until_ready(timeout=60)
    at.run()
    assert not at.exception
    assert next(m for m in at.metric if m.label == "All crime").value == "12,345"


@pytest.mark.slow
def test_a_fresh_clone_builds_the_demo_database_on_first_start(tmp_path, monkeypatch):
    from scrutiny.core import paths

    fresh = tmp_path / "data" / "scrutiny.duckdb"
    monkeypatch.delenv("SCRUTINY_DB", raising=False)
    monkeypatch.setattr(paths, "DEFAULT_DB", fresh)
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert fresh.exists()
    assert next(m for m in at.metric if m.label == "All crime").value == "7,774"


def test_a_missing_database_named_by_scrutiny_db_is_an_error_not_a_new_demo(app, tmp_path):
    missing = tmp_path / "elsewhere.duckdb"
    at = app(db=missing)
    at.run()
    # named by its file name, not the server's folders (those are not for every visitor)
    assert [e.value for e in at.error] == ["The database named by SCRUTINY_DB, elsewhere.duckdb, does not exist."]
    assert not missing.exists()


def test_plan_page_shows_every_measure_with_a_badge_and_an_explanation(app, demo_con):
    at = app(month="2024-01")
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    page_html = " ".join(h.proto.body for h in at.get("html"))
    for (name,) in demo_con.execute("select measure_name from measures").fetchall():
        assert name in page_html
    for badge in ("\u2716 Red: Concern", "\u25CF Amber: No clear change", "\u2714 Green: Improving or on target"):
        assert badge in page_html
    matrix = plan_matrix_html(at)
    for badge in ("\u2716 Red", "\u25CF Amber", "\u2714 Green"):  # compact: icon and colour, the key gives the words
        assert f">{badge}</span>" in matrix


def matrix_cell(matrix: str, measure: str, area: str) -> str:
    """The opening tag of a matrix cell's link."""
    return re.search(rf'<a [^>]*data-measure="{measure}" data-area="{area}"[^>]*>', matrix).group(0)


def test_a_plan_matrix_cell_links_to_its_detail_keeping_the_pages_filters_and_the_sidebars_area(app):
    at = app(month="2024-01", crime_type="Burglary")
    at.run()
    at.switch_page("pages/plan.py").run()
    cell = matrix_cell(plan_matrix_html(at), "burglary", "city-centre")
    link = urlsplit(html.unescape(re.search(r'href="([^"]*)"', cell).group(1)))
    # the area of the detail is detail_area: `area` stays the sidebar's (the force), so a new tab
    # opened from the cell shows the same sidebar
    assert dict(parse_qsl(link.query)) == {"area": "leicestershire", "crime_type": "Burglary", "month": "2024-01",
                                           "measure": "burglary", "detail_area": "city-centre"}
    assert link.fragment == "measure-detail"
    assert 'aria-label="Burglary, City Centre: \u25CF Amber: No clear change"' in cell
    assert 'aria-current="true"' not in plan_matrix_html(at)  # no detail asked for: no cell marked


def test_plan_page_detail_area_shows_that_area_and_leaves_the_sidebar_alone(app, demo_con):
    at = app(month="2024-01", measure="burglary", detail_area="city-centre")
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    assert at.selectbox(key="measure").value == "burglary"
    assert at.selectbox(key="area").value == "leicestershire"
    assert at.query_params["area"] == "leicestershire"
    stored = demo_con.execute("""select explanation from ratings
        where measure_id = 'burglary' and area_id = 'city-centre' and month = '2024-01-01'""").fetchone()[0]
    assert stored.split(".")[0].replace(".", "\\.") in " ".join(m.value for m in at.markdown)
    matrix = plan_matrix_html(at)
    assert 'aria-current="true"' in matrix_cell(matrix, "burglary", "city-centre")
    assert matrix.count('aria-current="true"') == 1


def test_plan_page_detail_follows_the_sidebars_area_once_the_reader_changes_it(app):
    at = app(month="2024-01", measure="burglary", detail_area="city-centre")
    at.run()
    at.switch_page("pages/plan.py").run()
    at.selectbox(key="month").set_value("2023-12").run()  # another filter: the detail keeps its area
    assert "Burglary in City Centre was" in " ".join(m.value for m in at.markdown)
    at.selectbox(key="area").set_value("charnwood").run()
    assert not at.exception
    assert "Burglary in Charnwood was" in " ".join(m.value for m in at.markdown)
    assert "detail_area" not in at.query_params


def test_plan_page_detail_area_of_a_force_only_measure_shows_the_force(app):
    at = app(month="2024-01", measure="calls_999_in_10s", detail_area="city-centre")
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    assert "999 calls answered within 10 seconds in Leicester, Leicestershire and Rutland was" in " ".join(
        m.value for m in at.markdown)
    assert 'aria-current="true"' in matrix_cell(plan_matrix_html(at), "calls_999_in_10s", "leicestershire")


def test_plan_page_link_opens_the_measure_detail_with_its_stored_explanation(app, demo_con):
    at = app(month="2024-01", measure="burglary", area="city-centre")
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    assert at.selectbox(key="measure").value == "burglary"
    stored = demo_con.execute("""select explanation from ratings
        where measure_id = 'burglary' and area_id = 'city-centre' and month = '2024-01-01'""").fetchone()[0]
    assert stored.split(".")[0].replace(".", "\\.") in " ".join(m.value for m in at.markdown)


def test_plan_page_refuses_an_unknown_detail_area_in_a_link_politely_and_shows_the_sidebars(app):
    at = app(month="2024-01", measure="burglary", area="charnwood", detail_area="atlantis")
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    assert any("the area of the detail \u201catlantis\u201d" in w.value for w in at.warning)
    assert "Burglary in Charnwood was" in " ".join(m.value for m in at.markdown)


def test_plan_page_refuses_an_unknown_measure_in_a_link_politely(app):
    at = app(month="2024-01", measure="'; drop table ratings; --")
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    assert any("does not have" in w.value for w in at.warning)



@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_for_a_month_with_no_figure_a_year_before(app, page):
    # The demo starts in January 2019, so June 2019 has nothing to compare with.
    at = app(month="2019-06")
    at.run()
    at.switch_page(page).run()
    assert not at.exception


def test_a_plan_page_link_chooses_the_month_to_compare_with_and_keeps_it(app):
    import datetime as dt

    at = app(month="2024-01", since="2023-06")
    at.run()
    at.switch_page("pages/plan.py").run()
    assert at.selectbox(key="since").value == dt.date(2023, 6, 1)
    at.selectbox(key="since").set_value(dt.date(2023, 9, 1)).run()
    assert at.query_params["since"] == "2023-09"  # written back to the link as a month key


def test_an_unknown_month_to_compare_with_gives_a_note_and_two_months_before(app):
    import datetime as dt

    at = app(month="2024-01", since="2024-05")  # after the rated month: not a choice
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    assert any("the month to compare with" in w.value for w in at.warning)
    assert at.selectbox(key="since").value == dt.date(2023, 11, 1)
    assert at.query_params["since"] == "2023-11"


def test_overview_squares_all_crimes_change_with_its_rating_in_one_sentence(app):
    at = app(month="2024-01")
    at.run()
    assert not at.exception
    page_html = " ".join(h.proto.body for h in at.get("html"))
    assert "\u25CF Amber: No clear change" in page_html and ALL_CRIME_JANUARY_2024 in page_html


def test_plan_page_squares_each_change_with_its_rating_and_so_do_the_changes_since_the_last_meeting(app, demo_con):
    at = app(month="2024-01", since="2023-11")
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    page_html = " ".join(h.proto.body for h in at.get("html"))
    assert f"<i>{ALL_CRIME_JANUARY_2024}</i>" in page_html
    # A rating that moved to amber although its January 2024 figure is a notable change on January
    # 2023 (exact test): the changes since the last meeting must square the two in one sentence.
    from scipy.stats import binomtest

    moved = demo_con.execute("""
        select n.value, n.value_previous_year, n.change_pct, json_extract_string(n.evidence, '$.step_change.month')
        from ratings n join ratings b using (measure_id, area_id) join measures m using (measure_id)
        where n.month = '2024-01-01' and b.month = '2023-11-01' and n.rag <> b.rag and n.rag = 'amber'
          and m.unit = 'count' and n.value_previous_year is not null""").fetchall()
    notable = [(v, t, c, s) for v, t, c, s in moved if binomtest(int(v), int(v + t), 0.5).pvalue < 0.05]
    assert notable, "the demo should have a rating that moved to amber with a notable change"
    value, then, change, step = notable[0]
    span = (f"since the step change in {dt.datetime.strptime(step[:7], '%Y-%m'):%B %Y}" if step
            else "of the last three years")
    changes = " ".join(m.value for m in at.markdown if "2023" in m.value).replace("\\", "")  # markdown escapes
    assert (f"*{'Up' if value > then else 'Down'} {abs(change):.1f}% on January 2023, a notable "
            f"{'rise' if value > then else 'fall'}, but within the normal range {span}, so amber.*") in changes


def test_methodology_says_why_a_notable_change_can_still_be_amber(app):
    at = app()
    at.run()
    at.switch_page("pages/methodology.py").run()
    assert WHY_THEY_CAN_DIFFER in [m.value for m in at.markdown]
    assert any("less than 1 time in 20" in m.value for m in at.markdown)


def test_the_areas_map_shows_the_rate_when_there_is_no_year_before(app):
    # the demo starts in January 2019: June 2019 has no year before, so a map of the change is all grey
    for month, shown in (("2019-06", "rate"), ("2024-01", "change")):
        at = app(month=month)
        at.run()
        at.switch_page("pages/areas.py").run()
        assert not at.exception
        assert at.radio(key="areas_map").value == shown, month
    at = app(month="2019-06", map="change")  # a link that asks for the change still gets it
    at.run()
    at.switch_page("pages/areas.py").run()
    assert at.radio(key="areas_map").value == "change"
