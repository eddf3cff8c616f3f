""""Is it just us?": beside a red or amber rating of the home force or one of its areas, the peer
group's ratings of the same crime measure that month, in one sentence and a small table.

The peers' ratings are place_ratings' (the set-wise engine's, by the same rules as the home
force's), of the street measure whose crime types equal the plan measure's: a measure the office
reports itself (satisfaction, 999 calls) has none, and nothing is said. The peers are the office's
peer group (comparison.peer_group): for the force, the group's other forces; for an area, the
partnerships of the group other than the home force's own. The sentence is counted from the same
`PeerRating`s as the table, so the two always agree. A red peer shows a rise, a green one a fall,
whichever rule found it; the table says each peer's pattern and usual level. The table lists this
force (or the area rated) first, by its own stored rating, then an area's own partnership; neither
is counted among the peers. An area (an NPA) is said to be one, once, after the sentence. In the
sentence names are separated by semicolons (partnership names hold commas) and lose the demo's
" (synthetic)"; the table keeps full names. No Streamlit here: the pages arrange it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import urllib.parse
from dataclasses import dataclass

import pandas as pd

from scrutiny.core import words
from scrutiny.core.crime_types import ALL_CRIME, CRIME_TYPES, STREET_MEASURES, street_measure
from scrutiny.core.formatting import is_missing
from scrutiny.core.months import Month
from scrutiny.core.vocab import AMBER, ASSURANCE, GREEN, INCOMPLETE_MONTH, NOT_RATED, RED
from scrutiny.demo.peers import SYNTHETIC
from scrutiny.load.office_files import Peers
from scrutiny.present import comparison
from scrutiny.present.meeting import Query
from scrutiny.rate.spc import RuleLengths

LEVEL_OF = {"forces": "force", "csps": "csp"}  # compare_view.LEVELS -> place_ratings.level
# The order peers are listed in: those showing a concern first, then no clear change, improving,
# not rated, and those with no figures that month (rag None).
PEER_ORDER = (RED, AMBER, GREEN, NOT_RATED, None)


@dataclass(frozen=True)
class PeerRating:
    """One peer's rating of the street measure that month; rag None: no figures that month."""
    unit_id: str
    place: str
    rag: str | None
    decided_by: str | None = None
    value: float | None = None   # the month's count
    way: int | None = None       # the pattern's way (+1 up, -1 down), place_ratings.way
    mean: float | None = None    # the usual level the month is judged against


@dataclass(frozen=True)
class PeerPattern:
    measure_id: str             # the street measure (STREET_MEASURES)
    measure_name: str
    level: str                  # 'forces' or 'csps' (compare_view.LEVELS)
    month: Month
    peers: tuple[PeerRating, ...]
    sentence: str
    share: int | None = None    # how many peers share a red rating's concern (None: not red, or none rated)
    rated: int = 0              # how many peers have a rating (red, amber or green) that month
    area_id: str | None = None  # the home force's area rated, for an area's peers (level 'csps')
    home_unit: PeerRating | None = None  # an area's own partnership (its place name marked so): listed, not counted
    home: PeerRating | None = None  # this force, or this area, by its own stored rating: listed first, not counted

    @property
    def link(self) -> str:
        return compare_link(self.measure_id, self.level, self.month, self.area_id)


# The link parameter naming the home force's area whose peers a link shows: not `area`, which is
# the sidebar's Area filter (Compare forces does not use it, and the reader's choice there stays).
AREA_PARAM = "rated_area"


def compare_link(measure_id: str, level: str, month: dt.date, area_id: str | None = None) -> str:
    """Compare forces showing this measure's ratings across the peer group (the page reads these
    parameters): the crime type too when the measure is one crime type (or all crime), and for an
    area's rating the area, so that the grid can mark the partnership it is part of."""
    params = {"level": level, "month": Month.of(month).key, "ratings_of": measure_id}
    name = next(name for m, name, _ in STREET_MEASURES if m == measure_id)
    if name == ALL_CRIME or name in CRIME_TYPES:
        params["crime_type"] = name
    if area_id is not None:
        params[AREA_PARAM] = area_id
    return "compare?" + urllib.parse.urlencode(params) + "#ratings"


def peer_ratings(units: pd.DataFrame, rows: pd.DataFrame, month: dt.date) -> tuple[PeerRating, ...]:
    """Each peer place with its rating that month (compare/place_ratings rows), in PEER_ORDER then by name."""
    month = pd.Timestamp(Month.of(month))
    of_month = {row.unit_id: row for row in rows.itertuples() if pd.Timestamp(row.month) == month}
    found = []
    for unit in units.itertuples():
        row = of_month.get(unit.unit_id)
        found.append(PeerRating(unit.unit_id, unit.unit_name, None) if row is None else _rating(unit.unit_id, unit.unit_name, row))
    return tuple(sorted(found, key=lambda p: (PEER_ORDER.index(p.rag), p.place)))


def _rating(unit_id: str, place: str, row) -> PeerRating:
    """One place_ratings row as a PeerRating (`place`: the name to show)."""
    return PeerRating(unit_id, place, row.rag, None if is_missing(row.decided_by) else row.decided_by,
                      float(row.value), None if is_missing(row.way) else int(row.way),
                      None if is_missing(row.mean) else float(row.mean))


def pattern_words(peer: PeerRating, month: dt.date) -> str:
    """The peer's pattern that month, in the table beside the sentence: what decided its rating
    (the rule on the latest month and its way), why it is not rated, or that it has no figures."""
    if peer.rag is None:
        return words.PEER_PATTERN_NO_FIGURES.format(month=Month.of(month).label)
    if peer.rag == NOT_RATED:
        return words.PEER_PATTERN_INCOMPLETE if peer.decided_by == INCOMPLETE_MONTH else words.PEER_PATTERN_TOO_FEW
    template = words.PEER_PATTERN.get((peer.decided_by, peer.way))
    if template is None:  # amber: common cause
        return words.PEER_PATTERN_NONE
    lengths = RuleLengths()  # the set-wise engine's (scrutiny.rate.setwise)
    return template.format(shift=lengths.shift, rises=lengths.trend - 1, needed=lengths.two_in_three_needed,
                           window=lengths.two_in_three_window)


MOST_NAMED = 5  # a sentence names at most five places: a longer list is for the table beside it
# The demo's peers carry this in their names; the page says the figures are synthetic already, and in a
# sentence of many names it is noise (the table keeps the full names).
SYNTHETIC_SUFFIX = f" {SYNTHETIC}"


def _names(places: list[str]) -> str:
    """'A; B; C' or, past MOST_NAMED, 'A; B; C; D; E and 8 more': semicolons, since partnership names
    hold commas ('Peer A, CSP 2'), each without the demo's ' (synthetic)'."""
    named = "; ".join(place.removesuffix(SYNTHETIC_SUFFIX) for place in places[:MOST_NAMED])
    return named if len(places) <= MOST_NAMED else f"{named} and {len(places) - MOST_NAMED} more"


def _show(k: int) -> str:
    return "shows" if k == 1 else "show"


def _lead(k: int, n: int, units: str, measure: str, way: str, names: list[str]) -> str:
    """'2 of the 3 peer forces show a rise in burglary this month (A, B)', or 'All 3 ... show ...'."""
    if k == n:
        return (words.PEER_ONE_SHOWS if n == 1 else words.PEER_ALL_SHOW).format(n=n, units=units, way=way, measure=measure)
    return words.PEER_SHOW.format(k=k, n=n, units=units, show=_show(k), way=way, measure=measure, names=_names(names))


def sentence(home_rag: str, home_rule: str | None, measure_name: str, level: str, month: dt.date,
             peers: tuple[PeerRating, ...], any_rated: bool = True) -> str:
    """One sentence on the peers' ratings, for a `home_rag` rating ('red' or 'amber') decided by
    `home_rule` (an SPC rule name; vocab.ASSURANCE for a red by its target). `any_rated`: whether
    the engine rated any place for this measure at all (False: nothing computed yet). A red peer
    shows a rise and a green one a fall, whatever rule found it (see words.PEER_WAYS)."""
    one, many = words.PEER_UNITS[level]
    n, measure, label = len(peers), measure_name[0].lower() + measure_name[1:], Month.of(month).label
    if n == 0:
        return words.PEER_NONE_LOADED.format(units=many)
    by_rag = {rag: [p.place for p in peers if p.rag == rag] for rag in PEER_ORDER}
    units = one if n == 1 else many
    rated = n - len(by_rag[NOT_RATED]) - len(by_rag[None])
    if rated == 0 or not any_rated:
        return words.PEER_NOTHING_RATED.format(n=n, units=units, measure=measure, month=label) + "."
    rises, falls, same = by_rag[RED], by_rag[GREEN], by_rag[AMBER]
    rise, fall = words.PEER_WAYS["rise"], words.PEER_WAYS["fall"]
    parts = []
    if home_rag == RED:
        if not rises:
            shown_none, none_also = ((words.PEER_ONE_NOT_SHOWS, words.PEER_ONE_NOT_ALSO) if n == 1 else
                                     (words.PEER_SHOW_NONE, words.PEER_NONE_ALSO))
            parts.append(shown_none.format(n=n, units=units, measure=measure) if home_rule == ASSURANCE else
                         none_also.format(n=n, units=units, measure=measure, here=words.PEER_HERE[level]))
        elif home_rule == ASSURANCE:  # red by its target, not by a rise: no "also"
            parts.append(_lead(len(rises), n, units, measure, rise, rises))
        elif len(rises) == n:
            parts.append((words.PEER_ONE_ALSO if n == 1 else words.PEER_ALL_ALSO).format(n=n, units=units, measure=measure))
        else:
            parts.append(words.PEER_ALSO.format(k=len(rises), n=n, units=units, show=_show(len(rises)),
                                                measure=measure, names=_names(rises)))
        if rises and (others := rated - len(rises)):
            parts.append(words.PEER_DO_NOT.format(k=others, do="does" if others == 1 else "do"))
    else:
        moved = [(rise, rises), (fall, falls)]
        if same:
            parts.append((words.PEER_ONE_NO_CHANGE if n == 1 else words.PEER_ALL_NO_CHANGE).format(n=n, units=units, measure=measure) if len(same) == n else
                         words.PEER_ALSO_NO_CHANGE.format(k=len(same), n=n, units=units, show=_show(len(same)),
                                                          measure=measure))
        else:  # none shows no clear change: lead with what the first of them show, no double negative
            way, places = next((way, places) for way, places in moved if places)
            parts.append(_lead(len(places), n, units, measure, way, places))
            moved = [(w, p) for w, p in moved if w != way]
        parts += [words.PEER_MOVED.format(k=len(places), show=_show(len(places)), way=way, names=_names(places))
                  for way, places in moved if places]
    incomplete = [p.place for p in peers if p.rag == NOT_RATED and p.decided_by == INCOMPLETE_MONTH]
    too_few = [p.place for p in peers if p.rag == NOT_RATED and p.decided_by != INCOMPLETE_MONTH]
    for missing, template in ((too_few, words.PEER_NOT_RATED), (incomplete, words.PEER_INCOMPLETE),
                              (by_rag[None], words.PEER_NO_MONTH)):
        if missing:
            parts.append(template.format(k=len(missing), has="has" if len(missing) == 1 else "have",
                                         month=label, names=_names(missing)))
    return "; ".join(parts) + "."


def for_rating(query: Query, peers: Peers, measure_id: str, area_id: str, month: dt.date, home_rag: str,
               home_rule: str | None) -> PeerPattern | None:
    """The peer group's ratings beside the home rating of plan measure `measure_id` in `area_id`
    (the force's area, or one of its areas) for `month`; None when the rating is not red or amber,
    or the measure is not a street measure (the office's own returns: nothing to compare)."""
    if home_rag not in (RED, AMBER):
        return None
    matched = street_measure(query("plan/measure_crime_types", measure=measure_id).crime_type)
    if matched is None:
        return None
    street_id, street_name = matched
    month = Month.of(month)
    forces = comparison.peer_rates(query, "forces", peers, ALL_CRIME, month, month)
    level = "forces" if area_id in set(forces[forces.is_home.astype(bool)].unit_id) else "csps"
    places = forces if level == "forces" else comparison.peer_rates(query, level, peers, ALL_CRIME, month, month)
    is_home = places.is_home.astype(bool)
    rows = query("compare/place_ratings", measure=street_id, level=LEVEL_OF[level], first_month=month,
                 last_month=month)
    rated_peers = peer_ratings(places[~is_home].reset_index(drop=True), rows, month)
    found = dataclasses.replace(
        pattern(street_id, street_name, level, month, rated_peers, home_rag, home_rule, any_rated=not rows.empty,
                area_id=area_id if level == "csps" else None),
        home=_home(query, measure_id, area_id, month, level))
    if level == "forces":
        return found
    area = query("common/areas").set_index("area_id").loc[area_id]
    if area.area_level != "npa":
        return found
    note = words.PEER_AREA_NOTE.format(area=area.area_name, larger=words.PEER_MOSTLY_LARGER if _mostly_larger(
        places[~is_home].population, area.population) else "")
    return dataclasses.replace(found, sentence=f"{found.sentence} {note}",
                               home_unit=_home_unit(places[is_home], rows, area_id, area.area_name, month))


def _home(query: Query, measure_id: str, area_id: str, month: dt.date, level: str) -> PeerRating | None:
    """This force (or this area) by its own stored rating of the plan measure, named so ('Leicestershire
    (this force)'), so that a member sees its figures beside the peers'; None when it has no rating."""
    rows = query("compare/home_rating", measure=measure_id, area=area_id, month=Month.of(month))
    if rows.empty:
        return None
    row = rows.iloc[0]  # a Series: its "mean" read by name, not the Series' method
    return PeerRating(area_id, words.PEER_THIS[level].format(place=row["area_name"]), row["rag"],
                      home_rule(row["decided_by"], row["rule"]), float(row["value"]),
                      None if is_missing(row["way"]) else int(row["way"]),
                      None if is_missing(row["mean"]) else float(row["mean"]))


def _mostly_larger(populations: pd.Series, population) -> bool:
    """Whether most peers whose population is known have more residents than the area."""
    if is_missing(population):
        return False
    known = populations.dropna()
    return 2 * int((known > population).sum()) > len(known)


def _home_unit(home_units: pd.DataFrame, rows: pd.DataFrame, area_id: str, area_name: str,
               month: dt.date) -> PeerRating | None:
    """The home force's partnership unit the area is part of, with its rating that month, so that a
    member sees the area's own partnership beside the others' (partnership_unit_areas); None when the
    unit is the area alone (its rating would only repeat the area's) or it has no rating."""
    unit = next((u for u in home_units.itertuples() if area_id in str(u.area_ids).split("; ")
                 and len(str(u.area_ids).split("; ")) > 1), None)
    if unit is None:
        return None
    month = pd.Timestamp(Month.of(month))
    row = next((r for r in rows.itertuples() if r.unit_id == unit.unit_id and pd.Timestamp(r.month) == month), None)
    place = words.PEER_HOME_UNIT.format(unit=unit.unit_name, area=area_name)
    return PeerRating(unit.unit_id, place, None) if row is None else _rating(unit.unit_id, place, row)


def home_rule(decided_by: str | None, pattern: str | None) -> str | None:
    """What decided a home rating, as `sentence` reads it: vocab.ASSURANCE for a red by its target,
    else the SPC rule of its latest month (the stored rating's evidence, or its question facts)."""
    return ASSURANCE if decided_by == ASSURANCE else None if is_missing(pattern) else pattern


def for_detail(query: Query, peers: Peers, measure_id: str, area_id: str, month: dt.date, detail) -> PeerPattern | None:
    """for_rating of a plan/rating_detail row (the Plan page's detail)."""
    return for_rating(query, peers, measure_id, area_id, month, detail.rag, home_rule(detail.decided_by, detail.decided_rule))


def pattern(street_id: str, street_name: str, level: str, month: dt.date, peers: tuple[PeerRating, ...],
            home_rag: str, home_rule: str | None, any_rated: bool = True, area_id: str | None = None) -> PeerPattern:
    rated = sum(p.rag in (RED, AMBER, GREEN) for p in peers)
    share = sum(p.rag == RED for p in peers) if home_rag == RED and rated else None
    return PeerPattern(street_id, street_name, level, Month.of(month), peers,
                       sentence(home_rag, home_rule, street_name, level, month, peers, any_rated), share, rated,
                       area_id)


TABLE_COLUMNS = ["place", "rag", "decided_by", "pattern", "count", "usual_level", "is_home", "is_home_unit"]


def table(found: PeerPattern) -> pd.DataFrame:
    """The small table beside the sentence: place, rating (rag; None for no figures), its pattern in
    words, the month's count and its usual level (the mean it is judged against); first this force or
    this area (is_home), then an area's own partnership (is_home_unit), neither counted in the sentence.
    Empty when no peer is rated that month: the sentence says so, a table would only repeat it."""
    homes = tuple(p for p in (found.home, found.home_unit) if p is not None)
    shown = homes + found.peers if found.rated else ()
    return pd.DataFrame({"place": [p.place for p in shown], "rag": [p.rag for p in shown],
                         "decided_by": [p.decided_by for p in shown],
                         "pattern": [pattern_words(p, found.month) for p in shown],
                         "count": [p.value for p in shown], "usual_level": [p.mean for p in shown],
                         "is_home": [p is found.home for p in shown],
                         "is_home_unit": [p is found.home_unit for p in shown]}, columns=TABLE_COLUMNS)


def short_table(found: PeerPattern, most: int = MOST_NAMED) -> tuple[pd.DataFrame, int]:
    """table() kept short, for the pack, where an area's peers are some thirty partnerships: this
    area (and its own partnership), then the peers sharing the rise, or if none does the first few,
    at most `most`; and how many peers are left out (the pack says so)."""
    full = table(found)
    not_peer = full.is_home | full.is_home_unit
    peers = full[~not_peer]
    sharing = peers[peers.rag == RED]
    kept = (sharing if not sharing.empty else peers).head(most)
    return pd.concat([full[not_peer], kept]).reset_index(drop=True), len(peers) - len(kept)


# --- Compare forces: the rating column, and one measure's ratings across the peer group ------------

def street_measure_of_crime_type(crime_type: str) -> str:
    """The street measure of one of the crime type filter's choices ('All crime' -> 'all_crime')."""
    return next(m for m, name, _ in STREET_MEASURES if name == crime_type)


def grid_months(month: dt.date, months: int = 12) -> list[Month]:
    """The `months` months to `month`, oldest first."""
    last = Month.of(month)
    return [Month.of(pd.Timestamp(last) - pd.DateOffset(months=k)) for k in range(months - 1, -1, -1)]


def ratings_by_unit(query: Query, street_id: str, level: str, month: dt.date) -> dict[str, tuple[str, str | None]]:
    """{unit_id: (rag, decided_by)} of every place at `level` rated for `month`: Compare forces' column."""
    rows = query("compare/place_ratings", measure=street_id, level=LEVEL_OF[level], first_month=Month.of(month),
                 last_month=Month.of(month))
    return {r.unit_id: (r.rag, None if is_missing(r.decided_by) else r.decided_by) for r in rows.itertuples()}


def grid(query: Query, peers: Peers, street_id: str, level: str, month: dt.date, months: int = 12) -> pd.DataFrame:
    """One street measure's ratings across the peer group (the home force's places too) over the
    `months` months to `month`: unit_id, place, is_home, month, rag, decided_by, value; a place with
    no rating in those months has one row with no month (NaT), so that it is still listed."""
    wanted = grid_months(month, months)
    units = comparison.peer_rates(query, level, peers, ALL_CRIME, wanted[0], wanted[-1])
    rows = query("compare/place_ratings", measure=street_id, level=LEVEL_OF[level], first_month=wanted[0],
                 last_month=wanted[-1])
    named = units[["unit_id", "unit_name", "is_home"]].rename(columns={"unit_name": "place"})
    found = named.merge(rows, on="unit_id", how="left")
    found["is_home"] = found.is_home.astype(bool)
    return found[["unit_id", "place", "is_home", "month", "rag", "decided_by", "value"]]


@dataclass(frozen=True)
class AreaUnit:
    """The home force's partnership unit that an area is part of (Compare forces' partnerships)."""
    unit_id: str
    unit_name: str
    area_name: str


def area_unit(query: Query, area_id: str | None) -> AreaUnit | None:
    """The partnership unit holding `area_id` (a link's AREA_PARAM); None for no area, or an unknown one."""
    if not area_id:
        return None
    rows = query("compare/area_partnership", area=area_id)
    return None if rows.empty else AreaUnit(*rows.iloc[0][["unit_id", "unit_name", "area_name"]])


def question_ask(found: PeerPattern | None, home_rule_name: str | None) -> str | None:
    """The drafted question's ending by the peers (questions.py), for a red rating decided by a rise
    (not by its target: peers have none), counted over the peers rated that month: none shares it,
    a quarter or fewer do ("Only 1 of the 26 partnerships elsewhere shows the same rise: why here?"),
    every one does, or some in between. None when the rating is not red, or no peer is rated."""
    if found is None or found.share is None or home_rule_name == ASSURANCE:
        return None
    k, rated, level = found.share, found.rated, found.level
    if k == 0:
        return words.ASK_PEERS_NONE[level]
    if k == rated:
        every = words.ASK_PEERS_EVERY[level][rated > 1]
        if rated < len(found.peers):
            every = words.ASK_PEERS_EVERY_RATED.format(every=every)
        return words.ASK_PEERS_ALL[level].format(every=every)
    peers = words.ASK_PEERS_OF[level][rated < len(found.peers)].format(n=rated)
    if 4 * k <= rated:
        return words.ASK_PEERS_FEW.format(k=k, peers=peers, shows=_show(k))
    rest = rated - k
    return words.ASK_PEERS_SOME[level].format(k=k, peers=peers, shows=_show(k), rest=rest,
                                              does="does" if rest == 1 else "do")
