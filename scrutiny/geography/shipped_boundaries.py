"""The district and police force area outlines shipped in data/areas/, so that `setup` can draw
any force's maps without a download (developers re-derive them with `derive-areas`).

Derived from the ONS files listed in shared/data/real/SOURCES.md (Open Government Licence v3.0):
the December 2022 LADs, ultra-generalised (500 m), and the December 2020 police force areas.
Only what the dashboard reads is kept: England and Wales, the districts of districts.csv, each
feature's code and name, coordinates rounded to 4 decimal places (about 7 by 11 metres, finer
than the 500 m generalisation). Gzipped with no timestamp, so the same inputs give the same bytes
and a test can check the committed files are exactly what the derivation gives.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

from scrutiny.core.paths import AREAS_DIR

LAD_BOUNDARIES = "ons-lad-boundaries_simonabisiani/LAD_DEC_2022_UK_BUC.geojson.gz"
PFA_BOUNDARIES = "ons-pfa-boundaries_gutofthequantifier/police_force_areas_pfa20_ew.geojson.gz"
DISTRICT_OUTLINES = AREAS_DIR / "district_boundaries.geojson.gz"
FORCE_OUTLINES = AREAS_DIR / "force_boundaries.geojson.gz"
SHIPPED = (DISTRICT_OUTLINES, FORCE_OUTLINES)
DECIMALS = 4


def derive(real: Path, out: Path, districts_csv: Path) -> None:
    with districts_csv.open(newline="", encoding="utf-8") as f:
        district_codes = {row["district_code"] for row in csv.DictReader(f)}
    _derive_one(real / LAD_BOUNDARIES, out / DISTRICT_OUTLINES.name, ("LAD22CD", "LAD22NM"),
                lambda code: code in district_codes)
    _derive_one(real / PFA_BOUNDARIES, out / FORCE_OUTLINES.name, ("PFA20CD", "PFA20NM"),
                lambda code: code[:1] in ("E", "W"))


def _derive_one(source: Path, target: Path, properties: tuple[str, str], keep) -> None:
    with gzip.open(source, "rt", encoding="utf-8") as f:
        collection = json.load(f)
    features = []
    for feature in sorted(collection["features"], key=lambda f: f["properties"][properties[0]]):
        code = feature["properties"][properties[0]]
        if not keep(code):
            continue
        geometry = feature["geometry"]
        features.append({"type": "Feature", "properties": {p: feature["properties"][p] for p in properties},
                         "geometry": {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}})
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as f:
        f.write(text.encode("utf-8"))
    target.write_bytes(buffer.getvalue())


def _rounded(coordinates):
    if isinstance(coordinates[0], (int, float)):
        return [round(c, DECIMALS) for c in coordinates]
    return [_rounded(c) for c in coordinates]
