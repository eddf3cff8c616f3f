"""Synthetic peer forces for the demo, so that the Compare forces page has forces to compare.

These are NOT real forces and NOT real figures. data/demo/peer_forces.csv lists five invented
forces ("Peer force A (synthetic)" ...), each made of Community Safety Partnerships (CSPs) with
Census-like populations and a hand-chosen rate factor: the CSP's crime rate per resident relative
to the home force's expected rate. For each CSP, crime type and month the expected count is

    population x factor x (home force's expected count for that type and month / home population)

so the peers share the home force's crime mix and seasons, and each count is a Poisson draw from
a generator seeded by the CSP and crime type (the build stays deterministic, and adding a CSP
leaves the others unchanged). The factors are chosen so that most forces sit close to the home
force, one is clearly higher and one clearly lower, and the CSPs vary as much as real ones do
(one busy city-centre partnership, one large town per force, rural districts below the average).
Every name carries "(synthetic)" and forces.is_demo_peer is true, so the pages can say so.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from scrutiny.core.crime_types import CRIME_TYPES
from scrutiny.store import queries

PEER_FILE = "peer_forces.csv"
PEER_SEED = 20240202  # the demo's own seed + 1: peers never share a generator with the home force
POPULATION_SOURCE = "Synthetic, Census-like (demo peer force, not a real area)"
SYNTHETIC = "(synthetic)"


def read_peers(demo_dir: Path) -> list[dict]:
    with (demo_dir / PEER_FILE).open(newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if SYNTHETIC not in row["force_name"] or SYNTHETIC not in row["area_name"]:
            raise ValueError(f"{PEER_FILE}: {row['area_id']} must be labelled {SYNTHETIC} in its names")
    return rows


def simulate_peer_counts(peers: list[dict], months: list[dt.date],
                         rate_per_resident: dict[tuple[str, dt.date], float]) -> pd.DataFrame:
    """Monthly counts for every peer CSP and crime type: Poisson draws around the home force's
    expected rate per resident, scaled by the CSP's population and rate factor."""
    frames = []
    for c, peer in enumerate(peers):
        population, factor = int(peer["population"]), float(peer["rate_factor"])
        for t, crime_type in enumerate(CRIME_TYPES):
            expected = np.array([population * factor * rate_per_resident[crime_type, m] for m in months])
            rng = np.random.Generator(np.random.PCG64([PEER_SEED, c, t]))
            frames.append(pd.DataFrame({"area_id": peer["area_id"], "crime_type": crime_type,
                                        "month": months, "crime_count": rng.poisson(expected)}))
    return pd.concat(frames, ignore_index=True)


def write_peers(con: duckdb.DuckDBPyConnection, demo_dir: Path, months: list[dt.date],
                rate_per_resident: dict[tuple[str, dt.date], float]) -> None:
    """Insert the peer forces, their force and CSP areas and their monthly counts. Call before
    02_rollups.sql, so that area_month_totals has their totals too."""
    peers = read_peers(demo_dir)
    forces = list(dict.fromkeys((p["force_id"], p["force_name"]) for p in peers))
    con.executemany("insert into forces values (?, ?, false, true)", forces)
    for force_id, force_name in forces:
        csps = [p for p in peers if p["force_id"] == force_id]
        con.execute("insert into areas values (?, ?, 'force', null, ?, ?, ?, 0, 2021)",
                    [force_id, force_name, force_id, sum(int(p["population"]) for p in csps), POPULATION_SOURCE])
        con.executemany("insert into areas values (?, ?, 'csp', ?, ?, ?, ?, ?, 2021)",
                        [(p["area_id"], p["area_name"], force_id, force_id, int(p["population"]),
                          POPULATION_SOURCE, i) for i, p in enumerate(csps, start=1)])
    counts = simulate_peer_counts(peers, months, rate_per_resident)
    con.register("peer_counts", counts)
    queries.write(con, "demo/peer_counts")
    con.unregister("peer_counts")
    con.execute(
        "insert into provenance values (?, ?, ?, ?, ?, ?, null)",
        ["demo", f"Synthetic peer forces for comparison ({len(forces)} invented forces, {len(peers)} "
         "partnership areas), labelled (synthetic): not real forces, not official statistics.",
         len(counts), months[0], months[-1], hashlib.sha256((demo_dir / PEER_FILE).read_bytes()).hexdigest()],
    )
