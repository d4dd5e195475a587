"""Benchmarks of the performance app, as ratios against a baseline measured in the same run.

1. The full comparison (one force, one 12-month period, every category, with groups,
   ranks, the red rule, significance) against a hand-written SQL aggregate of the same
   numbers (counts for this and the previous 12 months per force and category, groups and
   combinations included, and rates). Dataset: 43 forces x every offence subgroup x monthly
   figures for 15 years, made from the real quarterly Home Office file. Budget: 2x.
2. Importing the full quarterly Home Office file (read, check every row, compare with what is
   held, write) against a bulk insert of the same rows. Budget: 3x.

Each figure is the median of several runs; runs of the two sides alternate. The database is
the benchmarks' own (see ``bench.environment``): a temporary SQLite file, or the PostgreSQL
database ``scrutiny_bench…`` that DATABASE_URL (or BENCH_DATABASE_URL) names.

    python -m bench.bench_performance [--runs 7]    # these two figures alone
    python -m bench                                 # every benchmark (make bench)
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time

from bench import environment
from bench.timing import Figure, alternate, median_time, print_figure


def wipe_crime_counts() -> None:
    from performance.models import CrimeCount, Release

    CrimeCount.objects.all().delete()
    Release.objects.exclude(source__slug="ons-population").delete()


# 1. Import --------------------------------------------------------------------------------


def bench_import(runs: int) -> dict:
    from django.db import connection, transaction

    from performance.importers import ImportFile
    from performance.importers.crime import crime_counts_import, insert_counts
    from performance.importers.reference import DATA_DIR
    from performance.models import CrimeCount
    from performance.services import SHIPPED_CRIME_FILE

    files = [ImportFile.from_path(DATA_DIR / SHIPPED_CRIME_FILE)]
    wipe_crime_counts()
    crime_counts_import(format="prc", files=files)
    adapt = connection.ops.adapt_datefield_value
    rows = [
        (f, c, s, r, adapt(start), adapt(end), m, n)
        for f, c, s, r, start, end, m, n in CrimeCount.objects.values_list(
            "force_id",
            "category_id",
            "source_id",
            "release_id",
            "period_start",
            "period_end",
            "months",
            "count",
        )
    ]
    release_id = rows[0][3]

    def importer() -> None:
        crime_counts_import(format="prc", files=files)

    def bulk_insert() -> None:
        with transaction.atomic():
            insert_counts(rows)

    def before() -> None:
        CrimeCount.objects.all().delete()
        from performance.models import Release

        Release.objects.filter(source__slug="home-office-prc").exclude(pk=release_id).delete()

    imports, inserts = alternate(importer, bulk_insert, runs, before=before)

    def orm_bulk_create() -> None:
        with transaction.atomic():
            CrimeCount.objects.bulk_create(
                (
                    CrimeCount(
                        force_id=f,
                        category_id=c,
                        source_id=s,
                        release_id=r,
                        period_start=start,
                        period_end=end,
                        months=m,
                        count=n,
                    )
                    for f, c, s, r, start, end, m, n in rows
                ),
                batch_size=2000,
            )

    orm, _ = median_time(orm_bulk_create, max(3, runs // 2), before=before)
    return {
        "rows": len(rows),
        "import": statistics.median(imports),
        "insert": statistics.median(inserts),
        "orm_bulk_create": orm,
        "import_runs": imports,
        "insert_runs": inserts,
    }


# 2. Comparison ----------------------------------------------------------------------------


def build_monthly_dataset(years: int = 15, *, after_years: int = 0) -> int:
    """43 forces x every subgroup x monthly for ``years`` years ending June 2023, from the
    real quarterly file: each quarter split into its months, earlier years repeating 2012/13.
    With ``after_years``, only the months older than the latest ``after_years`` years (to
    extend a series already made for that many)."""
    from django.db import connection, transaction

    from performance.importers.crime import insert_counts
    from performance.importers.reference import DATA_DIR
    from performance.lookups import CategoryLookup, ForceLookup
    from performance.models import Category, DataSource, Release
    from performance.periods import (
        financial_quarter_months,
        month_end,
        month_start,
        parse_financial_year,
    )
    from performance.services import SHIPPED_CRIME_FILE

    source, _ = DataSource.objects.get_or_create(
        slug="bench-monthly", defaults={"name": "Monthly series made for the benchmark"}
    )
    release = Release.objects.create(
        source=source, label=f"benchmark, {years} years", file_name="-", sha256="-"
    )
    forces, categories = ForceLookup(), CategoryLookup()
    monthly: dict[tuple[int, int, int], int] = {}
    import csv

    with gzip.open(DATA_DIR / SHIPPED_CRIME_FILE, "rt", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            first, _ = financial_quarter_months(
                parse_financial_year(row["financial_year"]), int(row["financial_quarter"])
            )
            force = forces.find(row["pfa_code"]).pk
            category = categories.find(row["offence_subgroup"], kinds=(Category.Kind.SUBGROUP,)).pk
            share, rest = divmod(int(row["number_of_offences"]), 3)
            for i in range(3):
                monthly[force, category, first + i] = share + (1 if i < rest else 0)
    last = max(month for _, _, month in monthly)
    first_real = min(month for _, _, month in monthly)
    start = last - years * 12 + 1
    adapt = connection.ops.adapt_datefield_value
    rows = []
    for force, category, month in monthly:
        rows.append((force, category, source.pk, release.pk, month))
        if month < first_real + 12:  # repeat 2012/13 back to the start of the series
            back = month - 12
            while back >= start:
                rows.append((force, category, source.pk, release.pk, back))
                back -= 12
    newest = last - after_years * 12 if after_years else last
    rows = [row for row in rows if row[4] <= newest]
    values = [
        (
            f,
            c,
            s,
            r,
            adapt(month_start(m)),
            adapt(month_end(m)),
            1,
            monthly.get((f, c, m), monthly.get((f, c, first_real + (m - first_real) % 12), 0)),
        )
        for f, c, s, r, m in rows
    ]
    with transaction.atomic():
        insert_counts(values)
    return len(values)


BASELINE_SQL = """
WITH base AS (
    SELECT source_id, category_id, force_id,
           SUM(CASE WHEN period_start >= %s THEN "count" ELSE 0 END) AS current_count,
           SUM(CASE WHEN period_start < %s THEN "count" ELSE 0 END) AS previous_count
    FROM performance_crimecount
    WHERE period_start >= %s AND period_end <= %s
    GROUP BY source_id, category_id, force_id
), parts AS (
    SELECT id AS category_id, id AS part_id FROM performance_category
        WHERE kind IN ('subgroup', 'police_uk', 'force_defined')
    UNION ALL
    SELECT group_id, id FROM performance_category WHERE kind = 'subgroup'
    UNION ALL
    SELECT from_category_id, to_category_id FROM performance_category_components
)
SELECT parts.category_id, base.force_id, SUM(base.current_count), SUM(base.previous_count),
       population.population, SUM(base.current_count) * 1000.0 / population.population
FROM base
JOIN parts ON parts.part_id = base.category_id
JOIN performance_population population
    ON population.force_id = base.force_id AND population.year = %s
GROUP BY parts.category_id, base.force_id, population.population
"""


# The least SQL could do: the two windows' sums of the stored categories only (no groups or
# combinations, no populations or rates). A lower bound, reported for reference. Both
# baselines group by source too, as the comparison does: the unique index then gives the rows
# in group order, and neither side is handicapped by a sort the other avoids.
MINIMAL_SQL = """
SELECT source_id, category_id, force_id,
       SUM(CASE WHEN period_start >= %s THEN "count" ELSE 0 END),
       SUM(CASE WHEN period_start < %s THEN "count" ELSE 0 END)
FROM performance_crimecount
WHERE period_start >= %s AND period_end <= %s
GROUP BY source_id, category_id, force_id
"""


def bench_comparison(runs: int, period_key: str = "2019-10") -> dict:
    from django.db import connection

    from performance.models import Category, Force
    from performance.periods import Period
    from performance.selectors.comparison import comparison_build

    force = Force.objects.get(name="Lancashire")
    period = Period.parse(period_key)
    adapt = connection.ops.adapt_datefield_value
    params = [
        adapt(period.start),
        adapt(period.start),
        adapt(period.previous().start),
        adapt(period.end),
        period.end_year,
    ]

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL, params)
            return cursor.fetchall()

    def comparison():
        return comparison_build(force=force, period=period)

    # The same numbers: every complete row of the comparison agrees with the aggregate.
    slugs = dict(Category.objects.values_list("id", "slug"))
    sql = {(slugs[c], f): (n, p) for c, f, n, p, _, _ in baseline() if f == force.pk}
    result = comparison()
    checked = 0
    for row in result.rows:
        if row.is_complete:
            assert sql[row.category_slug, force.pk][0] == row.count, row.category_slug
            if row.previous_count is not None:
                assert sql[row.category_slug, force.pk][1] == row.previous_count
            checked += 1
    assert checked > 20, checked
    for _ in range(2):  # warm up both
        baseline()
        comparison()
    full, sql_times = alternate(comparison, baseline, runs)

    def minimal():
        with connection.cursor() as cursor:
            cursor.execute(MINIMAL_SQL, params[:4])
            return cursor.fetchall()

    minimal()
    minimal_time, _ = median_time(minimal, runs)
    return {
        "minimal_sql": minimal_time,
        "period": period.label,
        "categories": len(result.rows),
        "checked": checked,
        "comparison": statistics.median(full),
        "sql": statistics.median(sql_times),
        "comparison_runs": full,
        "sql_runs": sql_times,
    }


def report(*, compared: dict, imported: dict) -> list[Figure]:
    """Print the comparison and import figures; return them for the summary."""
    comparison = Figure(
        section="Performance",
        name="full comparison",
        value=compared["comparison"],
        baseline=compared["sql"],
        budget=2,
        notes=[
            f"Lancashire, {compared['period']}, {compared['categories']} categories "
            f"({compared['checked']} checked equal to the SQL aggregate); baseline: the SQL "
            "aggregate",
            f"bare GROUP BY {compared['minimal_sql'] * 1000:.1f} ms (stored categories only, "
            "no groups, combinations or rates; for reference: "
            f"{compared['comparison'] / compared['minimal_sql']:.2f}x)",
        ],
    )
    imports = Figure(
        section="Performance",
        name="import of the quarterly file",
        value=imported["import"],
        baseline=imported["insert"],
        budget=3,
        notes=[
            f"{imported['rows']:,} figures; baseline: executemany bulk insert of the same rows",
            f"ORM bulk_create {imported['orm_bulk_create'] * 1000:,.0f} ms (for reference)",
        ],
    )
    print()
    print("Performance data (medians)")
    for figure in (comparison, imports):
        print_figure(figure)
    return [comparison, imports]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each side (median)")
    options = parser.parse_args()
    bench = environment.prepare()
    try:
        from performance.services import reference_data_load

        print(f"Database: {bench.label}; {options.runs} runs of each side")
        reference_data_load(with_crime=False, with_peer_groups=False)
        imported = bench_import(options.runs)
        wipe_crime_counts()
        started = time.perf_counter()
        rows = build_monthly_dataset()
        print(f"Dataset: {rows:,} monthly figures built in {time.perf_counter() - started:.1f} s")
        compared = bench_comparison(options.runs)
        report(compared=compared, imported=imported)
    finally:
        bench.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
