"""The big import (issue 15): a year of police.uk street-level files for all 43 forces, in
their real format, imported from disk as a stream, at two sizes so that growth shows.

The files are generated: 43 forces x 12 months, one ``YYYY-MM/YYYY-MM-<force>-street.csv``
each, with police.uk's twelve columns (Crime ID, Month, Reported by, Falls within, Longitude,
Latitude, Location, LSOA code, LSOA name, Crime type, Last outcome category, Context), its
crime types in roughly their national shares, anti-social behaviour without a crime ID or an
outcome, as police.uk publishes it. The same seed gives the same files every run.

- **Import**: ``crime_counts_import`` of every file (read, check each row, count, compare with
  what is held, write), in a process of its own so that its peak resident memory is its own.
- **Baseline, same run**: the same rows loaded into a plain table of twelve text columns: on
  PostgreSQL with ``COPY … FROM STDIN`` fed the files as they are; on SQLite, which has no
  COPY, the files read with the csv module and inserted with ``executemany``.
- **Budgets**: the import within 3x its baseline, and under 300 MiB of peak memory, at every
  size.

    python -m bench.bench_big_import [--big-import-rows 600000,6000000]
    python -m bench                      # with every other benchmark (make bench)
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import environment, memory
from bench.timing import Figure, alternate, print_figure

DEFAULT_SIZES = (600_000, 6_000_000)
YEAR = 2023
MEMORY_BUDGET_MIB = 300
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
# Rough national shares of police.uk's crime types (per 1,000 rows) and a typical outcome.
CRIME_TYPES = [
    ("Violence and sexual offences", 330, "Unable to prosecute suspect"),
    ("Anti-social behaviour", 180, ""),
    ("Public order", 80, "Investigation complete; no suspect identified"),
    ("Criminal damage and arson", 80, "Investigation complete; no suspect identified"),
    ("Other theft", 70, "Investigation complete; no suspect identified"),
    ("Shoplifting", 60, "Offender given a caution"),
    ("Vehicle crime", 50, "Investigation complete; no suspect identified"),
    ("Burglary", 40, "Investigation complete; no suspect identified"),
    ("Drugs", 25, "Local resolution"),
    ("Other crime", 20, "Under investigation"),
    ("Robbery", 12, "Under investigation"),
    ("Theft from the person", 12, "Investigation complete; no suspect identified"),
    ("Possession of weapons", 11, "Awaiting court outcome"),
    ("Bicycle theft", 30, "Investigation complete; no suspect identified"),
]
STREETS = ["Church Street", "High Street", "Station Road", "Park Lane", "Mill Lane", "Sports"]


@dataclass(frozen=True)
class Force:
    police_uk_id: str
    label: str  # as police.uk writes it in "Reported by" and "Falls within"
    latitude: float
    longitude: float


def _forces() -> list[Force]:
    from performance.importers.reference import DATA_DIR, FORCES_FILE

    with (DATA_DIR / FORCES_FILE).open(encoding="utf-8") as file:
        return [
            Force(
                row["police_uk_force_id"],
                row["police_uk_force_label_2012"],
                float(row["centroid_lat"]),
                float(row["centroid_long"]),
            )
            for row in csv.DictReader(file)
        ]


def _places(force: Force, index: int, count: int = 997) -> list[str]:
    """The Longitude … LSOA name cells of ``count`` places in the ``index``th force's area."""
    places = []
    for n in range(count):
        longitude = force.longitude + ((n * 7919) % 2001 - 1000) / 4000
        latitude = force.latitude + ((n * 104729) % 2001 - 1000) / 6000
        lsoa = f"E0{1000000 + index * 3000 + n % 3000:07d}"
        name = f"{force.label.split()[0]} {n % 250:03d}{'ABCDE'[n % 5]}"
        places.append(
            f"{longitude:.6f},{latitude:.6f},On or near {STREETS[n % len(STREETS)]},{lsoa},{name}"
        )
    return places


def _types() -> list[tuple[str, str]]:
    """1,000 (crime type, outcome) pairs in the shares above, in a fixed shuffled order."""
    pairs = [(name, outcome) for name, share, outcome in CRIME_TYPES for _ in range(share)]
    return [pairs[(n * 389) % len(pairs)] for n in range(len(pairs))]


def generate(directory: Path, rows: int) -> list[Path]:
    """43 forces x 12 months of street-level files holding ``rows`` rows in all."""
    forces = _forces()
    types = _types()
    paths = []
    files = len(forces) * 12
    for index, force in enumerate(forces):
        places = _places(force, index)
        for month in range(1, 13):
            key = f"{YEAR}-{month:02d}"
            count = rows // files + (1 if (index * 12 + month - 1) < rows % files else 0)
            path = directory / key / f"{key}-{force.police_uk_id}-street.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            seed = f"{force.police_uk_id}{key}".encode()
            with path.open("w", encoding="utf-8", newline="") as file:
                file.write(HEADER + "\r\n")
                lines = []
                for n in range(count):
                    crime_type, outcome = types[(n * 7) % len(types)]
                    identifier = (
                        ""
                        if not outcome
                        else hashlib.sha256(seed + n.to_bytes(4, "little")).hexdigest()
                    )
                    lines.append(
                        f"{identifier},{key},{force.label},{force.label},"
                        f"{places[n % len(places)]},{crime_type},{outcome},\r\n"
                    )
                    if len(lines) == 10_000:
                        file.write("".join(lines))
                        lines.clear()
                file.write("".join(lines))
            paths.append(path)
    return paths


# Baselines: the same rows into a plain table ---------------------------------------------------

BASELINE_TABLE = "bench_police_uk_rows"
BASELINE_COLUMNS = (
    "crime_id",
    "month",
    "reported_by",
    "falls_within",
    "longitude",
    "latitude",
    "location",
    "lsoa_code",
    "lsoa_name",
    "crime_type",
    "last_outcome_category",
    "context",
)


def create_baseline_table() -> None:
    from django.db import connection

    columns = ", ".join(f"{name} text" for name in BASELINE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        cursor.execute(f"CREATE TABLE {BASELINE_TABLE} ({columns})")


def empty_baseline_table() -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {BASELINE_TABLE}")


def baseline_label() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return "PostgreSQL COPY of the same rows into a plain table"
    return "SQLite has no COPY: csv module + executemany of the same rows into a plain table"


def bulk_load(paths: list[Path]) -> None:
    """The same rows into the plain table, as fast as the database takes them."""
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for path in paths:
                with (
                    path.open("rb") as file,
                    cursor.cursor.copy(
                        f"COPY {BASELINE_TABLE} FROM STDIN WITH (FORMAT csv, HEADER true)"
                    ) as copy,
                ):
                    while chunk := file.read(1024 * 1024):
                        copy.write(chunk)
        return
    placeholders = ", ".join(["%s"] * len(BASELINE_COLUMNS))
    sql = f"INSERT INTO {BASELINE_TABLE} VALUES ({placeholders})"
    with transaction.atomic(), connection.cursor() as cursor:
        for path in paths:
            with path.open(encoding="utf-8", newline="") as file:
                reader = csv.reader(file)
                next(reader)
                batch = []
                for row in reader:
                    batch.append(row)
                    if len(batch) == 10_000:
                        cursor.executemany(sql, batch)
                        batch.clear()
                if batch:
                    cursor.executemany(sql, batch)


# The import ------------------------------------------------------------------------------------


def wipe_police_uk() -> None:
    from performance.models import CrimeCount, Release

    CrimeCount.objects.filter(source__slug="police-uk").delete()
    Release.objects.filter(source__slug="police-uk").delete()


def import_files(paths: list[Path]):
    from performance.importers import ImportFile
    from performance.importers.crime import crime_counts_import

    return crime_counts_import(
        format="policeuk", files=[ImportFile.from_path(path) for path in paths]
    )


def _import_in_a_process(list_file: Path) -> dict:
    """The import run by ``python -m bench.memory big-import``: its time and peak memory."""
    return memory.measure("big-import", str(list_file))


@dataclass
class SizeResult:
    rows: int
    megabytes: float
    imports: list[float]
    loads: list[float]
    peak_rss_kib: int
    rss_before_kib: int
    figures: int


def bench_size(scratch: Path, rows: int, runs: int) -> SizeResult:
    from performance.models import CrimeCount

    directory = scratch / f"police-uk-{rows}"
    started = time.perf_counter()
    paths = generate(directory, rows)
    size = sum(path.stat().st_size for path in paths)
    print(
        f"  {rows:,} rows: {len(paths)} files, {size / 2**20:,.0f} MiB generated in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )
    list_file = directory / "files.txt"
    list_file.write_text("\n".join(str(path) for path in paths))
    measured: list[dict] = []
    figures: list[int] = []

    def importer() -> None:
        measured.append(_import_in_a_process(list_file))
        figures.append(CrimeCount.objects.filter(source__slug="police-uk").count())

    def load() -> None:
        bulk_load(paths)

    def before() -> None:
        wipe_police_uk()
        empty_baseline_table()

    _, loads = alternate(importer, load, runs, before=before)
    before()
    for path in paths:
        path.unlink()
    return SizeResult(
        rows=rows,
        megabytes=size / 2**20,
        # The import's own time, measured in its process (without starting Python and Django).
        imports=[figure["seconds"] for figure in measured],
        loads=loads,
        peak_rss_kib=max(figure["peak_rss_kib"] for figure in measured),
        rss_before_kib=min(figure["rss_before_kib"] for figure in measured),
        figures=max(figures),
    )


def bench_big_import(scratch: Path, sizes: tuple[int, ...], runs: int) -> list[SizeResult]:
    create_baseline_table()
    results = []
    for rows in sizes:
        results.append(bench_size(scratch, rows, runs if rows <= 1_000_000 else 1))
    return results


def report(results: list[SizeResult]) -> list[Figure]:
    figures = []
    print()
    print("Big import: a year of police.uk street-level files for 43 forces (medians)")
    for result in results:
        imported = statistics.median(result.imports)
        loaded = statistics.median(result.loads)
        label = f"{result.rows / 1e6:.1f}M rows" if result.rows >= 1e6 else f"{result.rows:,} rows"
        figures.append(
            Figure(
                section="Big import",
                name=f"police.uk, {label}",
                value=imported,
                baseline=loaded,
                budget=3,
                notes=[
                    f"{result.rows / imported:,.0f} rows/s imported, {result.rows / loaded:,.0f}"
                    f" rows/s loaded; {result.megabytes:,.0f} MiB in 516 files, "
                    f"{result.figures:,} figures; {len(result.imports)} run(s)",
                    f"baseline: {baseline_label()}",
                ],
            )
        )
        peak = result.peak_rss_kib / 1024
        figures.append(
            Figure(
                section="Big import",
                name=f"peak memory, {label}",
                value=peak,
                baseline=MEMORY_BUDGET_MIB,
                budget=1,
                unit="MiB",
                notes=[
                    f"peak resident set size of the importing process, "
                    f"{peak - result.rss_before_kib / 1024:+,.0f} MiB over the "
                    f"{result.rss_before_kib / 1024:,.0f} MiB it held before; "
                    f"budget: under {MEMORY_BUDGET_MIB} MiB"
                ],
            )
        )
    for figure in figures:
        print_figure(figure)
    return figures


def sizes_option(text: str) -> tuple[int, ...]:
    sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    if not sizes or min(sizes) < 516:
        raise argparse.ArgumentTypeError("sizes are row counts of at least 516, e.g. 600000")
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each side up to 1M rows")
    parser.add_argument(
        "--big-import-rows",
        type=sizes_option,
        default=DEFAULT_SIZES,
        help="comma-separated sizes, in rows (default 600000,6000000)",
    )
    options = parser.parse_args()
    bench = environment.prepare()
    try:
        from performance.services import reference_data_load

        print(f"Database: {bench.label}")
        reference_data_load(with_crime=False, with_peer_groups=False)
        report(bench_big_import(bench.scratch, options.big_import_rows, options.runs))
    finally:
        bench.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
