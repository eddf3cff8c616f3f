"""`import police-uk|home-office|returns|areas|boundaries|population`: load real data safely; `bench-import`: time it;
`derive-areas`: re-derive data/areas/ lookups (developers).

Every import validates all its input before writing, writes a copy of the database and renames
it into place, so readers keep the old one until the new one is complete and a refused file
changes nothing. A bad file gives one line, `error: FILE line N: problem`, and exit code 2.
Only regular files are read, and no more than each kind's limit (core/bounds.py; `--max-mb`).
"""
from __future__ import annotations

from pathlib import Path

from scrutiny.core import bounds
from scrutiny.core.errors import UserError
from scrutiny.core.months import missing_summary, month_label
from scrutiny.core.paths import AREAS_DIR, database_path
from scrutiny.commands.options import DB_HELP, add_file_import, add_max_mb_option, add_wait_option

LEVELS = ("district", "lsoa", "force", "area")
REASONS = ("no location", "outside the force", "unknown district", "no area rule")


def register(subparsers) -> None:
    parser = subparsers.add_parser("import", help="import real data: police-uk, home-office, returns, areas, boundaries or population")
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")

    police = kinds.add_parser("police-uk", help="data.police.uk street (and outcomes) files, folders or archives")
    police.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="CSV, CSV.gz or a folder of them")
    police.add_argument("--db", help=DB_HELP)
    add_wait_option(police)
    police.add_argument("--areas", type=Path, metavar="FILE",
                        help="area mapping (level,code,area_id,area_name) for one of the forces imported")
    police.add_argument("--home", metavar="FORCE", help="the force whose panel uses the dashboard, e.g. leicestershire")
    police.add_argument("--plan", type=Path, metavar="FILE",
                        help="the Police and Crime Plan file for a new database (format: see the README); "
                             "without one, only the crime measures the street files give are rated")
    police.set_defaults(func=run_police_uk)

    add_file_import(kinds, "home-office", "Home Office recorded crime by CSP (CSV, XLSX or ODS)",
                    bounds.HOME_OFFICE, run_home_office)
    add_file_import(kinds, "returns", "the office's own figures: CSV measure,area,period,value[,denominator]",
                    bounds.RETURNS, run_returns)
    add_file_import(kinds, "areas", "re-map a force's areas from an area mapping file, without re-importing",
                    bounds.AREA_MAPPING, run_areas)

    boundaries = kinds.add_parser("boundaries", help="district, LSOA, force or area shapes (GeoJSON, TopoJSON, "
                                  "newline-delimited GeoJSON or a CSV of centroids; gzip or not)")
    boundaries.add_argument("paths", nargs="+", type=Path, metavar="FILE")
    boundaries.add_argument("--level", choices=LEVELS,
                            help="what the shapes are (default: from their codes; 'area' must be given)")
    boundaries.add_argument("--code-property", metavar="NAME",
                            help="the property holding each shape's code (default: LAD22CD, LSOA11CD, areacd ...)")
    boundaries.add_argument("--db", help=DB_HELP)
    add_wait_option(boundaries)
    add_max_mb_option(boundaries, bounds.BOUNDARIES)
    boundaries.set_defaults(func=run_boundaries)

    population = kinds.add_parser("population", help="Census populations of LSOAs, districts or force areas (CSV)")
    population.add_argument("file", type=Path)
    population.add_argument("--year", type=int, help="the year the figures count (default: from the file's name)")
    population.add_argument("--db", help=DB_HELP)
    add_wait_option(population)
    add_max_mb_option(population, bounds.POPULATION)
    population.set_defaults(func=run_population)

    bench = subparsers.add_parser("bench-import", help="time importing data.police.uk files against a bare read_csv")
    bench.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    bench.add_argument("--runs", type=int, default=3, help="runs of each (default 3; the median is printed)")
    bench.set_defaults(func=run_bench)

    derive = subparsers.add_parser("derive-areas", help="re-derive data/areas/ lookups from ONS files (developers)")
    derive.add_argument("--real", required=True, type=Path, help="folder of real files (shared/data/real)")
    derive.add_argument("--out", type=Path, default=AREAS_DIR)
    derive.set_defaults(func=run_derive)


def run_police_uk(args) -> int:
    from scrutiny.load.police_uk import import_police_uk

    report = import_police_uk(args.paths, database_path(args.db), areas=args.areas, home=args.home,
                              plan=args.plan)
    for force in report.forces.values():
        months = sorted(force.months)
        files = f"{force.street_files} street files" + (f", {force.outcomes_files} outcomes files" if force.outcomes_files else "")
        # a download can skip whole months: name them, or "December 2019 to April 2024" reads as complete
        missing = missing_summary(months)
        print(f"{force.force_name}: {files}, {month_label(months[0])} to {month_label(months[-1])}, "
              + (f"{missing}; " if missing else "") + f"{force.records:,} records imported.")
        remapped = force.remapped
        unplaced = [f"{remapped.unplaced[r]:,} {r}" for r in REASONS if remapped.unplaced.get(r)]
        print(f"  {remapped.areas} areas; all months of the force: {remapped.placed:,} records placed in areas"
              + (f"; not placed: {', '.join(unplaced)}" if unplaced else "") + ".")
        if force.charge_months:
            print(f"  Charge or summons rate for {force.charge_months} months.")
        if remapped.dropped_measure_values:
            print(f"  {remapped.dropped_measure_values:,} figures of areas the mapping no longer has were removed.")
        if force.replaced_synthetic:
            print("  The demonstration figures of this force were replaced by the imported ones.")
    if report.skipped:
        print(f"Skipped {len(report.skipped)} files that are not street or outcomes files "
              f"(for example {report.skipped[0]}).")
    print(f"Ratings recomputed: {report.ratings:,}.")
    return 0


def run_home_office(args) -> int:
    from scrutiny.load.home_office import import_home_office

    result = import_home_office(args.file, database_path(args.db), bounds.HOME_OFFICE.raised_to(args.max_mb))
    print(f"{args.file}: {result.rows:,} rows, {result.groups:,} counts by CSP, quarter and offence group, "
          f"{result.first_quarter} to {result.last_quarter}.")
    return 0


def run_returns(args) -> int:
    from scrutiny.load.returns import import_returns

    result = import_returns(args.file, database_path(args.db), bounds.RETURNS.raised_to(args.max_mb))
    print(f"{args.file}: {result.rows:,} figures for {', '.join(result.measures)}, "
          f"{month_label(result.first_month)} to {month_label(result.last_month)}.")
    return 0


def run_areas(args) -> int:
    from scrutiny.load.police_uk import import_areas

    remapped = import_areas(args.file, database_path(args.db), bounds.AREA_MAPPING.raised_to(args.max_mb))
    unplaced = ", ".join(f"{n:,} {r}" for r, n in remapped.unplaced.items())
    print(f"{args.file}: {remapped.areas} areas, {remapped.placed:,} records placed"
          + (f"; not placed: {unplaced}" if unplaced else "") + ".")
    return 0


def run_boundaries(args) -> int:
    from scrutiny.geography.boundaries import import_boundaries

    report = import_boundaries(args.paths, database_path(args.db), level=args.level, code_property=args.code_property,
                               limit=bounds.BOUNDARIES.raised_to(args.max_mb))
    lines = []
    for file in report.files:
        what = {"district": "district", "lsoa": "LSOA", "force": "force", "area": "area"}[file.level]
        kind = "centroids" if file.shapes and all(s.geometry.geom_type == "Point" for s in file.shapes) else "boundaries"
        skipped = [f"{n:,} {reason} skipped" for reason, n in file.skipped.items()]
        if file.older_vintages:
            skipped.append(f"{file.older_vintages:,} older vintages of the same codes left out")
        lines.append(f"{file.path}: {len(file.shapes):,} {what} {kind} imported"
                     + (f" ({'; '.join(skipped)})" if skipped else "")
                     + (f", {file.vertices:,} vertices after simplifying" if kind == "boundaries" else "")
                     + f" ({file.geometry_bytes:,} bytes of GeoJSON)")
    lines[-1] += f"; {report.outlines.summary()}."
    print("\n".join(lines))
    return 0


def run_population(args) -> int:
    from scrutiny.geography.population import import_population

    result = import_population(args.file, database_path(args.db), year=args.year,
                               limit=bounds.POPULATION.raised_to(args.max_mb))
    what = {"lsoa": "LSOA", "district": "district", "force": "police force area"}[result.level]
    census = f"Census {result.year}" if result.year == 2021 else str(result.year)
    print(f"{args.file}: {result.codes:,} {what} population{'' if result.codes == 1 else 's'} ({census}), "
          f"{result.people:,} people; "
          + population_changes(result)
          + (f"; {result.not_used()}" if result.lsoas_not_used else "") + ".")
    return 0


def population_changes(result) -> str:
    """What `import population` did to the areas, in words whose counts add up: updated =
    changed + only a new source; nothing updated says so."""
    if not result.areas_updated:
        return "no area's population changed"
    parts = [f"{result.areas_changed} changed"]
    if result.areas_relabelled:
        parts.append(f"{result.areas_relabelled} with only a new source")
    areas = "1 area's population" if result.areas_updated == 1 else f"{result.areas_updated} areas' populations"
    return f"{areas} updated ({', '.join(parts)})"


def run_bench(args) -> int:
    from scrutiny.bench.imports import run_import_benchmark

    if args.runs < 1:
        raise UserError("--runs must be at least 1")
    run_import_benchmark(args.paths, args.runs)
    return 0


def run_derive(args) -> int:
    from scrutiny.geography.area_lookups import derive

    if not args.real.is_dir():
        raise UserError(f"{args.real}: not a folder of real data files")
    derive(args.real, args.out)
    print(f"Wrote area lookups to {args.out}")
    return 0
