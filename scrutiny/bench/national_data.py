"""A deterministic, synthetic data.police.uk street archive for every force in England and Wales,
for the national-scale benchmark (`python -m scrutiny bench --scale national`).

Written in the monthly archive layout (`YYYY-MM/YYYY-MM-<force>-street.csv`, the 12 standard
columns) so that it goes through the same importer as real files. Volumes follow population:
data.police.uk publishes about 6 million street-level records a year across the 43 forces, so at
scale 1.0 ten years is about 60 million rows. Every value comes from DuckDB's hash of the row's
position with a fixed seed, so the same scale and months give the same files.
"""
from __future__ import annotations

import csv
import datetime as dt
import shutil
import time
from pathlib import Path

import duckdb

from scrutiny.core.months import add_months, month_key
from scrutiny.core.paths import REPO_ROOT

DISTRICTS = REPO_ROOT / "data" / "areas" / "districts.csv"
RECORDS_PER_PERSON_YEAR = 6_000_000 / 59_597_114  # published records a year / residents of E&W
PEOPLE_PER_LSOA = 1_700
LAST_MONTH = dt.date(2024, 1, 1)
SEED = 43
# Crime mix and outcomes close to the real Leicestershire files (shares of all records).
CRIME_MIX = [
    ("Violence and sexual offences", 0.357), ("Anti-social behaviour", 0.150), ("Public order", 0.100),
    ("Criminal damage and arson", 0.085), ("Other theft", 0.070), ("Vehicle crime", 0.058),
    ("Shoplifting", 0.045), ("Burglary", 0.043), ("Drugs", 0.028), ("Other crime", 0.021),
    ("Bicycle theft", 0.014), ("Possession of weapons", 0.010), ("Robbery", 0.008),
    ("Theft from the person", 0.011),
]
OUTCOMES = [
    ("Investigation complete; no suspect identified", 0.40), ("Unable to prosecute suspect", 0.30),
    ("Under investigation", 0.10), ("Awaiting court outcome", 0.05), ("Local resolution", 0.05),
    ("Offender given a caution", 0.03), ("Court result unavailable", 0.03),
    ("Status update unavailable", 0.02), ("Offender sent to prison", 0.02),
]
NO_LOCATION_SHARE = 0.02  # records published without a location (counted apart by the importer)
SCALES = {"national": 1.0, "tenth": 0.1, "small": 0.01}


def force_name(force_id: str) -> str:
    """'devon-and-cornwall' -> 'Devon and Cornwall Police', as "Falls within" names a force."""
    if force_id == "metropolitan":
        return "Metropolitan Police Service"
    return " ".join(w if w in ("and", "of") else w.capitalize() for w in force_id.split("-")) + " Police"


def _choice_sql(hash_expr: str, options: list[tuple[str, float]]) -> str:
    """A CASE picking an option by cumulative share from a uniform value in [0, 1)."""
    total = sum(share for _, share in options)
    cases, running = [], 0.0
    for name, share in options[:-1]:
        running += share / total
        cases.append(f"when {hash_expr} < {running:.6f} then '{name}'")
    return f"case {' '.join(cases)} else '{options[-1][0]}' end"


def generate(out: Path, scale: float = 1.0, months: int = 120, out_print=print) -> dict:
    """Write the archive to `out` (replacing it); return counts and timings."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    # An empty marker first: a generation cut short leaves a folder that is still known to be ours
    # (bench refuses to empty a folder without one); the caller writes the full marker at the end.
    (out / "GENERATED.json").write_text("{}")
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = false")
    with DISTRICTS.open(newline="") as f:
        districts = list(csv.DictReader(f))
    con.execute("""create table districts (district_code varchar, lsoa_prefix varchar, force_id varchar,
                   force_name varchar, population integer)""")
    con.executemany("insert into districts values (?, ?, ?, ?, ?)",
                    [(d["district_code"], d["lsoa_prefix"], d["force_id"], force_name(d["force_id"]),
                      int(d["population"])) for d in districts])
    # Small areas: one per PEOPLE_PER_LSOA residents, named as data.police.uk names them.
    con.execute(f"""
        create table lsoas as
        select force_id, force_name, district_code,
               case when district_code like 'W%' then 'W01' else 'E01' end
                   || lpad((row_number() over (order by district_code, n))::varchar, 6, '0') as lsoa_code,
               lsoa_prefix || ' ' || lpad((n // 4 + 1)::varchar, 3, '0') || chr(65 + (n % 4)::integer) as lsoa_name,
               population / greatest(1, population // {PEOPLE_PER_LSOA}) as residents
        from districts, range(greatest(1, population // {PEOPLE_PER_LSOA})) as t(n)
    """)
    first = add_months(LAST_MONTH, -(months - 1))
    month_list = [add_months(first, i) for i in range(months)]
    per_resident_month = RECORDS_PER_PERSON_YEAR / 12 * scale
    uniform = "(hash({seed}, lsoa_code, month_no, k) % 1000000) / 1000000.0"
    for i, month in enumerate(month_list):
        key = month_key(month)
        folder = out / key
        folder.mkdir()
        u = uniform.format(seed=SEED)
        con.execute(f"""
            copy (
                with counts as (
                    select force_id, force_name, lsoa_code, lsoa_name,
                           -- about the expected count, varying by area and month; rounded at
                           -- random so that small scales still produce records
                           floor(residents * {per_resident_month} * (0.7 + 0.6 * (hash({SEED}, lsoa_code, {i}) % 1000) / 1000.0)
                                 + (hash({SEED}, lsoa_code, {i}, 'round') % 1000) / 1000.0)::integer as n
                    from lsoas
                ),
                records as (
                    select c.*, {i} as month_no, k from counts c, range(c.n) as t(k)
                ),
                shaped as (
                    select force_id, force_name, lsoa_code, lsoa_name,
                           {_choice_sql(u.replace('k)', 'k, 1)'), CRIME_MIX)} as crime_type,
                           {_choice_sql(u.replace('k)', 'k, 2)'), OUTCOMES)} as outcome,
                           {u.replace('k)', 'k, 3)')} < {NO_LOCATION_SHARE} as no_location,
                           md5(concat_ws('/', {SEED}, lsoa_code, month_no, k)) || md5(concat_ws('|', lsoa_code, month_no, k)) as crime_id,
                           k
                    from records
                )
                select case when crime_type = 'Anti-social behaviour' then null else left(crime_id, 64) end as "Crime ID",
                       '{key}' as "Month", force_name as "Reported by", force_name as "Falls within",
                       case when no_location then null else round(-3.0 + (hash(crime_id) % 300000) / 100000.0, 6) end as "Longitude",
                       case when no_location then null else round(50.5 + (hash(crime_id, 1) % 400000) / 100000.0, 6) end as "Latitude",
                       case when no_location then 'No location' else 'On or near Synthetic Street' end as "Location",
                       case when no_location then null else lsoa_code end as "LSOA code",
                       case when no_location then null else lsoa_name end as "LSOA name",
                       crime_type as "Crime type",
                       case when crime_type = 'Anti-social behaviour' then null else outcome end as "Last outcome category",
                       null as "Context",
                       force_id
                from shaped
            ) to '{folder}' (format csv, header true, partition_by (force_id), overwrite_or_ignore true)
        """)
        for part in folder.glob("force_id=*"):
            force = part.name.split("=", 1)[1]
            (data_file,) = list(part.glob("*.csv"))
            data_file.rename(folder / f"{key}-{force}-street.csv")
            part.rmdir()
        if out_print and (i + 1) % 12 == 0:
            out_print(f"  generated {i + 1}/{months} months ({time.perf_counter() - started:.0f} s)")
    total_rows = con.execute(
        f"select count(*) from read_csv('{out}/*/*.csv', header = true, all_varchar = true)").fetchone()[0]
    size = sum(p.stat().st_size for p in out.rglob("*.csv"))
    return {"rows": total_rows, "files": len(list(out.rglob("*.csv"))), "bytes": size,
            "seconds": time.perf_counter() - started, "first_month": month_key(first), "last_month": month_key(LAST_MONTH)}
