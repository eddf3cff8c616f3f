"""`setup --force FORCE`: a new database for any force's panel (its CSPs, Census populations,
the shipped outlines, a starter plan and a peer group file), refused without a trace when the
force is unknown or a database or plan is already there; then Lancashire end to end."""
from __future__ import annotations

import csv
import gzip

import duckdb
import pytest

from scrutiny.core.paths import AREAS_DIR
from scrutiny.geography.shipped_boundaries import SHIPPED, derive as derive_boundaries
from scrutiny.load.office_files import Peers, read_peers
from scrutiny.plan.plan_file import load_plan
from tests.helpers import PAGES
from tests.ingest_helpers import street_files

# Lancashire's 14 Community Safety Partnerships (one per district), as data/areas/districts.csv has them.
LANCASHIRE_CSPS = ["Blackburn with Darwen", "Blackpool", "Burnley", "Chorley", "Fylde", "Hyndburn", "Lancaster",
                   "Pendle", "Preston", "Ribble Valley", "Rossendale", "South Ribble", "West Lancashire", "Wyre"]


def folder_state(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_an_unknown_force_is_refused_in_one_line_naming_the_valid_ids_and_nothing_is_written(cli, tmp_path):
    result = cli("setup", "--force", "lancs", db=tmp_path / "panel.duckdb")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: --force lancs: not a police force of England and Wales")
    assert "lancashire, leicestershire" in result.stderr and "west-yorkshire" in result.stderr
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == []


def test_an_existing_database_is_refused_and_left_as_it_was(cli, tmp_path):
    database = tmp_path / "panel.duckdb"
    database.write_bytes(b"the office's database")
    before = folder_state(tmp_path)
    result = cli("setup", "--force", "lancashire", db=database)
    assert result.returncode == 2
    assert result.stderr == f"error: {database}: a database is already there; setup makes a new one and never " \
                            "overwrites (move it away, or give another --db)\n"
    assert folder_state(tmp_path) == before


def test_an_existing_plan_file_is_refused_and_no_database_is_made(cli, tmp_path):
    plan = tmp_path / "panel-plan.yaml"
    plan.write_text("# the office's own plan, half written\n")
    before = folder_state(tmp_path)
    result = cli("setup", "--force", "lancashire", db=tmp_path / "panel.duckdb")
    assert result.returncode == 2
    assert "panel-plan.yaml: a plan file is already there" in result.stderr
    assert {k: v for k, v in folder_state(tmp_path).items() if not k.startswith(".")} == before


def test_setup_gives_the_force_its_partnerships_populations_outlines_and_home(lancashire):
    database, result = lancashire
    with open(AREAS_DIR / "districts.csv", newline="", encoding="utf-8") as f:
        lancashire_districts = [r for r in csv.DictReader(f) if r["force_id"] == "lancashire"]
    with duckdb.connect(str(database), read_only=True) as con:
        areas = con.execute("select area_name, population from areas where force_id = 'lancashire' "
                            "and area_level = 'csp' order by area_name").fetchall()
        force = con.execute("select area_name, population from areas where area_id = 'lancashire'").fetchone()
        home = con.execute("select force_id from forces where is_home").fetchall()
        outlines = dict(con.execute("select level, count(*) from boundaries group by level").fetchall())
        measures = [m for (m,) in con.execute("select measure_id from measures order by measure_id").fetchall()]
    assert [name for name, _ in areas] == LANCASHIRE_CSPS
    # each CSP is one district, so its population is the district's Census 2021 figure
    assert dict(areas) == {d["csp_name"]: int(d["population"]) for d in lancashire_districts}
    assert force == ("Lancashire", sum(int(d["population"]) for d in lancashire_districts))
    assert home == [("lancashire",)]
    # every district of districts.csv and the 43 force areas; Lancashire's 14 partnership outlines
    assert outlines == {"district": 331, "force": 43, "area": 14}
    assert "charge_summons_rate" in measures and "all_crime" in measures
    assert "Next: python -m scrutiny fetch --force lancashire --db" in result.stdout


def test_the_starter_plan_loads_with_the_street_measures_and_no_targets(lancashire):
    database, _ = lancashire
    plan_file = database.with_name("lancashire-plan.yaml")
    text = plan_file.read_text()
    assert "FILL IN" in text and "target" in text  # the comments say what to fill in
    plan = load_plan(plan_file)
    # the six measures a database without a plan rates: five counted from the street files, and the
    # charge or summons rate the import writes from the outcomes files (in the demo plan's order)
    assert [(m.id, m.source) for m in plan.measures] == [
        ("all_crime", "crime"), ("neighbourhood_crime", "crime"), ("burglary", "crime"),
        ("charge_summons_rate", "returns"), ("violence_sexual_offences", "crime"), ("anti_social_behaviour", "crime")]
    assert all(m.target is None for m in plan.measures)
    assert read_peers(database.with_name("lancashire-peers.csv")) == Peers()


def test_a_peer_group_file_is_read_and_a_bad_line_named(tmp_path):
    from scrutiny.core.errors import UserError
    peers = tmp_path / "peers.csv"
    peers.write_text("# notes\nlevel,id\nforce,lancashire\nforce, merseyside\npartnership,Blackpool\n")
    assert read_peers(peers) == Peers(frozenset({"lancashire", "merseyside"}), frozenset({"Blackpool"}))
    peers.write_text("level,id\ncounty,Rutland\n")
    with pytest.raises(UserError, match="'county,Rutland' is not 'force,ID' or 'partnership,NAME'"):
        read_peers(peers)


@pytest.mark.real_data
def test_the_shipped_outlines_are_what_the_real_files_give_and_small(real_data, tmp_path):
    derive_boundaries(real_data, tmp_path, AREAS_DIR / "districts.csv")
    for shipped in SHIPPED:
        assert (tmp_path / shipped.name).read_bytes() == shipped.read_bytes(), shipped.name
    assert sum(p.stat().st_size for p in SHIPPED) < 500_000
    with gzip.open(SHIPPED[0], "rt") as f:
        assert f.read().count('"LAD22CD"') == 331


@pytest.mark.real_data
@pytest.mark.slow
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_of_a_set_up_lancashire_runs_and_shows_its_partnerships(lancashire_imported, app, page):
    at = app(db=lancashire_imported, month="2024-04")
    at.run()
    at = at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(str(getattr(e, "value", "")) for e in at.main)
    if page == "pages/areas.py":
        for name in ("Blackpool", "Ribble Valley", "West Lancashire"):
            assert name in text or name in str(at.main), name


@pytest.mark.browser
@pytest.mark.real_data
@pytest.mark.slow
def test_a_set_up_lancashire_walks_in_chromium_with_no_error_and_its_partnerships_shown(
        lancashire_imported, artifacts, page):
    """Every page in a real browser, as the office would see it after `setup` then an import of
    its files; the Areas page names Lancashire's partnerships."""
    from tests.browser_helpers import dashboard_pages, open_page, start_server, stop_server
    from tests.test_real_walk import what_is_wrong, whole_page_screenshot

    shots = artifacts / "setup-lancashire"
    shots.mkdir(exist_ok=True)
    process, url = start_server(lancashire_imported, artifacts / "streamlit-server-setup-lancashire.log")
    problems, areas_text = [], ""
    try:
        for path in dashboard_pages():
            name = path or "overview"
            open_page(page, f"{url}/{path}?month=2024-04")
            if path == "areas":  # before the screenshot, which resizes the window
                areas_text = page.locator("[data-testid=stMain]").inner_text()
            whole_page_screenshot(page, shots / f"{name}.png")
            problems += [f"{name}: {problem}" for problem in what_is_wrong(page)]
    finally:
        stop_server(process)
    assert problems == []
    assert "All crime in each Community Safety Partnership, April 2024" in areas_text
    # the map's key names the three partnerships with the largest changes; the table is drawn on a canvas
    assert "Blackpool" in areas_text, areas_text[:800]


def test_the_peer_group_keeps_the_home_force_and_the_places_listed():
    import pandas as pd
    from scrutiny.present.comparison import in_peer_group
    units = pd.DataFrame({"unit_name": ["Blackpool", "Leicester", "Knowsley", "Wigan"],
                          "force_id": ["lancashire", "leicestershire", "merseyside", "greater-manchester"],
                          "is_home": [True, False, False, False]})
    names = lambda peers, level: list(in_peer_group(units, peers, level).unit_name)  # noqa: E731
    assert names(Peers(), "csps") == ["Blackpool", "Leicester", "Knowsley", "Wigan"]
    assert names(Peers(forces=frozenset({"merseyside"})), "forces") == ["Blackpool", "Knowsley"]
    assert names(Peers(forces=frozenset({"merseyside"})), "csps") == ["Blackpool", "Knowsley"]
    chosen = Peers(forces=frozenset({"merseyside"}), partnerships=frozenset({"Wigan", "Leicester"}))
    assert names(chosen, "csps") == ["Blackpool", "Leicester", "Wigan"]
    assert names(chosen, "forces") == ["Blackpool", "Knowsley"]


def _blackpool_crimes(real_data, months) -> int:
    """Recorded crime (all but anti-social behaviour) in Blackpool's LSOAs, counted from the street
    files themselves, not through the database."""
    files = [str(f) for m in months for f in real_data.glob(f"police-uk_*/{m}/{m}-lancashire-street.csv.gz")]
    return duckdb.sql(f"""select count(*) from read_csv({files}, header = true, all_varchar = true)
                          where "LSOA name" like 'Blackpool %' and "Crime type" <> 'Anti-social behaviour'""").fetchall()[0][0]


@pytest.mark.real_data
@pytest.mark.slow
def test_the_briefing_and_the_pack_name_a_partnership_outside_similar_areas_in_the_latest_quarters(
        lancashire_imported, real_data, tmp_path, app):
    import datetime as dt
    from scrutiny.present import briefing, meeting, pack
    from tests.test_pack import normalise
    import pypdf
    with duckdb.connect(str(lancashire_imported), read_only=True) as con:
        query = meeting.runner(con)
        october = briefing.for_month(query, dt.date(2022, 10, 1))
        # After the gap (November 2022 to December 2023) only January to March 2024 is a whole
        # quarter: no two quarters running can end there, so April 2024's briefing names no one.
        april = briefing.for_month(query, dt.date(2024, 4, 1))
        pack.build_pack(query, dt.date(2022, 10, 1), tmp_path / "pack.pdf", browser=False)
    blackpool = next(s for s in october.inspection if s.startswith("Blackpool (Lancashire Constabulary) is outside "
                                                                   "the range of similar areas for"))
    # its latest quarter, July to September 2022, with the count the street files give
    assert (f"above the limits in Q2 2022-23 (July to September 2022): "
            f"{_blackpool_crimes(real_data, ['2022-07', '2022-08', '2022-09']):,} crimes") in blackpool
    assert "the kind of result that draws inspection scrutiny" in blackpool
    assert april.inspection == ()
    text = normalise(" ".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "pack.pdf").pages))
    assert normalise(blackpool) in text
    at = app(db=lancashire_imported, month="2022-10")
    at.run()
    shown = [w.value for w in at.warning if "Blackpool" in w.value]  # escaped for markdown on the page
    assert len(shown) == 1 and "the kind of result that draws inspection scrutiny" in shown[0], [w.value for w in at.warning]


@pytest.mark.real_data
def test_a_set_up_lancashire_rates_its_partnerships(lancashire_imported):
    """Lancashire's files leave 6.5% of its crimes in no area in its usual month (the median of its
    36 months), against Leicestershire's 1.0%: a flat 5% left every partnership "Not rated". Twice
    the usual share, 13.0%, leaves out only the months that stand out (their shares: February 2020
    15.2%, March 13.7%, July 13.1%, May 2021 19.7%, June 19.9%, July 22.8%, August 20.1%,
    September 17.8%, October 13.2%; January 2020's 12.0% and April 2021's 9.9% stay in)."""
    from scrutiny.present import meeting
    with duckdb.connect(str(lancashire_imported), read_only=True) as con:
        run = meeting.runner(con)
        left_out = sorted(m.key for m in meeting.incomplete_months(run))
        rags = dict(con.execute("""
            select a.area_name, r.rag from ratings r join areas a using (area_id)
            where r.measure_id = 'all_crime' and r.month = date '2022-10-01' and a.force_id = 'lancashire'
              and a.area_level <> 'force'""").fetchall())
    assert left_out == ["2020-02", "2020-03", "2020-07", "2021-05", "2021-06", "2021-07", "2021-08", "2021-09",
                        "2021-10"]
    assert sorted(rags) == LANCASHIRE_CSPS
    assert "not rated" not in rags.values()


@pytest.mark.real_data
def test_a_peer_leicestershire_in_a_lancashire_database_gets_its_partnerships_not_llrs_npas(
        lancashire, real_data, tmp_path):
    """LLR's NPA rules (data/areas/llr_area_rules.csv) are its own panel's areas: imported as a peer
    into a Lancashire database, Leicestershire gets its 9 Community Safety Partnerships, as
    districts.csv has them, so Compare's partnerships are partnerships."""
    from tests.helpers import run_cli
    import shutil
    database = tmp_path / "lancashire.duckdb"
    shutil.copyfile(lancashire[0], database)
    result = run_cli("import", "police-uk", *street_files(real_data, "leicestershire")[:1], db=database)
    assert result.returncode == 0, result.stderr
    with (AREAS_DIR / "districts.csv").open(newline="", encoding="utf-8") as f:
        csps = sorted({r["csp_name"] for r in csv.DictReader(f) if r["force_id"] == "leicestershire"})
    with duckdb.connect(str(database), read_only=True) as con:
        areas = con.execute("select area_name, area_level from areas where force_id = 'leicestershire' "
                            "and area_level <> 'force' order by area_name").fetchall()
        home = con.execute("select force_id from forces where is_home").fetchall()
    assert len(csps) == 9 and areas == [(name, "csp") for name in csps]
    assert home == [("lancashire",)]


@pytest.mark.parametrize("given", ["Lancashire", "LANCASHIRE", "Lancashire Constabulary"])
def test_the_force_is_taken_in_any_case_or_by_its_name(cli, tmp_path, given):
    result = cli("setup", "--force", given, db=tmp_path / "panel.duckdb")
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(tmp_path / "panel.duckdb"), read_only=True) as con:
        assert con.execute("select force_id from forces where is_home").fetchall() == [("lancashire",)]
    assert (tmp_path / "panel-plan.yaml").is_file()


@pytest.mark.real_data
def test_a_set_up_lancashire_names_its_areas_partnerships_in_the_sidebar_glossary_and_pack(lancashire_imported, app):
    """Its areas are Community Safety Partnerships: the Area filter's help, the glossary's NPA and
    CSP entries and the pack's areas section say so, not LLR's neighbourhood policing areas."""
    import datetime as dt
    from scrutiny.core import words
    from scrutiny.present import meeting
    from scrutiny.present.pack import _Content
    from scrutiny.present.pack_html import PackHtml
    at = app(db=lancashire_imported, month="2022-10")
    at.run()
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    assert at.selectbox(key="area").help == "The force as a whole, or one of its Community Safety Partnerships (CSPs)."
    glossary = " ".join(m.value for e in at.sidebar.expander if e.label.startswith("Glossary") for m in e.markdown)
    assert ("**CSP.** A **Community Safety Partnership**: the council, police and others working together on crime in "
            "one district. Home Office tables count crime by CSP, so forces can be compared by them. The areas this "
            "dashboard shows within the force are its partnerships.") in glossary
    assert "**NPA.** A **neighbourhood policing area**: an area a force polices as one" in glossary
    assert "the areas this dashboard shows" not in glossary.split("**NPA.**")[1].split("**ASB.**")[0]
    with duckdb.connect(str(lancashire_imported), read_only=True) as con:
        content = _Content.gather(meeting.runner(con), dt.date(2022, 10, 1))
    html = PackHtml(content, {}, "", dt.date(2022, 11, 1)).build()
    assert "Each Community Safety Partnership\u2019s count of all crime" in html
    assert "neighbourhood policing area" not in html
    assert words.glossary(words.AREA_KINDS["npa"]) == words.GLOSSARY  # LLR's stays as it is


@pytest.mark.real_data
def test_compare_shows_no_month_warning_about_the_areas_changes_where_other_pages_do(lancashire_imported, app):
    """June 2021 is incomplete for Lancashire's areas (19.9% of its crimes in no area, against a usual
    6.5%): Overview warns that no area's change on it is called notable; Compare, which shows no
    change on a year before, does not."""
    at = app(db=lancashire_imported, month="2021-06")
    at.run()
    # the warning names the force's usual share, the median of its 36 months (6.48%)
    assert [w.value for w in at.warning if "June 2021\u2019s crimes" in w.value] == [
        "19\\.9% of June 2021\u2019s crimes \\(2,541 of 12,766\\) are not placed in an area, more than twice the "
        "force\u2019s usual 6\\.5%\\. The force\u2019s figures count them; the areas\u2019 figures cannot, so they add "
        "up to less, and no area\u2019s change on a year before is called notable\\."]
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert not [w.value for w in at.warning if "not placed in an area" in w.value]
