"""Months whose outcomes are still being recorded are provisional for the charge or summons rate:
marked on the chart and in the table, not rated, and the reason says so (issue 13). Every
expected figure below is worked out by hand from the rows written here, or counted from the real
files with Python's csv module."""
import csv
import datetime as dt
import gzip

import duckdb
import pytest

from scrutiny.core.months import Month
from scrutiny.core.vocab import NOT_RATED, OUTCOMES_PENDING, PERCENT, HIGHER, TOO_FEW_POINTS
from scrutiny.load.police_uk import import_police_uk
from scrutiny.rate.provisional import PROVISIONAL_EXCESS, Pending, provisional_months
from scrutiny.rate.ratings import rate_series
from scrutiny.rate.window import rating_window
from tests.helpers import plan_matrix_html
from scrutiny.show.spc_chart import PROVISIONAL_NAME, spc_chart, spc_table
from tests.ingest_helpers import month_file
from tests.readability import flesch_reading_ease

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
          "Crime type,Last outcome category,Context")
FORCE = "Leicestershire Police"
# Outcomes of the crimes of each month (anti-social behaviour has none and counts nowhere):
#   2023-01: 2 charged, 8 closed with no suspect, 0 under investigation of 10 -> 0%, the settled level
#   2023-02: 3 charged, 16 closed, 1 under investigation of 20 -> 5%: exactly 0 + 5, not above it
#   2023-03: 1 charged, 5 closed, 6 under investigation of 12 -> 50%: provisional
OUTCOMES = {
    "2023-01": {"Suspect charged": 2, "Investigation complete; no suspect identified": 8},
    "2023-02": {"Suspect charged": 2, "Awaiting court outcome": 1, "Unable to prosecute suspect": 6,
                "Investigation complete; no suspect identified": 10, "Under investigation": 1},
    "2023-03": {"Offender fined": 1, "Investigation complete; no suspect identified": 5, "Under investigation": 6},
}


def street_file(folder, month: str, outcomes: dict[str, int]):
    lines = [HEADER]
    n = 0
    for outcome, count in outcomes.items():
        for _ in range(count):
            n += 1
            lines.append(f"{month}-{n:03d},{month},{FORCE},{FORCE},-1.215560,52.619443,\"On or near Lancelot Close, Blaby\","
                         f"E01025631,Blaby 002A,Burglary,{outcome},")
    for _ in range(2):  # anti-social behaviour: no crime id, no outcome
        lines.append(f",{month},{FORCE},{FORCE},-1.215560,52.619443,On or near Hobill Close,E01025631,Blaby 002A,"
                     "Anti-social behaviour,,")
    path = folder / month / f"{month}-leicestershire-street.csv"
    path.parent.mkdir(parents=True)
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outcomes")
    files = [street_file(folder, month, outcomes) for month, outcomes in OUTCOMES.items()]
    path = folder / "small.duckdb"
    import_police_uk(files, path)
    with duckdb.connect(str(path), read_only=True) as con:
        yield con


def test_the_rule_marks_months_more_than_five_points_above_the_lowest_share():
    assert PROVISIONAL_EXCESS == 5
    shares = {Month(2023, 1): 0.0, Month(2023, 2): 5.0, Month(2023, 3): 5.1, Month(2023, 4): 50.0}
    assert provisional_months(shares) == {Month(2023, 3): Pending(5.1, 0.0), Month(2023, 4): Pending(50.0, 0.0)}
    # every month imported as first published: the settled level is the lowest, 40%, so 44% is not provisional
    assert provisional_months({Month(2023, 1): 40.0, Month(2023, 2): 44.0, Month(2023, 3): 45.5}) == {
        Month(2023, 3): Pending(45.5, 40.0)}
    assert provisional_months({}) == {}


def test_a_month_still_under_investigation_is_provisional_and_not_rated_with_the_reason(small_db):
    rows = small_db.execute("""
        select strftime(month, '%Y-%m'), round(value, 4), rag, decided_by, explanation
        from ratings where measure_id = 'charge_summons_rate' order by month
    """).fetchall()
    # rates by hand: charged / (charged + closed): 2/10, 3/19, 1/6
    assert [(m, v, rag, by) for m, v, rag, by, _ in rows] == [
        ("2023-01", 20.0, NOT_RATED, TOO_FEW_POINTS),
        ("2023-02", 15.7895, NOT_RATED, TOO_FEW_POINTS),
        ("2023-03", 16.6667, NOT_RATED, OUTCOMES_PENDING),
    ]
    assert rows[2][4] == (
        "Charge or summons rate in Leicester, Leicestershire and Rutland was 16.7% in March 2023. Not rated: "
        "outcomes for March 2023 are still being recorded. When the file was published, 50.0% of its crimes "
        "were still under investigation, against 0.0% in settled months, so the figure is provisional and "
        "is likely to rise.")
    assert flesch_reading_ease(rows[2][4]) >= 50
    assert "still being recorded" not in rows[1][4]
    # crime counts are not made from outcomes: none of their months is provisional
    assert small_db.execute("select count(*) from ratings where decided_by = ? and measure_id <> 'charge_summons_rate'",
                            [OUTCOMES_PENDING]).fetchone()[0] == 0


# 15 months of a rate: 14 settled months alternating 7 and 8, then 3.3. The range is from all 15:
# average (14 x 7.5 + 3.3) / 15 = 7.22; the changes are thirteen 1s and 4.7, whose average 17.7 / 14
# = 1.264 times 3.267 is 4.13 < 4.7, so 4.7 is screened out and the average change is 1; the
# normal range is 7.22 -/+ 2.66 = 4.56 to 9.88, and 3.3 is below it: red, unless provisional.
MONTHS = [Month(2021, 1).plus(i) for i in range(15)]
VALUES = [7.0, 8.0] * 7 + [3.3]
MEASURE = {"measure_id": "charge_summons_rate", "measure_name": "Charge or summons rate", "unit": PERCENT,
           "improvement": HIGHER, "target": None}


def test_a_month_that_would_be_red_is_not_rated_while_provisional():
    settled = rate_series(MEASURE, "Leicestershire", "leicestershire", MONTHS, VALUES)[-1]
    assert (settled["rag"], settled["lower_limit"], settled["upper_limit"]) == (
        "red", pytest.approx(4.56), pytest.approx(9.88))
    pending = rate_series(MEASURE, "Leicestershire", "leicestershire", MONTHS, VALUES,
                          pending={Month(2022, 3): Pending(51.4, 0.0)})
    latest = pending[-1]
    assert (latest["rag"], latest["decided_by"], latest["variation"], latest["assurance"]) == (
        NOT_RATED, OUTCOMES_PENDING, None, None)
    assert "Not rated: outcomes for March 2022 are still being recorded." in latest["explanation"]
    assert "51.4% of its crimes were still under investigation" in latest["explanation"]
    assert [r["rag"] for r in pending[:-1]] == [r["rag"] for r in rate_series(
        MEASURE, "Leicestershire", "leicestershire", MONTHS, VALUES)[:-1]]


def test_provisional_months_are_hollow_in_a_labelled_band_and_named_in_the_table():
    result = rating_window(MONTHS, VALUES, HIGHER)
    figure = spc_chart(result, improvement=HIGHER, unit=PERCENT, title="t", subtitle="s",
                       provisional=(Month(2022, 2), Month(2022, 3)))
    (trace,) = [t for t in figure.data if t.name == PROVISIONAL_NAME]
    assert [x.strftime("%Y-%m") for x in trace.x] == ["2022-02", "2022-03"]
    assert list(trace.y) == [8.0, 3.3]
    assert trace.marker.color == "#FFFFFF" and trace.marker.line.width == 3
    (band,) = figure.layout.shapes
    assert (band.x0, band.x1) == (dt.datetime(2022, 2, 1) - dt.timedelta(days=15),
                                  dt.datetime(2022, 3, 1) + dt.timedelta(days=15))
    assert [a.text for a in figure.layout.annotations if a.text == "Provisional"] == ["Provisional"]
    table = spc_table(result, provisional=(Month(2022, 2), Month(2022, 3)))
    assert list(table.Provisional) == ["No"] * 13 + ["Yes", "Yes"]
    assert "Provisional" not in spc_table(result).columns
    assert not [t for t in spc_chart(result, improvement=HIGHER, unit=PERCENT, title="t", subtitle="s").data
                if t.name == PROVISIONAL_NAME]


def test_october_2022s_charge_rate_on_the_real_files_is_not_rated_and_says_why(llr_db, real_data):
    # the share still under investigation, counted with the csv module (anti-social behaviour has no outcome)
    with gzip.open(month_file(real_data, "2022-10"), "rt", encoding="utf-8-sig", newline="") as f:
        crimes = [row for row in csv.DictReader(f) if row["Crime type"] != "Anti-social behaviour"]
    open_share = 100 * sum(row["Last outcome category"] == "Under investigation" for row in crimes) / len(crimes)
    with duckdb.connect(str(llr_db), read_only=True) as con:
        rag, decided_by, explanation = con.execute("""
            select rag, decided_by, explanation from ratings
            where measure_id = 'charge_summons_rate' and area_id = 'leicestershire' and month = '2022-10-01'
        """).fetchone()
        provisional = [m for (m,) in con.execute("""
            select strftime(month, '%Y-%m') from ratings
            where measure_id = 'charge_summons_rate' and decided_by = ? order by month""", [OUTCOMES_PENDING]).fetchall()]
    assert (rag, decided_by) == (NOT_RATED, OUTCOMES_PENDING)
    assert "Not rated: outcomes for October 2022 are still being recorded." in explanation
    assert f"{open_share:.1f}% of its crimes were still under investigation" in explanation
    assert open_share > 50
    # the last five months of each download (the 2024 one has only four)
    assert provisional == ["2022-06", "2022-07", "2022-08", "2022-09", "2022-10",
                           "2024-01", "2024-02", "2024-03", "2024-04"]


def test_the_chart_and_table_beside_octobers_rating_mark_the_provisional_months(llr_db):
    from scrutiny.present import meeting

    with duckdb.connect(str(llr_db), read_only=True) as con:
        evidence = meeting.measure_evidence(meeting.runner(con), "charge_summons_rate", "leicestershire",
                                            dt.date(2022, 10, 1))
    (trace,) = [t for t in evidence.figure.data if t.name == PROVISIONAL_NAME]
    provisional = ["June 2022", "July 2022", "August 2022", "September 2022", "October 2022"]
    assert [x.strftime("%B %Y") for x in trace.x] == provisional
    assert list(evidence.table[evidence.table.Provisional == "Yes"].Month) == provisional
    assert evidence.rag == NOT_RATED
    # the title says why it is not rated: not "too little data"
    assert evidence.figure.layout.title.text.startswith("Charge or summons rate: \u25cb Not rated: Provisional")


def test_the_plan_page_words_octobers_badge_provisional(app, llr_db):
    at = app(db=llr_db, month="2022-10", measure="charge_summons_rate")
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    page_html = " ".join(h.proto.body for h in at.get("html"))
    assert "\u25cb Not rated: Provisional</span> <b>Charge or summons rate</b>: Charge or summons rate in" in page_html
    assert "Not rated: outcomes for October 2022 are still being recorded." in page_html
    # one reason everywhere: the sentence beside it, the matrix cell and its key say provisional,
    # never "too few months" or "Too little data" (no measure of October 2022 lacks months)
    assert "on October 2021; provisional, as outcomes are still being recorded, so not rated yet." in page_html
    assert "too few months" not in page_html
    cell = plan_matrix_html(at).split('data-measure="charge_summons_rate" data-area="leicestershire"')[1]
    assert cell.split("</span>")[0].endswith(">\u25cb Not rated: Provisional")
    key = page_html.split("Key:")[1].split("</p>")[0]
    assert "\u25cb Not rated: Provisional" in key  # beside the key's "Not rated: Too little data"


def test_a_provisional_matrix_cell_says_provisional_and_a_too_few_months_cell_does_not():
    import pandas as pd

    from scrutiny.core.months import Month
    from scrutiny.show import plan_view

    matrix = pd.DataFrame({
        "measure_id": ["charge_rate", "charge_rate"], "measure_name": ["Charge rate", "Charge rate"],
        "area_id": ["force", "town"], "area_name": ["The force", "The town"], "area_level": ["force", "npa"],
        "rag": [NOT_RATED, NOT_RATED], "decided_by": [OUTCOMES_PENDING, TOO_FEW_POINTS], "explanation": ["", ""]})
    cells = plan_view.matrix_html(matrix, Month(2022, 10)).split("<td")[1:]
    assert ">\u25cb Not rated: Provisional</span>" in cells[0]
    assert ">\u25cb Not rated</span>" in cells[1]  # compact: the key words it "Too little data"
    assert plan_view.has_provisional(matrix) and not plan_view.has_provisional(matrix[1:])
    assert "Not rated: Provisional" in plan_view.key_html(provisional=True)
    assert "Provisional" not in plan_view.key_html()
