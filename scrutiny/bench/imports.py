"""`python -m scrutiny bench-import PATH...`: how long an import of data.police.uk files takes
against DuckDB reading the same files bare, printed (never asserted: timings depend on the
machine). The target is to the bare load: DuckDB's `read_csv` of every column into a table, with
its own detection; a bare `count(*)` read (which skips parsing most columns) is printed too.
Runs are interleaved, and medians printed, so that a busy machine slows both alike.
"""
from __future__ import annotations

import io
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from scrutiny.load.inputs import find_files
from scrutiny.load.police_uk import import_police_uk
from scrutiny.load.progress import Progress

TARGET_RATIO = 1.5


def _bare(files_by_kind: dict[str, list[str]], sql: str) -> float:
    started = time.perf_counter()
    with duckdb.connect() as con:
        for files in files_by_kind.values():
            con.execute(sql, {"files": files}).fetchall()
    return time.perf_counter() - started


def run_import_benchmark(paths: list[Path], runs: int, out=print) -> dict:
    candidates, _ = find_files(paths)
    by_kind: dict[str, list[str]] = {}
    for path in candidates:
        by_kind.setdefault("outcomes" if "outcomes" in path.name else "street", []).append(str(path))
    count_sql = "select count(*) from read_csv($files, header = true)"
    load_sql = "create or replace table bare as select * from read_csv($files, header = true)"
    _bare(by_kind, count_sql)  # warm the file cache, so the first measured run is not penalised
    bare, load, imports, steps, rows = [], [], [], [], 0
    for _ in range(runs):
        bare.append(_bare(by_kind, count_sql))
        load.append(_bare(by_kind, load_sql))
        with tempfile.TemporaryDirectory(prefix="scrutiny-bench-") as folder:
            started = time.perf_counter()
            report = import_police_uk(paths, Path(folder) / "bench.duckdb",
                                      progress=Progress(len(candidates), stream=io.StringIO(), draw=False))
            imports.append(time.perf_counter() - started)
        steps.append(report.seconds)
        rows = sum(f.records for f in report.forces.values())
    result = {
        "files": len(candidates), "rows": rows, "bare_read_s": statistics.median(bare),
        "bare_load_s": statistics.median(load), "import_s": statistics.median(imports),
        "steps_s": {k: statistics.median(s[k] for s in steps) for k in steps[0]},
    }
    result["ratio"] = result["import_s"] / result["bare_load_s"]
    result["read_ratio"] = result["steps_s"]["read and check"] / result["bare_read_s"]
    out(f"{result['files']} files, {rows:,} records, median of {runs} runs")
    out(f"  bare DuckDB read_csv, count(*):      {result['bare_read_s']:.2f} s")
    out(f"  bare DuckDB read_csv into a table:   {result['bare_load_s']:.2f} s")
    out(f"  import (new database, with ratings): {result['import_s']:.2f} s, "
        f"{rows / result['import_s']:,.0f} records/s")
    out("    " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result["steps_s"].items()))
    out(f"  ratio import / bare load: {result['ratio']:.2f} (target: at most {TARGET_RATIO})")
    # The read and check grows with the records; writing areas and rating the home force's
    # series take about the same time for a month of one force or years of all of them.
    out(f"  ratio read and check / bare read: {result['read_ratio']:.2f}")
    return result
