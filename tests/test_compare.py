"""Comparing forces: the synthetic peer forces of the demo, the compare queries, the Compare forces
page, and that the peers never leak onto the home force's pages."""
import datetime as dt
import re
import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from scrutiny.rate import funnel
from scrutiny.store import queries
from scrutiny.core.crime_types import CRIME_TYPES
from scrutiny.demo.peers import read_peers
from scrutiny.core.paths import DEMO_DIR

FIRST, LAST = dt.date(2023, 2, 1), dt.date(2024, 1, 1)
LLR_POPULATION = 1_121_954


def rates(con, level: str, crime_type: str = "All crime", first=FIRST, last=LAST):
    return queries.run(con, f"compare/{level}_rates", crime_type=crime_type, first_month=first, last_month=last)


# --- The demo's peer forces -------------------------------------------------------------------

def test_peer_forces_are_flagged_and_labelled_synthetic(demo_con):
    forces = demo_con.execute("select force_id, force_name, is_home, is_demo_peer from forces order by force_id").fetchall()
    peers = [f for f in forces if f[3]]
    assert 4 <= len(peers) <= 6
    assert [f[0] for f in forces if f[2]] == ["leicestershire"]
    assert all("(synthetic)" in name and not home for _, name, home, _ in peers)
    names = demo_con.execute("""select a.area_name from areas a join forces f using (force_id)
                                where f.is_demo_peer""").fetchall()
    assert names and all("(synthetic)" in n for (n,) in names)


def test_each_peer_force_has_a_force_area_and_3_to_8_csps_whose_populations_add_up(demo_con):
    rows = demo_con.execute("""
        select f.force_id, a.population,
               (select count(*) from areas c where c.parent_id = a.area_id and c.area_level = 'csp'),
               (select sum(population) from areas c where c.parent_id = a.area_id and c.area_level = 'csp')
        from forces f join areas a on a.area_id = f.force_id and a.area_level = 'force'
        where f.is_demo_peer
    """).fetchall()
    for force_id, population, csps, csp_population in rows:
        assert 3 <= csps <= 8, force_id
        assert population == csp_population and 400_000 < population < 2_000_000, force_id


def test_every_peer_csp_has_every_crime_type_for_every_demo_month(demo_con):
    per_csp = demo_con.execute("""
        select c.area_id, count(distinct crime_type), count(distinct month), count(*), min(month), max(month)
        from monthly_counts c join areas a using (area_id) join forces f using (force_id)
        where f.is_demo_peer group by c.area_id
    """).fetchall()
    assert len(per_csp) == len(read_peers(DEMO_DIR))
    for area_id, types, months, rows, first, last in per_csp:
        assert (types, months, rows, first, last) == (len(CRIME_TYPES), 61, len(CRIME_TYPES) * 61,
                                                       dt.date(2019, 1, 1), dt.date(2024, 1, 1)), area_id


def test_peer_rates_are_spread_around_the_home_forces(demo_con):
    forces = rates(demo_con, "force")
    home = forces[forces.is_home].rate_per_1000.iloc[0]
    peers = forces[~forces.is_home].rate_per_1000
    assert ((peers > 0.85 * home) & (peers < 1.15 * home)).all()
    assert (peers > home).any() and (peers < home).any()


def test_on_the_demo_some_but_few_forces_are_outside_the_998_limits(demo_con):
    # The page has something to show: for all crime and for burglary, at least one force is outside
    # the 99.8% limits and most are inside; across the partnership areas (allowing for the usual
    # differences between places) the same.
    for crime_type in ("All crime", "Burglary"):
        for level, method in (("force", "poisson"), ("csp", "overdispersed")):
            kept, left_out = funnel.comparable(rates(demo_con, level, crime_type))
            table, _ = funnel.funnel_table(kept, method)
            outside = table.verdict.isin(["above 99.8%", "below 99.8%"]).sum()
            assert left_out.empty
            assert 1 <= outside < len(table) / 2, (crime_type, level, table.verdict.value_counts().to_dict())


def test_peers_are_not_rated(demo_con):
    rated = demo_con.execute("""select count(*) from ratings r join areas a using (area_id) join forces f using (force_id)
                                where not f.is_home""").fetchone()[0]
    series = demo_con.execute("""select count(*) from measure_series s join areas a using (area_id)
                                 join forces f using (force_id) where not f.is_home""").fetchone()[0]
    assert rated == series == 0


# --- The compare queries ----------------------------------------------------------------------

def test_force_rates_sum_each_forces_counts_over_the_period(demo_con):
    table = rates(demo_con, "force", "Burglary")
    assert table.is_home.iloc[0] and len(table) == 6
    for row in table.itertuples():
        by_hand = demo_con.execute("""
            select sum(c.crime_count) from monthly_counts c join areas a using (area_id)
            where a.force_id = ? and c.crime_type = 'Burglary' and c.month between ? and ?
        """, [row.force_id, FIRST, LAST]).fetchone()[0]
        population = demo_con.execute("select population from areas where area_id = ?", [row.force_id]).fetchone()[0]
        assert (row.crime_count, row.population) == (by_hand, population)
        assert row.rate_per_1000 == pytest.approx(round(1000 * by_hand / population, 2))
        assert (row.months_with_data, row.months_in_period) == (12, 12)


def test_all_crime_rates_leave_out_anti_social_behaviour(demo_con):
    table = rates(demo_con, "force").set_index("force_id")
    by_type = sum(rates(demo_con, "force", t).set_index("force_id").crime_count for t in CRIME_TYPES
                  if t != "Anti-social behaviour")
    assert (table.crime_count == by_type).all()


def test_csp_rates_group_the_home_forces_npas_into_whole_csps(demo_con):
    table = rates(demo_con, "csp")
    home = table[table.is_home].set_index("unit_name")
    assert list(home.index) == ["Leicester", "Charnwood", "Harborough and Wigston", "Hinckley and Blaby",
                                "Melton and Rutland", "North West Leicestershire"]
    assert home.loc["Leicester", "npas"] == "City Centre; East Leicester; West Leicester"
    assert home.loc["Hinckley and Blaby", "csps"] == "Blaby; Hinckley and Bosworth"
    assert home.population.sum() == LLR_POPULATION
    force_total = rates(demo_con, "force").set_index("force_id").loc["leicestershire", "crime_count"]
    assert home.crime_count.sum() == force_total
    # Every CSP of the home force is in exactly one unit.
    csps = sorted(c for cell in home.csps for c in cell.split("; "))
    all_csps = sorted(n for (n,) in demo_con.execute("select distinct csp_name from area_districts").fetchall())
    assert csps == all_csps


def test_csp_rates_list_every_peer_csp_as_itself(demo_con):
    table = rates(demo_con, "csp")
    peers = table[table.is_demo_peer]
    assert sorted(peers.unit_id) == sorted(p["area_id"] for p in read_peers(DEMO_DIR))
    assert peers.csps.isna().all() and peers.npas.isna().all()
    one = peers.set_index("unit_id").loc["peer-c-csp-1"]
    by_hand = demo_con.execute("""select sum(crime_count) from monthly_counts where area_id = 'peer-c-csp-1'
        and crime_type <> 'Anti-social behaviour' and month between ? and ?""", [FIRST, LAST]).fetchone()[0]
    assert one.crime_count == by_hand and one.force_name == "Peer force C (synthetic)"


def test_a_period_reaching_before_the_data_is_reported_as_incomplete(demo_con):
    for level in ("force", "csp"):
        table = rates(demo_con, level, first=dt.date(2018, 4, 1), last=dt.date(2019, 3, 1))
        assert set(table.months_with_data) == {3} and set(table.months_in_period) == {12}
        kept, left_out = funnel.comparable(table)
        assert kept.empty and set(left_out.reason) == {"figures for 3 of 12 months"}


# --- The page ---------------------------------------------------------------------------------

@pytest.fixture
def compare(app):
    """`compare(**query_params)`: the Compare forces page, opened by a link with those parameters."""
    def open_compare(**query_params) -> AppTest:
        at = app(**query_params)
        at.run()
        return at.switch_page("pages/compare.py").run()

    return open_compare


def chart_spec(at) -> str:
    return " ".join(c.proto.spec for c in at.get("plotly_chart"))


def test_compare_page_shows_the_funnel_and_the_figures_behind_every_point(compare):
    at = compare(crime_type="Burglary", month="2024-01")
    assert not at.exception
    assert [t.value for t in at.title] == ["Compare forces"]
    spec = chart_spec(at)
    assert "Leicestershire Police's burglary rate is" in spec and "among 6 forces" in spec
    table = at.dataframe[0].value
    assert len(table) == 6 and list(table.columns) == ["Name", "Crimes", "Residents", "Rate per 1,000 residents",
                                                       "Against the limits", "Burglary rating, January 2024"]
    home = table.set_index("Name").loc["Leicestershire Police"]
    assert home["Residents"] == LLR_POPULATION and home["Crimes"] > 0
    assert any(d.proto.label == "Download this table (CSV)" for d in at.get("download_button"))


def test_compare_page_says_the_peers_are_synthetic(compare):
    at = compare()
    warning = " ".join(w.value for w in at.warning)
    assert "Synthetic peer forces" in warning and "not real forces" in warning
    names = list(at.dataframe[0].value.Name)
    assert all("(synthetic)" in n for n in names if n != "Leicestershire Police")
    assert "Other forces (synthetic)" in chart_spec(at)


def test_compare_page_compares_partnership_areas_over_three_months(compare):
    at = compare(crime_type="Robbery", month="2023-06")
    at.radio(key="compare_level").set_value("csps").run()
    at.radio(key="compare_period").set_value("3").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 32 and "Force" in table.columns
    assert {"Leicester", "Hinckley and Blaby", "Peer C, CSP 1 (synthetic)"} <= set(table.Name)
    assert "3 months to June 2023" in chart_spec(at)
    assert (at.query_params["level"], at.query_params["period"]) == ("csps", "3")  # kept in the link
    assert any("Leicester is City Centre, East Leicester and West Leicester" in c.value for c in at.caption)


def test_a_link_chooses_the_comparison_and_the_limits(compare):
    at = compare(level="csps", limits="overdispersed", period="12", month="2024-01")
    assert not at.exception
    assert at.radio(key="compare_limits").value == "overdispersed"
    assert "limits allow for usual differences" in chart_spec(at)
    assert "Leicestershire Police: all 6 areas within the usual spread" in chart_spec(at)


def test_with_every_place_outside_the_limits_the_page_explains_why(compare):
    at = compare(level="csps", month="2024-01")
    note = " ".join(i.value for i in at.info)
    assert "32 of 32 partnership areas are outside the 99.8% limits" in note
    # Chance alone would put 32 x 2 x 0.001 = 0.064 outside: said in words, not "about 0.1".
    assert "where chance alone would put fewer than one. So" in note


def test_an_unknown_choice_in_a_link_gives_a_friendly_note(compare):
    at = compare(level="<b>galaxies</b>")
    assert not at.exception
    assert any("does not have" in w.value for w in at.warning)
    assert at.radio(key="compare_level").value == "forces"


@pytest.fixture(scope="module")
def one_force_db(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("one-force") / "one-force.duckdb"
    shutil.copyfile(demo_db, path)
    with duckdb.connect(str(path)) as con:
        peers = "(select area_id from areas join forces using (force_id) where is_demo_peer)"
        con.execute(f"delete from area_month_totals where area_id in {peers}")
        con.execute(f"delete from monthly_counts where area_id in {peers}")
        con.execute("delete from areas where area_level = 'csp' and force_id in (select force_id from forces where is_demo_peer)")
        con.execute("delete from areas where force_id in (select force_id from forces where is_demo_peer)")
        con.execute("delete from forces where is_demo_peer")
    return path


def test_with_one_force_the_page_says_what_to_import(one_force_db, compare):
    at = compare(db=one_force_db)
    assert not at.exception
    message = " ".join(i.value for i in at.info)
    assert "Only one force is loaded" in message and "data.police.uk" in message
    assert not at.get("plotly_chart") and not at.dataframe


# --- Peers never reach the home force's pages -------------------------------------------------

PEER_MARKERS = ("(synthetic)", "Peer force", "peer-")


def page_text(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning")
             for e in getattr(at, kind)]
    parts += [str(m.label) + str(m.value) + str(m.delta) for m in at.metric]
    parts += [" ".join(map(str, s.options)) for s in at.selectbox]
    parts += [d.value.to_csv() for d in at.dataframe]
    # Beside a red or amber rating the peer group's ratings are shown on purpose ("is it just us?",
    # tests/test_peer_pages.py), in blocks of their own (the sentence's, the peers' table's): nowhere else.
    parts += [h.proto.body for h in at.get("html") if 'class="peer-pattern' not in h.proto.body]
    parts += [c.proto.spec for c in at.get("plotly_chart")]
    return "\n".join(parts)


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/areas.py", "pages/trends.py", "pages/plan.py"])
def test_peers_never_appear_on_the_home_forces_pages(app, page):
    at = app(month="2024-01")
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    text = page_text(at)
    assert "City Centre" in text or "Leicester" in text  # the page did show the home force's areas
    for marker in PEER_MARKERS:
        assert marker not in text, (page, marker)
    assert "peer-a" not in at.selectbox(key="area").options


@pytest.mark.parametrize("outside, units, differ", [
    (3, 43, True),    # chance puts 43 x 0.002 = 0.086 outside: 3 is the fewest that counts
    (2, 43, False),   # fewer than 3 is never enough, however few chance would put there
    (4, 200, False),  # chance puts 0.4 outside: 4 is not over ten times that
    (5, 200, True),
])
def test_places_differ_beyond_chance_when_at_least_3_and_over_ten_times_chance_are_outside_the_998_limits(
        outside, units, differ):
    assert funnel.differ_beyond_chance(outside, units) is differ


def test_how_many_chance_would_put_outside_is_said_in_words():
    from scrutiny.show.compare_view import chance_count
    assert [chance_count(x) for x in (0.03, 0.94, 0.95, 2.4, 12.6)] == [
        "fewer than one", "fewer than one", "about 1", "about 2", "about 13"]


# --- Months missing from the files (the real files have no 2023 before December) -----------------

STREET_HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
                 "Crime type,Last outcome category,Context")
LANCASHIRE_POPULATION = 1_531_079  # Census 2021, Lancashire's 14 districts (data/areas/districts.csv)


def street_file(folder, month: str, force: str, lsoa: str, burglaries: int):
    force_id = force.split()[0].lower()
    path = folder / f"{month}-{force_id}-street.csv"
    path.write_text("\n".join([STREET_HEADER] + [
        f"{force_id}-{month}-{i},{month},{force},{force},-1.2,52.7,On or near High Street,{lsoa},Burglary,"
        "Under investigation," for i in range(burglaries)]) + "\n")
    return path


@pytest.fixture(scope="module")
def four_months_db(tmp_path_factory):
    """January to April 2024 only, as in the real 2024 files: 2 burglaries a month in Charnwood
    (Leicestershire) and 3 a month in Preston (Lancashire); Lancashire has no April file."""
    from tests.helpers import run_cli
    folder = tmp_path_factory.mktemp("four-months")
    files = [street_file(folder, f"2024-0{m}", "Leicestershire Police", "E01025626,Charnwood 001A", 2)
             for m in (1, 2, 3, 4)]
    files += [street_file(folder, f"2024-0{m}", "Lancashire Constabulary", "E01025300,Preston 001A", 3)
              for m in (1, 2, 3)]
    db = folder / "four-months.duckdb"
    code, _, err = run_cli("import", "police-uk", *files, "--home", "leicestershire", "--db", db)
    assert code == 0, err
    return db


def test_at_the_latest_month_a_gap_in_the_files_gives_the_longest_period_that_compares(four_months_db, compare):
    # 12 months to March 2024 hold 3 of them for both forces: the 3 months to March 2024 are compared,
    # January to March: 3 x 2 = 6 burglaries in Leicestershire, 3 x 3 = 9 in Lancashire.
    at = compare(db=four_months_db, crime_type="Burglary", month="2024-03", period="12")
    assert not at.exception
    assert [i.value.replace("\\", "") for i in at.info if "Fewer than two" in i.value] == [  # markdown escapes
        "Fewer than two forces have figures for every month of the 12 months to March 2024 (figures for 3 of "
        "12 months: Leicestershire Police and Lancashire Constabulary), so this compares the 3 months to "
        "March 2024 instead."]
    assert not any("later month" in w.value for w in at.warning)
    table = at.dataframe[0].value.set_index("Name")
    assert table.loc["Leicestershire Police", "Crimes"] == 6 and table.loc["Lancashire Constabulary", "Crimes"] == 9
    assert table.loc["Leicestershire Police", "Residents"] == LLR_POPULATION
    assert table.loc["Lancashire Constabulary", "Residents"] == LANCASHIRE_POPULATION
    assert "3 months to March 2024" in chart_spec(at)


def test_when_only_one_force_has_the_month_the_page_says_so(four_months_db, compare):
    at = compare(db=four_months_db, crime_type="Burglary", month="2024-04", period="1")
    assert not at.exception
    assert [w.value.replace("\\", "") for w in at.warning] == [  # markdown escapes
        "Fewer than two forces have figures for April 2024, so there is nothing to compare "
        "(no figures in the period: Lancashire Constabulary)."]
    assert not at.dataframe


def test_when_no_period_compares_two_forces_the_page_says_so_for_the_months_chosen(four_months_db, compare):
    # 12 months to April 2024: Leicestershire has 4 of them, Lancashire 3 (no April file); the 3
    # months to April give Lancashire 2 of 3, and April alone only Leicestershire.
    at = compare(db=four_months_db, crime_type="Burglary", month="2024-04", period="12")
    assert not at.exception
    assert [w.value.replace("\\", "") for w in at.warning] == [  # markdown escapes
        "Fewer than two forces have figures for every month of the 12 months to April 2024 (May 2023 to "
        "April 2024), nor for April 2024 alone, so there is nothing to compare (figures for 4 of 12 months: "
        "Leicestershire Police; figures for 3 of 12 months: Lancashire Constabulary)."]


def captions(at) -> list[str]:
    return [c.value.replace("\\", "") for c in at.caption]  # markdown escapes


def test_the_page_names_each_forces_missing_months_not_only_the_home_forces(compare, tmp_path):
    # Leicestershire: January, February and April 2024 (no March); Lancashire: January and April
    # (no February or March). From January to April, the first and last month of any force.
    from tests.helpers import run_cli
    files = [street_file(tmp_path, f"2024-0{m}", "Leicestershire Police", "E01025626,Charnwood 001A", 2)
             for m in (1, 2, 4)]
    files += [street_file(tmp_path, f"2024-0{m}", "Lancashire Constabulary", "E01025300,Preston 001A", 3)
              for m in (1, 4)]
    db = tmp_path / "gaps.duckdb"
    code, _, err = run_cli("import", "police-uk", *files, "--home", "leicestershire", "--db", db)
    assert code == 0, err
    at = compare(db=db, crime_type="Burglary", month="2024-04", period="1")
    assert not at.exception
    assert [c for c in captions(at) if c.startswith("Months with no figures")] == [
        "Months with no figures: Leicestershire Police, 1 (March 2024); "
        "Lancashire Constabulary, 2 (February 2024 to March 2024)."]


def test_with_no_gaps_the_page_names_no_missing_months(compare):
    at = compare(crime_type="Burglary", month="2024-01")  # the demo: every force has every month
    assert not any(c.startswith("Months with no figures") for c in captions(at))


def test_the_grouping_note_names_the_force_whose_npas_are_grouped():
    """In a Lancashire database, only a force with NPAs has its NPAs grouped: the sentence is about
    that force, and a force whose figures are its partnerships (no npas) has no sentence."""
    import pandas as pd
    from scrutiny.show import compare_view
    table = pd.DataFrame({
        "unit_name": ["Leicester", "Melton and Harborough", "Blackpool"],
        "force_name": ["Leicestershire Police", "Leicestershire Police", "Lancashire Constabulary"],
        "npas": ["City Centre; East Leicester; West Leicester", "Melton", None],
        "csps": ["Leicester", "Melton; Harborough", "Blackpool"],
    })
    assert compare_view.home_grouping_note(table) == (
        "Leicestershire Police's figures are kept by neighbourhood policing area (NPA), so here its NPAs are "
        "grouped into whole Community Safety Partnerships: Leicester is City Centre, East Leicester and West "
        "Leicester; Melton and Harborough is Melton; Melton and Harborough covers Melton and Harborough "
        "partnerships.")
    assert compare_view.home_grouping_note(table[table.npas.isna()]) is None
