"""'Is it just us?' on the pages (AppTest), the drafted questions, the slides and the pack, on a copy of
the demo with hand-written place_ratings rows: burglary for the home force and the five synthetic
peer forces over the 12 months to January 2024. In January 2024 the demo rates the force's burglary
red (a shift); by hand, peers A and B are red too, C amber, D green and E has no figures."""
import datetime as dt
import shutil

import duckdb
import pytest

from scrutiny.load.office_files import Peers
from scrutiny.present import briefing, meeting, pack, peer_pattern, questions, slides
from scrutiny.store import db as db_schema

JAN = dt.date(2024, 1, 1)
MONTHS = [dt.date(2023, m, 1) for m in range(2, 13)] + [JAN]
A, B, C, D, E = (f"Peer force {x} (synthetic)" for x in "ABCDE")
# the sentence names places without the demo's " (synthetic)" (the table keeps it), separated by semicolons
SENTENCE = ("2 of the 5 peer forces also show a rise in burglary this month (Peer force A; Peer force B); 2 do not; "
            "1 has no figures for January 2024 (Peer force E).")
JANUARY = {"leicestershire": ("red", "shift", 700), "peer-a": ("red", "shift", 620), "peer-b": ("red", "trend", 580),
           "peer-c": ("amber", None, 540), "peer-d": ("green", "shift", 300)}
JANUARY_MEANS = {"peer-a": 540.5, "peer-b": 612.0}  # peer B red by a trend below its usual level: rising, not above it
WAYS = {"red": 1, "green": -1}


def rows_for(month):
    if month == JAN:
        return [(unit, *rating) for unit, rating in JANUARY.items()]
    # earlier months: every force amber, with peer-a red in December (the grid shows it)
    return [(unit, "red" if (unit, month) == ("peer-a", dt.date(2023, 12, 1)) else "amber", None, 500)
            for unit in ("leicestershire", "peer-a", "peer-b", "peer-c", "peer-d", "peer-e")]


@pytest.fixture(scope="module")
def peers_db(demo_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("peer-pages") / "peers.duckdb"
    shutil.copyfile(demo_db, db)
    with duckdb.connect(str(db)) as con:
        db_schema.run_schema_file(con, "10_place_ratings.sql")
        con.execute("delete from place_ratings")  # the engine's own rows, once it fills them: these tests use their own
        con.executemany(
            "insert into place_ratings (unit_id, level, force_id, measure_id, month, value, rag, decided_by, way, mean, points) "
            "values (?, 'force', ?, 'burglary', ?, ?, ?, ?, ?, ?, 36)",
            [(unit, unit, month, count, rag, rule, WAYS.get(rag), JANUARY_MEANS.get(unit) if month == JAN else None)
             for month in MONTHS for unit, rag, rule, count in rows_for(month)])
        # the force's own stored rating, first in the peers' table, with figures written by hand
        con.execute("update ratings set rag = 'red', variation = 'concern', decided_by = 'variation', value = 700, "
                    "mean = 650.5, evidence = json_merge_patch(evidence, json_object('rule', 'shift')) "
                    "where measure_id = 'burglary' and area_id = 'leicestershire' and month = ?", [JAN])
    return db


@pytest.fixture
def peers_con(peers_db):
    with duckdb.connect(str(peers_db), read_only=True) as con:
        yield con


def page_html(at) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def test_the_plan_pages_rating_detail_shows_the_sentence_the_table_and_the_link(app, peers_db):
    at = app(db=peers_db, measure="burglary", detail_area="leicestershire", month="2024-01")
    at.run()
    at = at.switch_page("pages/plan.py").run()
    assert not at.exception
    (shown,) = [h.proto.body for h in at.get("html") if 'class="peer-ratings"' in h.proto.body]
    assert shown.startswith("<p><b>Same pattern elsewhere?</b></p>")
    assert SENTENCE in shown.replace("&#x27;", "'")
    # the table: each peer with its badge (icon and words) and its January count
    for place, count in ((A, "620"), (C, "540"), (D, "300")):
        assert f"{place}</td>" in shown and f">{count}</td>" in shown
    assert shown.count("\u2716 Red: Concern") == 3  # the force's, and peers A's and B's
    # this force first, bold, with its own figures, not counted among the five peers
    assert ('<tr class="home" style="font-weight:700;border-bottom:3px solid #0b0c0c"><td style="padding:3px 8px;'
            'border-bottom:1px solid #b1b4b6;text-align:left">Leicester, Leicestershire and Rutland (this force)</td>') in shown
    assert '>700</td><td style="padding:3px 8px;border-bottom:1px solid #b1b4b6;text-align:left;text-align:right">650.5</td>' in shown
    # a peer has no target: its green is improving, never "or on target"
    assert "\u2714 Green: Improving</span>" in shown and "on target" not in shown
    # each peer's pattern in words, and its usual level beside its count
    assert f"{A}</td>" in shown and ">7 months or more above its usual level</div></td><td" in shown
    assert ">Rising every month for 6 months or more</div></td><td" in shown
    assert '>No figures for January 2024</td><td style' in shown  # said once, with no badge
    assert ">Rating and pattern</th>" in shown and ">Usual level</th>" in shown
    assert f'>620</td><td style="padding:3px 8px;border-bottom:1px solid #b1b4b6;text-align:left;text-align:right">540.5</td>' in shown
    assert f'>580</td><td style="padding:3px 8px;border-bottom:1px solid #b1b4b6;text-align:left;text-align:right">612</td>' in shown
    assert 'href="compare?level=forces&amp;month=2024-01&amp;ratings_of=burglary&amp;crime_type=Burglary#ratings"' in shown


def test_a_green_or_returns_rating_has_no_peer_sentence(app, peers_db):
    at = app(db=peers_db, measure="victim_satisfaction", detail_area="leicestershire", month="2024-01")
    at.run()
    at = at.switch_page("pages/plan.py").run()
    assert not at.exception
    assert "Same pattern elsewhere?" not in page_html(at)


def test_the_overview_shows_the_peers_beside_the_forces_red_burglary(app, peers_db):
    at = app(db=peers_db, month="2024-01")
    at.run()
    assert not at.exception
    assert SENTENCE in page_html(at).replace("&#x27;", "'")


def test_compare_forces_has_a_rating_column_and_the_grid_of_12_months(app, peers_db):
    at = app(db=peers_db, month="2024-01", crime_type="Burglary")
    at.run()
    at = at.switch_page("pages/compare.py").run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("Name")
    ratings = table["Burglary rating, January 2024"]
    assert (ratings[A], ratings[C]) == ("\u2716 Red: Concern", "\u25CF Amber: No clear change")
    assert (ratings[D], ratings[E]) == ("\u2714 Green: Improving", "No rating")
    assert ratings["Leicestershire Police"] == "\u2716 Red: Concern"
    grid = next(h.proto.body for h in at.get("html") if 'class="ratings-grid"' in h.proto.body)
    # 6 places by 12 months: every cell labelled in words; peer E's January has no figures
    assert grid.count("<td ") == 72
    assert f'aria-label="{A}, December 2023: \u2716 Red: Concern"' in grid
    assert f'aria-label="{E}, January 2024: no figures"' in grid
    assert f'aria-label="{D}, January 2024: \u2714 Green: Improving"' in grid
    assert "on target" not in grid and "on target" not in page_html(at)  # the key too: places have no targets
    assert grid.index("Leicestershire Police") < grid.index(A)  # the home force first
    assert at.selectbox(key="compare_ratings_of").value == "burglary"


def test_compare_forces_opened_by_the_peer_link_shows_that_measure(app, peers_db):
    at = app(db=peers_db, level="forces", month="2024-01", ratings_of="neighbourhood_crime", crime_type="Burglary")
    at.run()
    at = at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert at.selectbox(key="compare_ratings_of").value == "neighbourhood_crime"
    # no neighbourhood crime rows were written by hand: the page says so rather than draw an empty grid
    assert any("No forces are rated for neighbourhood crime" in i.value for i in at.info)


def test_the_red_burglary_question_fits_how_many_peers_share_the_rise(peers_con):
    query = meeting.runner(peers_con)

    def asked(peers=None):
        (found,) = [q for q in questions.for_month(query, JAN, peers) if (q.measure_id, q.area_id) == ("burglary", "leicestershire")]
        return found.text
    # 2 of the 4 rated peers share it: more than a quarter, not all
    assert asked().endswith("2 of the 4 other forces with a rating show the same rise and 2 do not: "
                            "what does this force share with those that show it?")
    # 2 of 3 (A, B red; C amber): still in between, no longer "Other forces show the same rise"
    assert asked(Peers(forces=frozenset({"peer-a", "peer-b", "peer-c"}))).endswith(
        "2 of the 3 other forces show the same rise and 1 does not: what does this force share with those that show it?")
    # 1 of 2 (A red, C amber): the counts, never "some"
    assert asked(Peers(forces=frozenset({"peer-a", "peer-c"}))).endswith(
        "1 of the 2 other forces shows the same rise and 1 does not: what does this force share with those that show it?")
    assert asked(Peers(forces=frozenset({"peer-a", "peer-b"}))).endswith(
        "Every peer force shows the same rise: is the force\u2019s response any different from theirs?")
    assert asked(Peers(forces=frozenset({"peer-a"}))).endswith(
        "The one peer force shows the same rise: is the force\u2019s response any different from theirs?")
    only_c_and_d = Peers(forces=frozenset({"peer-c", "peer-d"}))
    (asked,) = [q for q in questions.for_month(query, JAN, only_c_and_d) if (q.measure_id, q.area_id) == ("burglary", "leicestershire")]
    assert asked.text.endswith("Only this force shows it: why?")


def test_the_officers_question_still_wins(peers_db, tmp_path):
    db = tmp_path / "asked.duckdb"
    shutil.copyfile(peers_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("insert into panel_questions values ('burglary', null, null, 'Why is burglary up?', 99)")
        query = meeting.runner(con)
        (asked,) = [q for q in questions.for_month(query, JAN) if (q.measure_id, q.area_id) == ("burglary", "leicestershire")]
        assert (asked.text, asked.drafted) == ("Why is burglary up?", False)


def test_the_burglary_slide_and_the_briefing_carry_the_same_sentence(peers_con):
    query = meeting.runner(peers_con)
    slide = slides.build_slide(query, JAN, slides.SlidePlan("measure", "burglary"))
    assert slide.peers.sentence == SENTENCE
    found = briefing.for_month(query, JAN, with_inspection=False)
    (red,) = [r for r in found.reds if r.measure_name == "Burglary"]
    assert red.peers.sentence == SENTENCE
    assert peer_pattern.table(red.peers).place.tolist() == ["Leicester, Leicestershire and Rutland (this force)", A, B, C, D, E]


def test_the_slides_use_the_offices_peer_group_as_the_other_pages_do(peers_con):
    # the office's peers file names two forces: the slide's sentence and its questions count only them
    chosen = Peers(forces=frozenset({"peer-a", "peer-c"}))
    query = meeting.runner(peers_con)
    slide = slides.build_slide(query, JAN, slides.SlidePlan("measure", "burglary"), peers=chosen)
    assert slide.peers.sentence.startswith(f"1 of the 2 peer forces also shows a rise in burglary this month (Peer force A)")
    assert peer_pattern.table(slide.peers).place.tolist() == ["Leicester, Leicestershire and Rutland (this force)", A, C]
    asked = slides.slide_questions(query, JAN, chosen)
    assert asked == questions.for_month(query, JAN, chosen)[:len(asked)] or {q.text for q in asked} <= {
        q.text for q in questions.for_month(query, JAN, chosen)}


def test_the_pack_has_the_peers_beside_burglary(peers_con):
    query = meeting.runner(peers_con)
    found = pack.peer_patterns(query, JAN, "leicestershire", ["burglary", "victim_satisfaction"], Peers())
    assert list(found) == ["burglary"] and found["burglary"].sentence == SENTENCE
    from scrutiny.present.pack_html import peers_html
    block = peers_html(found["burglary"])
    assert "Same pattern elsewhere?" in block and block.count("<tr>") == 6  # the header and five peers
    assert ('<tr class="home"><td>Leicester, Leicestershire and Rutland (this force)</td>' in block
            and '<td class="number">700</td><td class="number">650.5</td>' in block)  # the force first, in bold (the stylesheet)
    # each peer's pattern and usual level, as on the Plan page; green is improving, peers have no target
    assert (f"<td>{A}</td>" in block and "<td>7 months or more above its usual level</td>"
            '<td class="number">620</td><td class="number">540.5</td>' in block)
    assert "\u2714 Green: Improving</span>" in block and "on target" not in block and "No figures for January 2024" in block


@pytest.mark.slow  # makes a whole meeting pack (about 8 s)
def test_the_pack_shows_the_evidence_of_a_red_areas_peer_question(peers_db, tmp_path):
    """A red burglary rating in City Centre: its question asks about the partnerships elsewhere, so the
    pack prints their sentence and a short table under the measure's areas, as the Overview does."""
    import pypdf
    db = tmp_path / "area-red.duckdb"
    shutil.copyfile(peers_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("update ratings set rag = 'red', variation = 'concern', decided_by = 'variation', value = 95, "
                    "mean = 70.5, evidence = json_merge_patch(evidence, json_object('rule', 'shift')) "
                    "where measure_id = 'burglary' and area_id = 'city-centre' and month = ?", [JAN])
        csps = [r[0] for r in con.execute("select area_id from areas where area_level = 'csp' and force_id like 'peer-%'").fetchall()]
        con.executemany(
            "insert into place_ratings (unit_id, level, force_id, measure_id, month, value, rag, decided_by, way, mean, points) "
            "values (?, 'csp', ?, 'burglary', ?, ?, ?, ?, ?, ?, 36)",
            [(c, c.split("-csp")[0], JAN, 9, "red" if c == "peer-c-csp-4" else "amber", "shift" if c == "peer-c-csp-4" else None,
              1 if c == "peer-c-csp-4" else None, 7.5) for c in csps])
    with duckdb.connect(str(db), read_only=True) as con:
        pack.build_pack(meeting.runner(con), JAN, tmp_path / "pack.pdf", browser=False, made_on=dt.date(2024, 2, 20))
    text = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(tmp_path / "pack.pdf").pages)
    assert ("City Centre, red: same pattern elsewhere? 1 of the 26 peer partnerships also shows a rise in burglary "
            "this month (Peer C, CSP 4); 25 do not. City Centre is a neighbourhood policing area;") in text
    # the short table: the area, then the one partnership sharing it, and how many more
    assert "City Centre (this area)" in text and "Peer C, CSP 4 (synthetic)" in text and "Peer A, CSP 1 (synthetic)" not in text
    assert "25 more peers are not listed here." in text
    assert "Only 1 of the 26 partnerships elsewhere shows the same rise: why here?" in text
