"""`import boundaries`: the real ONS files give the shapes the dashboard joins on, area outlines
are dissolved from them, and a broken file is refused with one line, changing nothing."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import duckdb
import pytest
import shapely
from shapely.geometry import shape

from scrutiny.geography import shapes
from scrutiny.geography.areas import districts
from scrutiny.core.paths import AREAS_DIR
from tests.ingest_helpers import copy_db, month_file, refused_import
from tests.helpers import run_cli

LAD = "ons-lad-boundaries_simonabisiani/LAD_DEC_2022_UK_BUC.geojson.gz"
LSOA_FOLDER = "ons-lsoa11-boundaries_martinjc"
LSOA = f"{LSOA_FOLDER}/lsoa11_llr_bgc_merged.geojson.gz"
PFA = "ons-pfa-boundaries_gutofthequantifier/police_force_areas_pfa20_ew.geojson.gz"
TOPO = "ons-uk-topojson_onsvisual/uk_topo_2014_2025.topo.json.gz"
LSOA21_CENTROIDS = "ons-lsoa21-pwc_onsvisual/lsoa21_pwc.ndjson.gz"
LSOA11_CENTROIDS = "ons-lsoa11-pwc_iainfletcher/DERIVED_lsoa11_pwc_llr.csv"
LLR = {"E06000016", "E06000017", "E07000129", "E07000130", "E07000131", "E07000132", "E07000133", "E07000134",
       "E07000135"}
CITY = ["City Centre", "East Leicester", "West Leicester"]
COUNTY = ["Charnwood", "Harborough and Wigston", "Hinckley and Blaby", "Melton and Rutland", "North West Leicestershire"]


def query(path: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def imported(db: Path, *argv) -> str:
    code, out, err = run_cli("import", "boundaries", *argv, "--db", db)
    assert code == 0, err
    return out


def features(path: Path) -> list[dict]:
    return json.loads(gzip.decompress(path.read_bytes()))["features"]


@pytest.fixture(scope="module")
def district_db(demo_db, real_data, tmp_path_factory) -> tuple[Path, str]:
    """The demo database with the real district boundaries, and what the import printed."""
    db = copy_db(demo_db, tmp_path_factory.mktemp("districts"))
    return db, imported(db, real_data / LAD)


@pytest.fixture(scope="module")
def districts_and_january(district_db, real_data, tmp_path_factory) -> Path:
    """... and January 2024's real Leicestershire records."""
    db = copy_db(district_db[0], tmp_path_factory.mktemp("districts-january"))
    code, _, err = run_cli("import", "police-uk", month_file(real_data, "2024-01"), db=db)
    assert code == 0, err
    return db


@pytest.fixture(scope="module")
def lsoa_db(district_db, real_data, tmp_path_factory) -> tuple[Path, str]:
    """... and the LLR LSOA boundaries too."""
    db = copy_db(district_db[0], tmp_path_factory.mktemp("lsoas"))
    return db, imported(db, real_data / LSOA)


def outlines(db: Path) -> dict[str, tuple]:
    return {name: (shape(json.loads(g)), source) for name, g, source in query(db, """
        select a.area_name, b.geometry, b.source from boundaries b join areas a on a.area_id = b.code
        where b.level = 'area'""")}


# --- the real files ------------------------------------------------------------------------------

def test_the_district_file_gives_every_district_of_england_and_wales(district_db, demo_con):
    db, out = district_db
    rows = dict(query(db, "select code, name from boundaries where level = 'district'"))
    assert len(rows) == 331 and set(rows) == {d["district_code"] for d in districts().values()}
    assert re.match(r"^\S+LAD_DEC_2022_UK_BUC.geojson.gz: 331 district boundaries imported "
                    r"\(43 outside England and Wales skipped\), [\d,]+ vertices after simplifying", out)
    leicestershire = {d["district_code"] for d in districts().values() if d["force_id"] == "leicestershire"}
    assert leicestershire == LLR
    assert rows["E06000016"] == "Leicester"
    # Every LLR district joins to the demo's crime data through area_districts.
    in_demo = {c for (c,) in demo_con.execute("select district_code from area_districts").fetchall()}
    assert LLR <= set(rows) and LLR == in_demo


def test_every_llr_district_code_joins_to_real_street_records(districts_and_january):
    joined = {c for (c,) in query(districts_and_january, """
        select distinct b.code from lsoa_counts l
        join districts d on d.lsoa_prefix = l.district_name
        join boundaries b on b.level = 'district' and b.code = d.district_code
        where l.force_id = 'leicestershire' and d.force_id = 'leicestershire'""")}
    assert joined == LLR


def test_the_lsoa_file_gives_the_611_llr_lsoas_with_their_names(lsoa_db):
    rows = query(lsoa_db[0], "select code, name, geometry_type from boundaries where level = 'lsoa'")
    assert len(rows) == 611
    assert all(re.fullmatch(r"E01\d{6}", c) and re.search(r" \d{3}[A-Z]$", n) and t in ("Polygon", "MultiPolygon")
               for c, n, t in rows)
    assert ": 611 LSOA boundaries imported, " in lsoa_db[1]


def test_the_force_file_gives_43_forces_by_their_data_police_uk_ids(demo_db, real_data, tmp_path):
    db = copy_db(demo_db, tmp_path)
    imported(db, real_data / PFA)
    rows = {code: (name, ons) for code, name, ons in query(db, "select code, name, ons_code from boundaries where level = 'force'")}
    assert set(rows) == {d["force_id"] for d in districts().values()} and len(rows) == 43
    assert rows["leicestershire"] == ("Leicestershire", "E23000021")
    assert rows["city-of-london"] == ("London, City of", "E23000034")
    assert rows["metropolitan"][1] == "E23000001"


def test_the_topojson_gives_each_districts_latest_shape(demo_db, real_data, tmp_path):
    db = copy_db(demo_db, tmp_path)
    out = imported(db, real_data / TOPO, "--level", "district")
    topology = json.loads(gzip.decompress((real_data / TOPO).read_bytes()))
    ltla = [g["properties"] for g in topology["objects"]["ltla"]["geometries"]]
    ours = {d["district_code"] for d in districts().values()}
    latest_vintage = {p["areacd"] for p in ltla if "end" not in p} & ours
    # 17 districts of 2022 were merged in April 2023 (end 2022) and 2 recoded in 2025 (end 2024):
    # their last shapes are kept, so every district of districts.csv has one.
    ended = {p["areacd"] for p in ltla if "end" in p} & ours
    rows = dict(query(db, "select code, geometry from boundaries where level = 'district'"))
    assert len(latest_vintage) == 312 and len(ended) == 19
    assert set(rows) == latest_vintage | ended == ours
    assert f": 331 district boundaries imported ({len(ltla) - 331 - 45} older or newer districts not in " in out
    assert "45 outside England and Wales skipped" in out
    # Decoded arcs put Leicester where the ONS GeoJSON has it (different generalisations: within 5%).
    reference = next(shape(f["geometry"]) for f in features(real_data / LAD) if f["properties"]["LAD22CD"] == "E06000016")
    decoded = shape(json.loads(rows["E06000016"]))
    assert decoded.is_valid and decoded.intersection(reference).area / reference.area > 0.95
    assert decoded.area == pytest.approx(reference.area, rel=0.05)


@pytest.mark.slow
def test_lsoa_centroids_come_in_as_points(demo_db, real_data, tmp_path):
    db = copy_db(demo_db, tmp_path)
    out = imported(db, real_data / LSOA21_CENTROIDS)
    rows = query(db, "select geometry_type, count(*) from boundaries where level = 'lsoa' group by all")
    assert rows == [("Point", 35_672)]
    assert ": 35,672 LSOA centroids imported (" in out and "area outlines: none drawn (no district or LSOA polygons are loaded)" in out
    (point,) = query(db, "select geometry, label_lon, label_lat from boundaries where code = 'E01000001'")
    assert json.loads(point[0]) == {"type": "Point", "coordinates": [-0.09624, 51.51959]}
    assert point[1:] == (-0.09624, 51.51959)
    imported(db, real_data / LSOA11_CENTROIDS)  # a CSV of LSOA11CD,...,lon,lat: replaces the same codes
    assert query(db, "select count(*) from boundaries where level = 'lsoa'") == [(35_672 + 24,)]


def test_importing_again_replaces_the_same_codes_and_keeps_the_others(demo_db, real_data, tmp_path):
    db = copy_db(demo_db, tmp_path)
    folder = real_data / "ons-lsoa11-boundaries_martinjc"
    imported(db, folder / "lsoa_by_lad_E06000017.geojson.gz")
    imported(db, folder / "lsoa_by_lad_E07000129.geojson.gz")
    imported(db, folder / "lsoa_by_lad_E07000129.geojson.gz")
    assert query(db, "select source, count(*) from boundaries where level = 'lsoa' group by all order by 1") == [
        ("lsoa_by_lad_E06000017.geojson.gz", 23), ("lsoa_by_lad_E07000129.geojson.gz", 60)]
    assert query(db, "select count(*) from provenance where starts_with(source, 'Boundaries: ')") == [(2,)]


def test_topojson_keeps_the_latest_of_several_vintages_of_a_code(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path)
    # Two delta-encoded arcs, each a closed square: of 1 quantized unit from (0, 0), of 2 from (10, 0).
    arcs = [[[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1]], [[10, 0], [2, 0], [0, 2], [-2, 0], [0, -2]]]
    topology = {"type": "Topology", "transform": {"scale": [0.01, 0.01], "translate": [-1.2, 52.6]}, "arcs": arcs,
                "objects": {"ltla": {"type": "GeometryCollection", "geometries": [
                    {"type": "Polygon", "arcs": [[0]], "properties": {"areacd": "E07000130", "areanm": "Old", "end": 2019}},
                    {"type": "Polygon", "arcs": [[1]], "properties": {"areacd": "E07000130", "areanm": "Charnwood", "start": 2020}},
                    {"type": "Polygon", "arcs": [[~0]], "properties": {"areacd": "E07000133", "areanm": "Melton"}}]}}}
    path = tmp_path / "two_vintages.topo.json"
    path.write_text(json.dumps(topology))
    out = imported(db, path)
    assert ": 2 district boundaries imported (1 older vintages of the same codes left out)" in out
    rows = {c: (n, json.loads(g)) for c, n, g in query(db, "select code, name, geometry from boundaries where level = 'district'")}
    assert rows["E07000130"][0] == "Charnwood"
    assert shape(rows["E07000130"][1]).equals(shape({"type": "Polygon", "coordinates": [
        [[-1.1, 52.6], [-1.08, 52.6], [-1.08, 52.62], [-1.1, 52.62], [-1.1, 52.6]]]}))
    melton = shape(rows["E07000133"][1])  # arc 0 walked backwards: the same square
    assert melton.equals(shape({"type": "Polygon", "coordinates": [[[-1.2, 52.6], [-1.19, 52.6], [-1.19, 52.61],
                                                                     [-1.2, 52.61], [-1.2, 52.6]]]}))


# --- area outlines -------------------------------------------------------------------------------

def test_district_boundaries_outline_the_county_areas_and_say_why_not_the_city(district_db):
    db, out = district_db
    drawn = outlines(db)
    assert sorted(drawn) == COUNTY
    assert {source for _, source in drawn.values()} == {"dissolved from district boundaries"}
    assert out.rstrip().endswith(
        "; area outlines: 5 of 8 drawn (not drawn: City Centre, East Leicester, West Leicester: Leicester is split "
        "between areas; import LSOA boundaries to draw them).")


def test_lsoa_boundaries_outline_every_area(lsoa_db):
    drawn = outlines(lsoa_db[0])
    assert sorted(drawn) == sorted(CITY + COUNTY)
    assert lsoa_db[1].rstrip().endswith("; area outlines: 8 of 8 drawn.")
    # Every district's LSOAs cover it (their union within 2% of the district shape's area).
    assert {source for _, source in drawn.values()} == {"dissolved from LSOA boundaries"}


@pytest.mark.parametrize("which", ["district_db", "lsoa_db"])
def test_an_outline_covers_its_districts(which, request):
    db = request.getfixturevalue(which)[0]
    district_shapes = {c: shape(json.loads(g)) for c, g in query(db, "select code, geometry from boundaries where level = 'district'")}
    members = {}
    for area, code in query(db, "select area_name, district_code from area_districts join areas using (area_id)"):
        members.setdefault(area, []).append(code)
    drawn = outlines(db)
    for area in COUNTY:
        outline = drawn[area][0]
        assert outline.is_valid and outline.geom_type in ("Polygon", "MultiPolygon")
        assert outline.area == pytest.approx(sum(district_shapes[c].area for c in members[area]), rel=0.02), area
    if which == "lsoa_db":
        leicester = district_shapes["E06000016"]
        city = shapely.unary_union([drawn[a][0] for a in CITY])
        assert all(drawn[a][0].is_valid for a in CITY)
        assert city.area == pytest.approx(leicester.area, rel=0.02)
        assert shapely.intersection(drawn["City Centre"][0], drawn["West Leicester"][0]).area < 0.01 * drawn["City Centre"][0].area


def some_lsoas(real: Path, district_code: str, path: Path, first: int) -> Path:
    collection_ = json.loads(gzip.decompress((real / f"{LSOA_FOLDER}/lsoa_by_lad_{district_code}.geojson.gz").read_bytes()))
    collection_["features"] = collection_["features"][:first]
    path.write_text(json.dumps(collection_))
    return path


def test_some_of_a_districts_lsoas_leave_its_district_outline_and_are_named(district_db, real_data, tmp_path):
    db = copy_db(district_db[0], tmp_path / "db")
    (charnwood,) = query(db, "select geometry from boundaries where level = 'district' and code = 'E07000130'")
    out = imported(db, some_lsoas(real_data, "E07000130", tmp_path / "charnwood_30.geojson", 30))  # of 99
    drawn = outlines(db)
    # It was once drawn from the 30 LSOAs: 28% of Charnwood.
    assert drawn["Charnwood"][0].area == pytest.approx(shape(json.loads(charnwood[0])).area, rel=0.02)
    assert drawn["Charnwood"][1] == "dissolved from district boundaries"
    assert out.rstrip().endswith(
        "; area outlines: 5 of 8 drawn, Charnwood from the district boundary, its LSOA boundaries being incomplete "
        "(not drawn: City Centre, East Leicester, West Leicester: Leicester is split between areas; import LSOA "
        "boundaries to draw them).")
    # Leicester is split between areas: some of its LSOAs draw none of the three.
    out = imported(db, some_lsoas(real_data, "E06000016", tmp_path / "leicester_30.geojson", 30))  # of 192
    assert sorted(outlines(db)) == COUNTY
    assert "(not drawn: City Centre, East Leicester, West Leicester: only some of the LSOA boundaries of Leicester are loaded)" in out


def test_without_the_district_shape_its_lsoas_are_checked_against_the_shipped_list(demo_db, real_data, tmp_path):
    db = copy_db(demo_db, tmp_path / "db")
    out = imported(db, some_lsoas(real_data, "E07000130", tmp_path / "charnwood_30.geojson", 30))
    assert outlines(db) == {}
    assert "Charnwood: only some of the LSOA boundaries of Charnwood are loaded" in out
    # All 99 of 2011 (the shipped list has the 102 of 2021, 6 of them new codes): drawn.
    out = imported(db, real_data / LSOA_FOLDER / "lsoa_by_lad_E07000130.geojson.gz")
    assert sorted(outlines(db)) == ["Charnwood"] and "area outlines: 1 of 8 drawn (" in out


def test_re_mapping_a_force_dissolves_its_outlines_again(districts_and_january, tmp_path):
    db = copy_db(districts_and_january, tmp_path)
    assert sorted(outlines(db)) == COUNTY
    mapping = tmp_path / "rutland_alone.csv"
    mapping.write_text((AREAS_DIR / "llr_area_rules.csv").read_text().replace(
        "district,Rutland,melton-rutland,Melton and Rutland", "district,Rutland,rutland,Rutland"))
    code, _, err = run_cli("import", "areas", mapping, "--db", db)
    assert code == 0, err
    drawn = outlines(db)
    rutland = shape(json.loads(query(db, "select geometry from boundaries where level = 'district' and code = 'E06000017'")[0][0]))
    assert sorted(drawn) == sorted(COUNTY + ["Rutland"])
    assert drawn["Rutland"][0].area == pytest.approx(rutland.area, rel=0.02)
    melton = shape(json.loads(query(db, "select geometry from boundaries where level = 'district' and code = 'E07000133'")[0][0]))
    assert drawn["Melton and Rutland"][0].area == pytest.approx(melton.area, rel=0.02)


def test_an_imported_area_outline_is_never_replaced_by_a_dissolved_one(district_db, real_data, tmp_path):
    db = copy_db(district_db[0], tmp_path)
    square = {"type": "Polygon", "coordinates": [[[-1.2, 52.7], [-1.1, 52.7], [-1.1, 52.8], [-1.2, 52.8], [-1.2, 52.7]]]}
    path = tmp_path / "charnwood_outline.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Charnwood"}, "geometry": square}]}))
    out = imported(db, path, "--level", "area")
    assert out.startswith(f"{path}: 1 area boundaries imported") and "4 of 8 drawn, 1 imported kept" in out
    imported(db, real_data / LAD)  # dissolves the outlines again
    (row,) = query(db, "select code, name, source, geometry from boundaries where level = 'area' and code = 'charnwood'")
    assert row[:3] == ("charnwood", "Charnwood", "charnwood_outline.geojson")
    assert shape(json.loads(row[3])).equals(shape(square))
    assert sorted(outlines(db)) == COUNTY


# --- simplification ------------------------------------------------------------------------------

def test_simplifying_keeps_each_llr_district_and_the_level_small(district_db, real_data):
    db = district_db[0]
    stored = {c: (shape(json.loads(g)), v) for c, g, v in query(db, "select code, geometry, vertices from boundaries where level = 'district'")}
    for feature in features(real_data / LAD):
        code = feature["properties"]["LAD22CD"]
        if code in LLR:
            original, (simplified, vertices) = shape(feature["geometry"]), stored[code]
            assert simplified.is_valid and vertices == shapely.get_num_coordinates(simplified)
            assert simplified.area == pytest.approx(original.area, rel=0.005), code
            assert simplified.symmetric_difference(original).area < 0.01 * original.area, code
    assert max(v for _, v in stored.values()) <= shapes.MAX_SHAPE_VERTICES
    assert sum(v for _, v in stored.values()) <= shapes.MAX_LEVEL_VERTICES
    for (text,) in query(db, "select geometry from boundaries"):
        assert not re.search(r"\d\.\d{6,}", text)  # 5 decimal places at most


def test_a_shape_with_too_many_vertices_is_simplified_until_it_fits(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path)
    circle = shapely.Point(-1.1, 52.7).buffer(0.1, quad_segs=1500)  # 6,001 vertices
    path = tmp_path / "round_charnwood.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"LAD22CD": "E07000130"}, "geometry": shapely.geometry.mapping(circle)}]}))
    imported(db, path)
    (geometry, vertices), = query(db, "select geometry, vertices from boundaries where code = 'E07000130'")
    stored = shape(json.loads(geometry))
    assert 100 < vertices <= shapes.MAX_SHAPE_VERTICES and stored.is_valid
    assert stored.area == pytest.approx(circle.area, rel=0.001)


# --- broken files --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def llr_features(real_data) -> list[dict]:
    return [f for f in features(real_data / LAD) if f["properties"]["LAD22CD"] in LLR][:3]


def collection(features_: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features_})


def without_code(features_):
    broken = json.loads(json.dumps(features_))
    del broken[1]["properties"]["LAD22CD"]
    return collection(broken)


def in_metres(features_):
    broken = json.loads(json.dumps(features_))
    broken[2]["geometry"] = {"type": "Polygon", "coordinates": [[[447000, 300000], [448000, 300000], [448000, 301000],
                                                                 [447000, 300000]]]}
    return collection(broken)


def repeated(features_):
    return collection([features_[0], features_[1], features_[0]])


def a_line(features_):
    broken = json.loads(json.dumps(features_))
    broken[0]["geometry"] = {"type": "LineString", "coordinates": [[-1.1, 52.6], [-1.0, 52.7]]}
    return collection(broken)


BROKEN = {
    "not JSON (cut short)": ("bad.geojson", lambda f: '{"type": "FeatureCollection", "features": [',
                             ": not JSON (Expecting value at line 1 column 44; truncated or damaged?)"),
    "a web page": ("bad.geojson", lambda f: "<!DOCTYPE html><html>Not found</html>",
                   ": not GeoJSON, TopoJSON or a CSV of centroids (it begins '<!DOCTYPE html><html>Not found</html>')"),
    "no features": ("empty.geojson", lambda f: collection([]), ": a FeatureCollection with no features"),
    "a feature without its code": ("nocode.geojson", without_code,
                                   ": feature 2 has no LAD22CD property (the code of each shape)"),
    "British National Grid": ("bng.geojson", in_metres,
                              ": feature 3 (E07000129) has coordinates in metres, not longitude and latitude (447000, "
                              "300000 looks like British National Grid, EPSG:27700); export the file in WGS84 (EPSG:4326)"),
    "a repeated code": ("twice.geojson", repeated,
                        ": code E06000016 is in feature 1 and again in feature 3; a file must have each code once"),
    "a line": ("line.geojson", a_line, ": feature 1 (E06000016) has a LineString geometry; only Polygon, "
                                        "MultiPolygon and Point can be imported"),
}


def refused(db: Path, *argv) -> str:
    return refused_import("boundaries", db, *argv)


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_file_is_refused_with_one_line_and_changes_nothing(case, district_db, llr_features, tmp_path):
    name, make, message = BROKEN[case]
    db = copy_db(district_db[0], tmp_path / "db")
    path = tmp_path / name
    path.write_text(make(llr_features))
    assert refused(db, path) == f"error: {path}{message}"


def test_a_truncated_download_is_refused(district_db, real_data, tmp_path):
    db = copy_db(district_db[0], tmp_path / "db")
    path = tmp_path / "LAD.geojson.gz"
    path.write_bytes((real_data / LAD).read_bytes()[:100_000])
    assert refused(db, path) == f"error: {path}: the gzip data ends early (a truncated download?)"


def test_a_level_that_disagrees_with_the_codes_is_refused(district_db, real_data, tmp_path):
    db = copy_db(district_db[0], tmp_path / "db")
    assert refused(db, real_data / PFA, "--level", "district") == (
        f"error: {real_data / PFA}: feature 1: E23000001 is a police force area code, not a district code "
        "(--level district; use the level the file is of)")


def test_one_bad_file_of_several_stops_them_all(district_db, real_data, tmp_path):
    db = copy_db(district_db[0], tmp_path / "db")
    path = tmp_path / "empty.geojson"
    path.write_text(collection([]))
    assert refused(db, real_data / PFA, path) == f"error: {path}: a FeatureCollection with no features"
