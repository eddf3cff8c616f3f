"""What an ONS code is, which property of a feature holds it, and data.police.uk's force ids.

ONS codes begin with a prefix that says what they are: E01/W01 an LSOA, E06/E07/E08/E09/W06 a
local authority district, E23/W15 a police force area. Scottish (S) and Northern Irish (N)
codes of the same kinds are recognised so that they can be skipped as outside England and Wales.
"""
from __future__ import annotations

import re

from scrutiny.geography.areas import districts, force_id_from_name

LEVELS = ("district", "lsoa", "force", "area")
PREFIXES = {
    "lsoa": ("E01", "W01", "S01", "95"),           # S01 data zones, 95... NI super output areas
    "district": ("E06", "E07", "E08", "E09", "W06", "S12", "N09"),
    "force": ("E23", "W15"),
}
WHAT = {"lsoa": "LSOA", "district": "district", "force": "police force area", "area": "area"}
_ENGLAND_WALES = ("E", "W")

# Property names that hold a code: LAD22CD, LSOA11CD, PFA20CD (any letters, two digits, CD),
# lsoa21_code, ONS's areacd, or plainly code; the name is beside it (LAD22NM, areanm, name).
_CODE_PROPERTY = re.compile(r"^(?:[a-z]+\d{2}cd|[a-z]+\d{2}_code|areacd|code)$", re.IGNORECASE)


def a(level: str) -> str:
    """'a district', 'an LSOA', 'an area': the level's name with its article."""
    what = WHAT[level]
    return ("an " if what == "LSOA" or what[0] in "aeiou" else "a ") + what  # "an LSOA": el-so-a


def level_of(code: str) -> str | None:
    for level, prefixes in PREFIXES.items():
        if code.startswith(prefixes) and re.fullmatch(r"[A-Z0-9]{9}", code):
            return level
    return None


def in_england_wales(code: str) -> bool:
    return code.startswith(_ENGLAND_WALES)


def code_properties(names: list[str]) -> list[str]:
    """The properties (or columns) that look like a code, in their order."""
    return [n for n in names if _CODE_PROPERTY.match(n.strip())]


def name_property(code_property: str, names: list[str]) -> str | None:
    """LAD22CD -> LAD22NM, lsoa21_code -> lsoa21_name, areacd -> areanm, else 'name'."""
    lower = {n.lower(): n for n in names}
    key = code_property.lower()
    for candidate in (key[:-2] + "nm" if key.endswith("cd") else None,
                      key[:-4] + "name" if key.endswith("code") else None, "areanm", "name"):
        if candidate and candidate in lower:
            return lower[candidate]
    return None


def _normal(name: str) -> str:
    # "London, City of" -> "City of London", as data.police.uk and data/areas/districts.csv say it.
    if ", " in name:
        first, rest = name.split(", ", 1)
        name = f"{rest} {first}"
    return force_id_from_name(name)


def force_id_for(name: str) -> str | None:
    """data.police.uk's force id for an ONS police force area name, or None: 'Metropolitan Police'
    -> 'metropolitan', 'London, City of' -> 'city-of-london', 'Devon & Cornwall' ->
    'devon-and-cornwall'. Only ids of data/areas/districts.csv count."""
    known = {d["force_id"]: d["force_area_name"] for d in districts().values()}
    by_area_name = {_normal(area_name): force_id for force_id, area_name in known.items()}
    for candidate in (force_id_from_name(name), _normal(name)):
        if candidate in known:
            return candidate
        if candidate in by_area_name:
            return by_area_name[candidate]
    return None
