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
    assert [m.id for m in plan.measures] == ["all_crime", "neighbourhood_crime", "burglary",
                                             "violence_sexual_offences", "anti_social_behaviour"]
    assert all(m.target is None and m.source == "crime" for m in plan.measures)
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
        lancashire_imported, browser, artifacts):
    """Every page in a real browser, as the office would see it after `setup` then an import of
    its files; the Areas page names Lancashire's partnerships."""
    from tests.browser_helpers import dashboard_pages, open_page, start_server, stop_server
    from tests.test_real_walk import what_is_wrong, whole_page_screenshot

    shots = artifacts / "setup-lancashire"
    shots.mkdir(exist_ok=True)
    process, url = start_server(lancashire_imported, artifacts / "streamlit-server-setup-lancashire.log")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
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
        context.close()
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
