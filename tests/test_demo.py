"""The demo database: the panel's published figures, determinism, and what it contains."""
import filecmp
from decimal import Decimal

import duckdb

from scrutiny.store import queries
from scrutiny.core.crime_types import CRIME_TYPES
from scrutiny.demo.build import percent_change
from scrutiny.demo.params import derive
from scrutiny.core.months import parse_month
from scrutiny.core.paths import AREAS_DIR, DEMO_DIR
from tests.helpers import PUBLISHED_JANUARY_2024, table_contents


def all_crime_by_area(con, month: str) -> dict[str, int]:
    rows = con.execute("""
        select a.area_name, sum(c.crime_count)
        from monthly_counts c join home_areas a using (area_id) join crime_types t using (crime_type)
        where t.in_all_crime and c.month = ?::date
        group by all
    """, [month]).fetchall()
    return dict(rows)


def test_demo_reproduces_the_seven_published_changes_from_raw_counts(demo_con):
    now, then = all_crime_by_area(demo_con, "2024-01-01"), all_crime_by_area(demo_con, "2023-01-01")
    reproduced = {area: float(percent_change(now[area], then[area])) for area in PUBLISHED_JANUARY_2024}
    assert reproduced == PUBLISHED_JANUARY_2024


def test_area_comparison_query_shows_the_published_changes(demo_con):
    table = queries.run(demo_con, "areas/area_comparison", month=parse_month("2024-01"), crime_type="All crime")
    shown = dict(zip(table.area_name, table.change_pct))
    assert {a: shown[a] for a in PUBLISHED_JANUARY_2024} == PUBLISHED_JANUARY_2024
    assert -12.0 < shown["North West Leicestershire"] < 0.0


def test_published_changes_are_not_on_a_rounding_boundary(demo_con):
    # So a reader who rounds half-even, or a spreadsheet, gets the same one-decimal figure.
    now, then = all_crime_by_area(demo_con, "2024-01-01"), all_crime_by_area(demo_con, "2023-01-01")
    for area, published in PUBLISHED_JANUARY_2024.items():
        exact = Decimal(now[area] - then[area]) * 100 / Decimal(then[area])
        assert abs(exact - Decimal(str(published))) < Decimal("0.045"), area


def test_build_is_deterministic(demo_db, demo_built_by_the_cli):
    again = demo_built_by_the_cli[1]  # built separately (conftest.py)
    first, second = table_contents(demo_db), table_contents(again)
    assert set(first) >= {"areas", "monthly_counts", "area_month_totals", "provenance"}
    assert first == second


def test_demo_covers_every_crime_type_and_month_for_eight_areas(demo_con):
    areas = [n for (n,) in demo_con.execute("select area_name from areas where area_level = 'npa' order by sort_order").fetchall()]
    assert areas == ["City Centre", "East Leicester", "West Leicester", "Charnwood", "Harborough and Wigston",
                     "Hinckley and Blaby", "Melton and Rutland", "North West Leicestershire"]
    first, last, months, types, rows = demo_con.execute("""
        select min(month), max(month), count(distinct month), count(distinct crime_type), count(*)
        from monthly_counts join home_areas using (area_id)
    """).fetchone()
    assert (first.isoformat(), last.isoformat(), months, types) == ("2019-01-01", "2024-01-01", 61, 14)
    assert rows == 8 * 14 * 61
    assert sorted(t for (t,) in demo_con.execute("select crime_type from crime_types").fetchall()) == sorted(CRIME_TYPES)


def test_all_crime_excludes_anti_social_behaviour(demo_con):
    rollup, by_hand = demo_con.execute("""
        select
            (select crime_count from area_month_totals
             where area_id = 'leicestershire' and crime_type = 'All crime' and month = '2023-06-01'),
            (select sum(crime_count) from monthly_counts join home_areas using (area_id)
             where crime_type <> 'Anti-social behaviour' and month = '2023-06-01')
    """).fetchone()
    assert rollup == by_hand


def test_every_area_has_a_census_population_that_adds_up_to_the_force(demo_con):
    force, npas, missing = demo_con.execute("""
        select max(population) filter (where area_level = 'force'),
               sum(population) filter (where area_level = 'npa'),
               count(*) filter (where population is null)
        from home_areas
    """).fetchone()
    assert missing == 0
    assert force == npas == 1_121_954  # Census 2021 usual residents of LLR


def test_demo_provenance_says_it_is_demonstration_data(demo_con):
    source, description = demo_con.execute("select source, description from provenance").fetchone()
    assert source == "demo" and "not official statistics" in description


def test_committed_demo_parameters_are_what_the_real_files_give(real_data, tmp_path):
    rules = tmp_path / "areas" / "llr_area_rules.csv"  # the NPA mapping lives in data/areas/
    derive(real_data, tmp_path, rules_path=rules)
    for path in sorted(tmp_path.glob("*.csv")):
        assert filecmp.cmp(path, DEMO_DIR / path.name, shallow=False), f"{path.name} differs from data/demo"
    assert filecmp.cmp(rules, AREAS_DIR / rules.name, shallow=False), f"{rules.name} differs from data/areas"


def test_demo_levels_match_the_real_force_total_for_january_2024(demo_con, real_data):
    # The demo's force-wide all crime for January 2024 is within 5% of the real published file.
    with duckdb.connect() as con:
        real = con.execute(f"""
            select count(*) from read_csv('{real_data}/police-uk_leonard-theodorus/2024-01/2024-01-leicestershire-street.csv.gz', header = true, all_varchar = true)
            where "Crime type" <> 'Anti-social behaviour'
        """).fetchone()[0]
    demo = sum(all_crime_by_area(demo_con, "2024-01-01").values())
    assert abs(demo - real) / real < 0.05
