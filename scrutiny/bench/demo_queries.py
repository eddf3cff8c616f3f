"""Benchmark figures (printed, never asserted): demo build time and each query's latency."""
from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from scrutiny.store import db as database, queries
from scrutiny.demo.build import build_demo
from scrutiny.core.paths import DEMO_DIR

# Parameters chosen to be typical of a page view on the demo data.
BENCH_PARAMETERS = {"month": dt.date(2024, 1, 1), "crime_type": "All crime", "area": "city-centre", "area_id": "city-centre",
                    "measure": "all_crime", "since": dt.date(2023, 11, 1), "level": "csp",
                    "first_month": dt.date(2023, 2, 1), "last_month": dt.date(2024, 1, 1)}


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_build(target: Path, repeats: int) -> list[float]:
    timings = []
    for _ in range(repeats):
        target.unlink(missing_ok=True)
        started = time.perf_counter()
        build_demo(target, DEMO_DIR)
        timings.append(time.perf_counter() - started)
    return timings


def time_queries(db: Path, runs: int) -> dict[str, list[float]]:
    results = {}
    with database.open_read_only(db) as con:
        for name in queries.query_names():
            params = {p: BENCH_PARAMETERS[p] for p in queries.parameters_of(name)}
            queries.run(con, name, **params)  # warm up: the first run reads from disk
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                queries.run(con, name, **params)
                samples.append((time.perf_counter() - started) * 1000)
            results[name] = samples
    return results


def run_benchmark(runs: int = 100, build_repeats: int = 5, db: Path | None = None, out=print) -> None:
    if db is not None:
        database.check_database(db)  # one line for a bad --db, before minutes of demo builds
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "bench.duckdb"
        builds = time_build(target, build_repeats)
        out(f"demo build: median {statistics.median(builds):.2f} s, slowest {max(builds):.2f} s "
            f"over {build_repeats} builds (target: under 5 s)")
        timings = time_queries(db or target, runs)
    out(f"queries on {'the demo data' if db is None else db}, {runs} runs each (target: p95 under 50 ms):")
    width = max(len(n) for n in timings)
    out(f"  {'query':<{width}}  median ms  p95 ms")
    for name, samples in timings.items():
        out(f"  {name:<{width}}  {statistics.median(samples):9.2f}  {percentile(samples, 0.95):6.2f}")
