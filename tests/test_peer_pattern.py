""""Is it just us?": the sentence and the small table of the peer group's ratings beside a red or amber
rating, from hand-written place_ratings rows in a copy of the demo database (its five synthetic peer
forces and their partnerships). Every expected sentence is written out by hand."""
import datetime as dt
import shutil

import duckdb
import pytest

from scrutiny.load.office_files import Peers
from scrutiny.present import meeting, peer_pattern
from scrutiny.present.peer_pattern import PeerRating
from scrutiny.show import peer_view
from scrutiny.store import db as db_schema

JAN = dt.date(2024, 1, 1)
A, B, C, D, E = (f"Peer force {x} (synthetic)" for x in "ABCDE")  # as the table names them
SA, SB, SD, SE = (f"Peer force {x}" for x in "ABDE")  # as the sentence names them


@pytest.fixture
def peers_db(demo_db, tmp_path):
    db = tmp_path / "peers.duckdb"
    shutil.copyfile(demo_db, db)
    with duckdb.connect(str(db)) as con:  # the engine's own rows out: each test writes its own by hand
        db_schema.run_schema_file(con, "10_place_ratings.sql")
        con.execute("delete from place_ratings")
    return db


def write_ratings(db, rows, level="force", measure="burglary", month=JAN, means=None, ways=None):
    """rows: (unit_id, rag, decided_by, count); means, ways: {unit_id: usual level}, {unit_id: way}
    (a way by default +1 for red, -1 for green)."""
    means, ways = means or {}, ways or {}
    with duckdb.connect(str(db)) as con:
        db_schema.run_schema_file(con, "10_place_ratings.sql")  # a demo built before the engine has none
        if not rows:
            return
        con.executemany(
            "insert into place_ratings (unit_id, level, force_id, measure_id, month, value, rag, variation, decided_by, "
            "way, points, mean) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 36, ?)",
            [(unit, level, unit.split("-csp")[0].split(":")[0], measure, month, count, rag,
              {"red": "concern", "green": "improvement", "amber": "common_cause"}.get(rag), decided_by,
              ways.get(unit, {"red": 1, "green": -1}.get(rag)), means.get(unit)) for unit, rag, decided_by, count in rows])


def found(db, measure="burglary", area="leicestershire", rag="red", rule="shift", peers=Peers()):
    write_ratings(db, [])
    with duckdb.connect(str(db), read_only=True) as con:
        return peer_pattern.for_rating(meeting.runner(con), peers, measure, area, JAN, rag, rule)


FIVE_FORCES = [("peer-a", "red", "shift", 120), ("peer-b", "red", "astronomical", 95),
               ("peer-c", "amber", None, 80), ("peer-d", "green", "shift", 40)]  # peer-e: no row that month


def test_a_red_force_rating_counts_the_peer_forces_that_share_it_and_names_them(peers_db):
    write_ratings(peers_db, FIVE_FORCES)
    got = found(peers_db)
    assert got.sentence == (f"2 of the 5 peer forces also show a rise in burglary this month ({SA}; {SB}); "
                            f"2 do not; 1 has no figures for January 2024 ({SE}).")
    assert (got.share, got.rated, got.level, got.measure_id) == (2, 4, "forces", "burglary")


def test_the_table_lists_the_same_peers_as_the_sentence_concern_first(peers_db):
    write_ratings(peers_db, FIVE_FORCES)
    table = peer_pattern.table(found(peers_db))
    assert table.place.tolist()[0] == "Leicester, Leicestershire and Rutland (this force)"  # first, not counted
    table = table[~table.is_home]
    assert table.place.tolist() == [A, B, C, D, E]
    assert table.rag.tolist()[:4] == ["red", "red", "amber", "green"]
    assert table.rag.isna().tolist() == [False] * 4 + [True]  # no figures that month
    assert table["count"].tolist()[:4] == [120, 95, 80, 40]
    assert table["count"].isna().tolist() == [False] * 4 + [True]


def test_a_red_rating_by_a_trend_counts_peers_red_by_any_rule_as_a_rise_not_as_rising(peers_db):
    # peer A is red by a shift, B by one month beyond the range: neither is "rising" month on month,
    # but both show a rise, as the home force's trend does
    write_ratings(peers_db, FIVE_FORCES)
    assert found(peers_db, rule="trend").sentence.startswith(
        f"2 of the 5 peer forces also show a rise in burglary this month ({SA}; {SB}); 2 do not;")


def test_the_table_says_each_peers_pattern_and_usual_level_beside_its_count(peers_db):
    # the statistician's case: peer B red by a trend at 791 against a usual level of 864.8 is rising,
    # not "above its usual level"
    write_ratings(peers_db, [("peer-a", "red", "shift", 120), ("peer-b", "red", "trend", 791),
                             ("peer-c", "amber", None, 80), ("peer-d", "green", "two_in_three", 40),
                             ("peer-e", "red", "astronomical", 300)],
                  means={"peer-a": 101.25, "peer-b": 864.8, "peer-c": 82.0, "peer-d": 55.5, "peer-e": 150.0})
    table = peer_pattern.table(found(peers_db))
    table = table[~table.is_home]
    assert table[["place", "pattern", "count", "usual_level"]].values.tolist() == [
        [A, "7 months or more above its usual level", 120, 101.25],
        [B, "Rising every month for 6 months or more", 791, 864.8],
        [E, "This month above its normal range", 300, 150.0],
        [C, "Within its normal range", 80, 82.0],
        [D, "2 or more of the last 3 months near the bottom of its normal range", 40, 55.5]]
    assert not table.is_home_unit.any()


def test_every_number_in_the_sentence_is_counted_from_the_tables_rows(peers_db):
    write_ratings(peers_db, [("peer-a", "red", "shift", 120), ("peer-b", "red", "trend", 95),
                             ("peer-c", "amber", None, 80), ("peer-d", "not rated", "incomplete_month", 40)])
    got = found(peers_db)
    table = peer_pattern.table(got)
    table = table[~table.is_home]  # this force: listed first, not one of the peers counted
    rises, rated = (table.rag == "red").sum(), table.rag.isin(["red", "amber", "green"]).sum()
    incomplete, no_figures = (table.decided_by == "incomplete_month").sum(), table.rag.isna().sum()
    assert (rises, rated, incomplete, no_figures, len(table)) == (2, 3, 1, 1, 5)
    assert got.sentence == (f"{rises} of the {len(table)} peer forces also show a rise in burglary this month ({SA}; {SB}); "
                            f"{rated - rises} does not; {incomplete} has an incomplete month: too many crimes not "
                            f"placed in an area (Peer force D); {no_figures} has no figures for January 2024 ({SE}).")
    assert table.pattern.tolist()[3:] == ["Month incomplete: too many crimes not placed in an area",
                                          "No figures for January 2024"]


def test_when_no_peer_shares_it_only_this_force_shows_it(peers_db):
    write_ratings(peers_db, [(f, "amber", None, 50) for f in ("peer-a", "peer-b", "peer-c", "peer-d", "peer-e")])
    got = found(peers_db)
    assert got.sentence == "None of the 5 peer forces show a rise in burglary this month: only this force does."
    assert got.share == 0


def test_when_every_peer_shares_it(peers_db):
    write_ratings(peers_db, [(f, "red", "shift", 50) for f in ("peer-a", "peer-b", "peer-c", "peer-d", "peer-e")])
    assert found(peers_db).sentence == "All 5 peer forces also show a rise in burglary this month."


def test_an_amber_rating_counts_the_peers_with_no_clear_change_and_names_those_that_moved(peers_db):
    write_ratings(peers_db, [("peer-a", "red", "shift", 120), ("peer-b", "amber", None, 70), ("peer-c", "amber", None, 80),
                             ("peer-d", "green", "trend", 40), ("peer-e", "not rated", "too_few_points", 10)])
    got = found(peers_db, rag="amber", rule=None)
    assert got.sentence == ("2 of the 5 peer forces also show no clear change in burglary this month; "
                            f"1 shows a rise ({SA}); 1 shows a fall ({SD}); "
                            f"1 has too few months of figures to be rated ({SE}).")
    assert got.share is None


def test_an_amber_rating_with_no_peer_amber_leads_with_what_they_show_not_a_double_negative(peers_db):
    write_ratings(peers_db, [("peer-a", "red", "shift", 120), ("peer-b", "red", "trend", 70), ("peer-d", "green", "shift", 40)])
    got = found(peers_db, rag="amber", rule=None, peers=Peers(forces=frozenset({"peer-a", "peer-b", "peer-d"})))
    assert got.sentence == f"2 of the 3 peer forces show a rise in burglary this month ({SA}; {SB}); 1 shows a fall (Peer force D)."
    write_ratings(peers_db, [("peer-c", "green", "shift", 20), ("peer-e", "green", "trend", 20)])
    got = found(peers_db, rag="amber", rule=None, peers=Peers(forces=frozenset({"peer-c", "peer-d", "peer-e"})))
    assert got.sentence == "All 3 peer forces show a fall in burglary this month."


def test_a_red_rating_by_its_target_says_what_the_peers_show_without_also(peers_db):
    write_ratings(peers_db, FIVE_FORCES)
    assert found(peers_db, rule="assurance").sentence == (
        f"2 of the 5 peer forces show a rise in burglary this month ({SA}; {SB}); 2 do not; "
        f"1 has no figures for January 2024 ({SE}).")


def test_peers_not_rated_yet(peers_db):
    got = found(peers_db)
    assert got.sentence == "None of the 5 peer forces has a rating of burglary for January 2024, so this rating cannot be set beside theirs yet."
    assert peer_pattern.table(got).empty  # the sentence says it: no table of five empty rows
    write_ratings(peers_db, [(f, "not rated", "too_few_points", 5) for f in ("peer-a", "peer-b")])
    assert found(peers_db).sentence.startswith("None of the 5 peer forces has a rating of burglary for January 2024")


def test_no_peer_forces_loaded(peers_db):
    write_ratings(peers_db, FIVE_FORCES)
    got = found(peers_db, peers=Peers(forces=frozenset({"somewhere-not-loaded"})))
    assert got.peers == ()
    assert got.sentence.startswith("No peer forces are loaded, so this rating cannot be set beside theirs.")


def test_the_peer_group_file_chooses_the_peers(peers_db):
    write_ratings(peers_db, FIVE_FORCES)
    got = found(peers_db, peers=Peers(forces=frozenset({"peer-a", "peer-c"})))
    assert got.sentence == f"1 of the 2 peer forces also shows a rise in burglary this month ({SA}); 1 does not."


def test_an_area_is_set_beside_the_partnerships_of_other_forces(peers_db):
    with duckdb.connect(str(peers_db), read_only=True) as con:
        csps = [r[0] for r in con.execute("select area_id from areas where area_level = 'csp' and force_id in ('peer-a', 'peer-b')").fetchall()]
    write_ratings(peers_db, [(c, "red" if c == "peer-a-csp-1" else "amber", None, 9) for c in csps], level="csp")
    got = found(peers_db, area="city-centre", peers=Peers(forces=frozenset({"peer-a", "peer-b"})))
    assert got.level == "csps"
    assert got.sentence == (f"1 of the {len(csps)} peer partnerships also shows a rise in burglary this month "
                            f"(Peer A, CSP 1); {len(csps) - 1} do not. City Centre is a neighbourhood "
                            "policing area; its peers are the partnerships of the peer forces, most of them larger.")
    assert len(csps) == 11  # peer-a's 6 and peer-b's 5 partnerships (data/demo/peer_forces.csv)
    # (all 11 have more residents than City Centre's 58,708: the smallest, Peer A's CSP 6, has 96,481)


def test_an_areas_own_partnership_is_listed_first_and_not_counted(peers_db):
    write_ratings(peers_db, [("leicestershire:Leicester", "red", "trend", 410), ("peer-a-csp-1", "red", "shift", 9),
                             ("peer-a-csp-2", "amber", None, 9)], level="csp",
                  means={"leicestershire:Leicester": 380.5, "peer-a-csp-1": 7.0, "peer-a-csp-2": 9.5})
    got = found(peers_db, area="city-centre", peers=Peers(partnerships=frozenset(
        {"Peer A, CSP 1 (synthetic)", "Peer A, CSP 2 (synthetic)"})))
    assert got.sentence.startswith("1 of the 2 peer partnerships also shows a rise in burglary this month "
                                   "(Peer A, CSP 1); 1 does not. City Centre is a neighbourhood policing area;")
    table = peer_pattern.table(got)
    assert table[["place", "rag", "pattern", "count", "usual_level", "is_home_unit"]].values.tolist()[1:] == [
        ["Leicester (this force\u2019s partnership, which City Centre is part of)", "red",
         "Rising every month for 6 months or more", 410, 380.5, True],
        ["Peer A, CSP 1 (synthetic)", "red", "7 months or more above its usual level", 9, 7.0, False],
        ["Peer A, CSP 2 (synthetic)", "amber", "Within its normal range", 9, 9.5, False]]
    # folded (the briefing), the toggle counts the two peers, not the area's own partnership
    folded = peer_view.peer_block_html(got.sentence, table, got.month, got.link, folded=True)
    assert "<summary style=\"cursor:pointer\">The 2 peers' ratings, and the link to Compare forces</summary>" in folded


def test_the_drafted_question_fits_how_many_peers_share_the_rise():
    def asked(share, rated, level="csps", peers=None):
        listed = tuple(PeerRating(f"u{i}", f"P{i}", None) for i in range(peers or rated))
        found = peer_pattern.PeerPattern("burglary", "Burglary", level, JAN, listed, "", share, rated)
        return peer_pattern.question_ask(found, "shift")
    # a quarter or fewer: the count, and why here (a force cannot answer for 25 places that do not)
    assert asked(1, 26) == "Only 1 of the 26 partnerships elsewhere shows the same rise: why here?"
    assert asked(2, 8, "forces") == "Only 2 of the 8 other forces show the same rise: why here?"
    assert asked(1, 4, peers=10) == "Only 1 of the 4 partnerships elsewhere with a rating shows the same rise: why here?"
    # more than a quarter, not all
    assert asked(3, 4) == ("3 of the 4 partnerships elsewhere show the same rise and 1 does not: what does this "
                           "area share with those that show it?")
    assert asked(2, 7, "forces") == ("2 of the 7 other forces show the same rise and 5 do not: what does this "
                                     "force share with those that show it?")
    # every one
    assert asked(4, 4, "forces") == "Every peer force shows the same rise: is the force\u2019s response any different from theirs?"
    assert asked(1, 1, "forces") == "The one peer force shows the same rise: is the force\u2019s response any different from theirs?"
    assert asked(3, 3, "csps", peers=5) == ("Every peer partnership with a rating shows the same rise: is the force\u2019s "
                                            "response in this area any different from theirs?")
    # none
    assert asked(0, 4) == "No partnership elsewhere shows it: why here?"
    assert asked(0, 4, "forces") == "Only this force shows it: why?"


def test_neighbourhood_crime_is_compared_as_the_street_measure_of_its_four_types(peers_db):
    write_ratings(peers_db, [("peer-a", "red", "shift", 300)], measure="neighbourhood_crime")
    got = found(peers_db, measure="neighbourhood_crime")
    assert (got.measure_id, got.peers[0].place, got.peers[0].rag) == ("neighbourhood_crime", A, "red")
    assert got.sentence.startswith(f"1 of the 5 peer forces also shows a rise in neighbourhood crime")


def test_nothing_is_said_for_a_returns_measure_or_a_green_rating(peers_db):
    write_ratings(peers_db, FIVE_FORCES)
    assert found(peers_db, measure="victim_satisfaction") is None
    assert found(peers_db, rag="green") is None


def test_the_link_opens_compare_forces_on_that_measure():
    assert peer_pattern.compare_link("burglary", "forces", JAN) == (
        "compare?level=forces&month=2024-01&ratings_of=burglary&crime_type=Burglary#ratings")
    assert peer_pattern.compare_link("neighbourhood_crime", "csps", JAN) == (
        "compare?level=csps&month=2024-01&ratings_of=neighbourhood_crime#ratings")


def test_the_sentence_alone_from_hand_made_peers():
    peers = (PeerRating("x", "Xshire", "red", "shift", 3.0), PeerRating("y", "Yshire", None))
    assert peer_pattern.sentence("red", "shift", "Robbery", "forces", JAN, peers) == (
        "1 of the 2 peer forces also shows a rise in robbery this month (Xshire); "
        "1 has no figures for January 2024 (Yshire).")


def test_a_sentence_names_five_places_at_most_and_counts_the_rest():
    peers = tuple(PeerRating(f"u{i}", f"Place {i}", "red", "shift", 1.0) for i in range(7)) + (
        PeerRating("z", "Zplace", "amber", None, 1.0),)
    assert peer_pattern.sentence("red", "shift", "Burglary", "csps", JAN, peers) == (
        "7 of the 8 peer partnerships also show a rise in burglary this month "
        "(Place 0; Place 1; Place 2; Place 3; Place 4 and 2 more); 1 does not.")


def test_partnership_names_with_commas_are_separated_by_semicolons_without_the_synthetic_suffix():
    peers = (PeerRating("a1", "Peer A, CSP 1 (synthetic)", "red", "shift", 9.0),
             PeerRating("a2", "Peer A, CSP 2 (synthetic)", "red", "trend", 8.0),
             PeerRating("b1", "Peer B, CSP 1 (synthetic)", "amber", None, 7.0))
    assert peer_pattern.sentence("red", "shift", "Burglary", "csps", JAN, peers) == (
        "2 of the 3 peer partnerships also show a rise in burglary this month (Peer A, CSP 1; Peer A, CSP 2); 1 does not.")
    # a real name that merely ends in a bracket keeps it
    assert peer_pattern.sentence("amber", None, "Burglary", "forces", JAN, (
        PeerRating("x", "Avon (and Somerset)", "red", "shift", 1.0), PeerRating("y", "Y", "green", "shift", 1.0))) == (
        "1 of the 2 peer forces shows a rise in burglary this month (Avon (and Somerset)); 1 shows a fall (Y).")


def test_a_group_of_one_peer_is_spoken_of_in_the_singular():
    def said(home_rag, rule, peer_rag):
        return peer_pattern.sentence(home_rag, rule, "Burglary", "forces", JAN, (PeerRating("x", "Xshire", peer_rag, None, 1.0),))
    assert said("red", "shift", "red") == "The one peer force also shows a rise in burglary this month."
    assert said("red", "shift", "amber") == "The one peer force does not show a rise in burglary this month: only this force does."
    assert said("red", "assurance", "amber") == "The one peer force does not show a rise in burglary this month."
    assert said("red", "assurance", "red") == "The one peer force shows a rise in burglary this month."
    assert said("amber", None, "amber") == "The one peer force also shows no clear change in burglary this month."
    assert said("amber", None, "green") == "The one peer force shows a fall in burglary this month."


def set_home_rating(db, area, rag, variation, decided_by, rule, value, mean, measure="burglary"):
    """The home force's stored rating of `measure` in `area` for January 2024, by hand."""
    with duckdb.connect(str(db)) as con:
        con.execute("update ratings set rag = ?, variation = ?, decided_by = ?, value = ?, mean = ?, "
                    "evidence = json_merge_patch(evidence, json_object('rule', ?)) "
                    "where measure_id = ? and area_id = ? and month = ?",
                    [rag, variation, decided_by, value, mean, rule, measure, area, JAN])


def test_this_force_is_the_first_row_of_the_table_by_its_own_rating_not_counted(peers_db):
    write_ratings(peers_db, FIVE_FORCES)
    set_home_rating(peers_db, "leicestershire", "red", "concern", "variation", "trend", 700, 612.5)
    got = found(peers_db)
    table = peer_pattern.table(got)
    assert table[["place", "rag", "decided_by", "pattern", "count", "usual_level", "is_home", "is_home_unit"]].values.tolist()[0] == [
        "Leicester, Leicestershire and Rutland (this force)", "red", "trend", "Rising every month for 6 months or more",
        700, 612.5, True, False]
    assert len(table) == 6 and not table.is_home[1:].any()
    assert got.sentence.startswith(f"2 of the 5 peer forces also show")  # five peers, the force not among them
    html = peer_view.peer_table_html(table, got.month)
    assert ('<tr class="home" style="font-weight:700;border-bottom:3px solid #0b0c0c"><td style="padding:3px 8px;'
            'border-bottom:1px solid #b1b4b6;text-align:left">Leicester, Leicestershire and Rutland (this force)</td>') in html
    folded = peer_view.peer_block_html(got.sentence, table, got.month, got.link, folded=True)
    assert "The 5 peers' ratings, and the link to Compare forces</summary>" in folded


def test_an_area_is_the_first_row_then_its_own_partnership(peers_db):
    write_ratings(peers_db, [("leicestershire:Leicester", "red", "trend", 410), ("peer-a-csp-1", "red", "shift", 9)],
                  level="csp", means={"leicestershire:Leicester": 380.5, "peer-a-csp-1": 7.0})
    set_home_rating(peers_db, "city-centre", "red", "concern", "variation", "shift", 95, 70.25)
    got = found(peers_db, area="city-centre", peers=Peers(partnerships=frozenset({"Peer A, CSP 1 (synthetic)"})))
    table = peer_pattern.table(got)
    assert table[["place", "pattern", "count", "usual_level", "is_home", "is_home_unit"]].values.tolist() == [
        ["City Centre (this area)", "7 months or more above its usual level", 95, 70.25, True, False],
        ["Leicester (this force\u2019s partnership, which City Centre is part of)", "Rising every month for 6 months or more",
         410, 380.5, False, True],
        ["Peer A, CSP 1 (synthetic)", "7 months or more above its usual level", 9, 7.0, False, False]]
    html = peer_view.peer_table_html(table, got.month)
    # bold, no line under it; the partnership in italics, the line under it, before the peers
    assert '<tr class="home" style="font-weight:700">' in html
    assert '<tr class="home-unit" style="font-style:italic;border-bottom:3px solid #0b0c0c">' in html
    assert "The peer\u2019s rating, and the link to Compare forces" in peer_view.peer_block_html(got.sentence, table, got.month, got.link, folded=True)


def all_peer_partnerships(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return [r[0] for r in con.execute("select area_id from areas where area_level = 'csp' and force_id like 'peer-%'").fetchall()]


def test_the_packs_short_table_keeps_the_area_its_partnership_and_the_peers_sharing_the_rise(peers_db):
    csps = all_peer_partnerships(peers_db)
    assert len(csps) == 26  # data/demo/peer_forces.csv: 6 + 5 + 8 + 4 + 3
    write_ratings(peers_db, [("leicestershire:Leicester", "red", "trend", 410)]
                  + [(c, "red" if c == "peer-c-csp-4" else "amber", "shift", 9) for c in csps], level="csp")
    set_home_rating(peers_db, "city-centre", "red", "concern", "variation", "shift", 95, 70.25)
    got = found(peers_db, area="city-centre")
    assert got.sentence.startswith("1 of the 26 peer partnerships also shows a rise in burglary this month (Peer C, CSP 4); 25 do not.")
    shown, more = peer_pattern.short_table(got)
    assert shown.place.tolist() == ["City Centre (this area)",
                                    "Leicester (this force\u2019s partnership, which City Centre is part of)",
                                    "Peer C, CSP 4 (synthetic)"]
    assert more == 25
    assert peer_pattern.question_ask(got, "shift") == "Only 1 of the 26 partnerships elsewhere shows the same rise: why here?"
    # none sharing it: the first five, alphabetically among the ambers
    write_ratings(peers_db, [])
    with duckdb.connect(str(peers_db)) as con:
        con.execute("update place_ratings set rag = 'amber', way = null where unit_id = 'peer-c-csp-4'")
    shown, more = peer_pattern.short_table(found(peers_db, area="city-centre"))
    assert shown.place.tolist()[2:] == [f"Peer A, CSP {i} (synthetic)" for i in range(1, 6)] and more == 21
