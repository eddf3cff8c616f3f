"""`python -m scrutiny bench --scale national|tenth|small`: the whole pipeline at the size of
England and Wales (a script: it takes minutes and prints figures; nothing is asserted).

1. Generate the synthetic archive (scrutiny/bench/national_data.py), or reuse it from --data.
2. Import it with the real importer into a new database; time it against a bare DuckDB load of
   every column of the same files into a table (the ratio's target: at most 1.5).
   --import-only stops here.
3. Database size; every query file's median and p95 at that size.
4. Every page's server-side run time and the app's peak memory, from a real `streamlit run` on
   the database (scripts/load_test.py --page-timings, in its own process: this package never
   imports Streamlit).
"""
from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from scrutiny.bench.demo_queries import percentile, time_queries
from scrutiny.load.police_uk import import_police_uk
from scrutiny.load.progress import Progress
from scrutiny.bench.national_data import SCALES, generate
from scrutiny.core.errors import UserError
from scrutiny.core.paths import REPO_ROOT
from scrutiny.rate.place_ratings import compute_place_ratings

HOME_FORCE = "leicestershire"
TARGETS = {"query_p95_ms": 100, "page_s": 1.0, "import_ratio": 1.5, "peak_memory_bytes": 1024 ** 3,
           "place_ratings_s": 10}


def _check_archive_folder(data: Path) -> None:
    """One line for a --data that cannot hold the archive. Generating replaces the folder's
    contents, so a folder this command did not make (no GENERATED.json) must be empty."""
    if data.exists() and not data.is_dir():
        raise UserError(f"{data}: not a folder (--data names the folder for the generated archive)")
    if data.is_dir() and not (data / "GENERATED.json").is_file() and any(data.iterdir()):
        raise UserError(f"{data}: this folder has files of its own and generating the archive would "
                        "delete them: name a new or empty folder")
    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"{data}: cannot make the folder for the generated archive ({error.strerror})") from None


def _generated(marker: Path) -> dict:
    try:
        return json.loads(marker.read_text())
    except (OSError, ValueError):  # none, or unreadable: generate again
        return {}


def _archive(data: Path, scale: float, months: int, out) -> dict:
    _check_archive_folder(data)
    marker = data / "GENERATED.json"
    wanted = {"scale": scale, "months": months}
    info = _generated(marker)
    if info and {k: info.get(k) for k in wanted} == wanted:
        out(f"reusing the archive in {data}: {info['rows']:,} records in {info['files']:,} files")
        return info
    out(f"generating {months} months for 43 forces at scale {scale} in {data} ...")
    info = {**generate(data, scale=scale, months=months, out_print=out), **wanted}
    marker.write_text(json.dumps(info))
    out(f"generated {info['rows']:,} records, {info['bytes'] / 1e9:.1f} GB in {info['files']:,} files "
        f"in {info['seconds']:.0f} s")
    return info


def _cpu_seconds() -> float:
    """This process's processor time, DuckDB's threads included: on a machine shared with other
    work, wall-clock seconds measure the neighbours too, processor seconds only this work."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _bare_load(data: Path, folder: Path) -> tuple[float, float]:
    """DuckDB loading the same files bare: every column into a table, with its own type detection
    (in a database file, as the import's, so that it can spill to disk); wall and processor
    seconds. The import's ratio is to this. A count(*) first, untimed, so that both the bare load
    and the import find the files in the operating system's cache as far as it holds them."""
    files = {"files": str(data / "*" / "*-street.csv")}
    with duckdb.connect() as con:
        con.execute("select count(*) from read_csv($files, header = true)", files).fetchall()
    started, cpu = time.perf_counter(), _cpu_seconds()
    with duckdb.connect(str(folder / "bare.duckdb")) as con:
        con.execute("create table bare as select * from read_csv($files, header = true)", files)
    loaded, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    (folder / "bare.duckdb").unlink()
    return loaded, cpu


def _import(data: Path, info: dict, folder: Path, out) -> dict:
    """The real importer into a new database, timed beside a bare load of the same files."""
    db = folder / "national.duckdb"
    bare_load, bare_cpu = _bare_load(data, folder)
    started, cpu = time.perf_counter(), _cpu_seconds()
    report = import_police_uk([data], db, home=HOME_FORCE,
                              progress=Progress(info["files"], stream=sys.stderr, draw=sys.stderr.isatty()))
    imported, import_cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    result = {"import_s": imported, "bare_load_s": bare_load, "import_ratio": imported / bare_load,
              "import_cpu_s": import_cpu, "bare_load_cpu_s": bare_cpu, "import_cpu_ratio": import_cpu / bare_cpu,
              "import_steps_s": dict(report.seconds), "db_bytes": db.stat().st_size}
    flag = "" if result["import_ratio"] <= TARGETS["import_ratio"] else "  MISSED"
    out(f"import: {imported:.1f} s for {info['rows']:,} records ({info['rows'] / imported:,.0f} records/s); "
        f"processor {import_cpu:.1f} s")
    out("  import steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items()))
    out(f"bare load: {bare_load:.1f} s (DuckDB read_csv of every column into a table); processor {bare_cpu:.1f} s")
    out(f"import / bare load: {result['import_ratio']:.2f} (target: at most {TARGETS['import_ratio']}){flag}; "
        f"in processor seconds {result['import_cpu_ratio']:.2f}")
    out(f"database on disk: {result['db_bytes'] / 1e6:,.0f} MB")
    return result


def _time_place_ratings(db: Path, result: dict, out) -> None:
    """The set-wise rating of every force and partnership (the import stored them; they are
    computed again here, on their own, to time them): how many and how long."""
    with duckdb.connect(str(db), read_only=True) as con:
        started = time.perf_counter()
        ratings = compute_place_ratings(con)
        result["place_ratings_s"] = time.perf_counter() - started
        (stored,) = con.execute("select count(*) from place_ratings").fetchone()
    result["place_ratings"] = len(ratings)
    out(f"ratings of every force and partnership: {len(ratings):,} ({stored:,} stored) in "
        f"{result['place_ratings_s']:.1f} s, set-wise (target: under {TARGETS['place_ratings_s']:.0f} s)")


def run_national_benchmark(scale_name: str, data: Path | None, months: int = 120, runs: int = 30,
                           out=print, import_only: bool = False) -> dict:
    scale = SCALES[scale_name]
    data = data or Path(tempfile.gettempdir()) / f"scrutiny-national-{scale_name}"
    info = _archive(data, scale, months, out)
    result: dict = {"rows": info["rows"]}
    with tempfile.TemporaryDirectory(prefix="scrutiny-national-db-") as folder:
        result |= _import(data, info, Path(folder), out)
        db = Path(folder) / "national.duckdb"
        _time_place_ratings(db, result, out)
        if import_only:
            return result

        timings = time_queries(db, runs)
        result["queries"] = {n: (statistics.median(s), percentile(s, 0.95)) for n, s in timings.items()}
        width = max(map(len, timings))
        out(f"queries, {runs} runs each (target: p95 under {TARGETS['query_p95_ms']} ms):")
        for name, (median, p95) in result["queries"].items():
            flag = "" if p95 < TARGETS["query_p95_ms"] else "  MISSED"
            out(f"  {name:<{width}}  median {median:8.2f} ms  p95 {p95:8.2f} ms{flag}")

        pages = subprocess.run(
            [sys.executable, str(REPO_ROOT / "scripts" / "load_test.py"), "--page-timings", str(db)],
            capture_output=True, text=True, check=True, cwd=REPO_ROOT)
        served = json.loads(pages.stdout.strip().splitlines()[-1])
        result["pages"] = {p: max(v) for p, v in served["pages"].items()}
        result["peak_memory_bytes"] = served["peak_memory_bytes"]
        out(f"pages, server-side run time, slowest of 5 views (target: under {TARGETS['page_s']:.0f} s):")
        for page, seconds in result["pages"].items():
            out(f"  {page:<12} {seconds:6.2f} s{'' if seconds < TARGETS['page_s'] else '  MISSED'}")
        out(f"app peak memory: {served['peak_memory_bytes'] / 2 ** 20:,.0f} MiB "
            f"(target: under {TARGETS['peak_memory_bytes'] / 2 ** 30:.0f} GiB)")
    return result
