"""A real database imported without a plan file shows nothing invented (issue 13): the crime
measures the street files give, rated from their figures, and on the Plan page, every slide of
ratings and every page of the meeting pack a note that the Police and Crime Plan is not loaded.
The demo database keeps its demonstration plan."""
import datetime as dt

import duckdb
import pypdf
import pytest

from scrutiny.core import words
from scrutiny.core.paths import DEMO_DIR
from scrutiny.load.police_uk import import_police_uk
from scrutiny.present import meeting, pack, slides
from tests.ingest_helpers import month_file

OCTOBER_2022 = dt.date(2022, 10, 1)
# What the street files give: crime counts of the demo plan's crime measures, and the charge or
# summons rate from their last outcomes. Nothing from the office's returns.
CRIME_MEASURES = {"all_crime", "neighbourhood_crime", "burglary", "violence_sexual_offences",
                  "anti_social_behaviour", "charge_summons_rate"}
# Words only the demonstration plan has: its office statuses (and their dates), its objectives, and
# measures that need the office's returns.
INVENTED = ("Status entered by the office", "15 January 2024", "1 February 2024", "Special Constabulary",
            "Victim satisfaction", "999 calls", "101 calls", "Public confidence")
NOTE_START = "The Police and Crime Plan is not loaded."


@pytest.fixture(scope="module")
def llr(llr_db):
    with duckdb.connect(str(llr_db), read_only=True) as con:
        yield con


def test_a_real_import_without_a_plan_file_has_the_crime_measures_only_and_no_plan(llr):
    assert {m for (m,) in llr.execute("select measure_id from measures").fetchall()} == CRIME_MEASURES
    for table in ("plan_themes", "plan_objectives", "plan_objective_measures", "measure_step_changes"):
        assert llr.execute(f"select count(*) from {table}").fetchone()[0] == 0, table
    # every measure is rated from real figures in October 2022 (no measure without figures)
    rated = llr.execute("select measure_id from ratings where month = ? and area_id = 'leicestershire'",
                        [OCTOBER_2022]).fetchall()
    assert {m for (m,) in rated} == CRIME_MEASURES
    assert not meeting.plan_loaded(meeting.runner(llr))


def test_the_plan_page_says_the_plan_is_not_loaded_and_shows_no_office_status(app, llr_db):
    at = app(db=llr_db, month="2022-10")
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any(w.startswith(f"**{NOTE_START}**") and "`--plan FILE`" in w for w in warnings), warnings
    text = " ".join(str(e.value) for e in (*at.markdown, *at.caption)) + " ".join(h.proto.body for h in at.get("html"))
    assert not [w for w in INVENTED if w in text]
    assert "Themes and objectives" not in [h.value for h in at.header]
    assert "Crime measures from the street files" in [h.value for h in at.header]
    for name in ("All crime", "Burglary", "Charge or summons rate", "Anti-social behaviour"):
        assert f"<b>{name}</b>:" in text


def test_the_demo_plan_page_keeps_its_plan_and_has_no_such_note(app):
    at = app(month="2024-01")
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    assert not [w.value for w in at.warning if NOTE_START in w.value]
    assert "Themes and objectives" in [h.value for h in at.header]


@pytest.mark.slow  # every slide built, about 2 s
def test_every_slide_of_ratings_says_the_plan_is_not_loaded(llr):
    deck = slides.build_slides(meeting.runner(llr), OCTOBER_2022)
    for slide in deck:
        assert (slide.plan_note == words.PLAN_NOT_LOADED_SLIDE) == (slide.kind in ("headline", "measure", "changes", "questions")), slide.kind
        assert not [w for w in INVENTED if w in f"{slide.title} {slide.subtitle} {slide.text}"]
    measure_titles = [s.title.split(":")[0] for s in deck if s.kind == "measure"]
    assert set(measure_titles) <= {"All crime", "Neighbourhood crime", "Burglary", "Violence and sexual offences",
                                   "Anti-social behaviour", "Charge or summons rate"}


@pytest.mark.slow  # a pack made, about 10 s
def test_every_page_of_the_pack_says_the_plan_is_not_loaded(llr, tmp_path):
    path = tmp_path / "pack.pdf"
    pack.build_pack(meeting.runner(llr), OCTOBER_2022, path, browser=False, made_on=dt.date(2022, 11, 20))
    pages = [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages]
    assert all(pack.PLAN_NOT_LOADED_FOOTER in page for page in pages)
    text = " ".join(pages)
    assert NOTE_START in text
    assert not [w for w in INVENTED if w in text]
    assert "Crime measures from the street files" in text


def test_a_plan_file_given_to_a_new_database_is_loaded(real_data, tmp_path):
    path = tmp_path / "planned.duckdb"
    import_police_uk([month_file(real_data, "2022-10")], path, plan=DEMO_DIR / "plan.yaml")
    with duckdb.connect(str(path), read_only=True) as con:
        assert meeting.plan_loaded(meeting.runner(con))
        assert con.execute("select count(*) from plan_objectives where office_rag is not null").fetchone()[0] == 4
