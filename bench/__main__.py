"""Every benchmark of the portal, each a ratio against a baseline measured in the same run.

    python -m bench [--runs 7] [--big-import-rows 600000,6000000]   # make bench: SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scrutiny_bench python -m bench

The data: the reference data (43 forces, every offence subgroup, populations), the real
quarterly Home Office file, then 15 years of monthly figures made from it, computed peer
groups, the reference meeting of 23 December 2013 (signed and published: its PDF is real),
200 generated meetings and a 60-page note; and, for the big import, a year of police.uk
street-level files for 43 forces at two sizes, generated in a temporary folder.
docs/performance.md says what each figure means. A budget missed is reported, not fatal: the
exit status is 0 unless something failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from bench import bench_big_import, environment
from bench.timing import print_summary


class Steps:
    """Prints what the benchmark has built, with the time since it started."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def done(self, message: str) -> None:
        print(f"  {message} ({time.perf_counter() - self.started:.0f} s)", flush=True)


def _import_quarterly_file() -> int:
    from performance.importers import ImportFile
    from performance.importers.crime import crime_counts_import
    from performance.importers.reference import DATA_DIR
    from performance.models import CrimeCount
    from performance.services import SHIPPED_CRIME_FILE

    crime_counts_import(format="prc", files=[ImportFile.from_path(DATA_DIR / SHIPPED_CRIME_FILE)])
    return CrimeCount.objects.count()


def run(
    bench: environment.BenchEnvironment,
    runs: int,
    profile: bool = False,
    big_import_rows: tuple[int, ...] = (),
    pages_only: bool = False,
) -> list:
    from django.test import override_settings

    from bench import bench_big_import, bench_pages, bench_pdf, bench_performance, memory
    from bench.meetings_dataset import LONDON, LONG_NOTE, MeetingsBuilder
    from meetings import demo
    from meetings.models import Meeting
    from performance.models import PeerGroup
    from performance.services import (
        data_version_bump,
        peer_groups_compute_yearly,
        reference_data_load,
    )

    steps = Steps()
    print("Data and runs")
    reference_data_load(with_crime=False, with_peer_groups=False)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo.load_demo_users()
    made = bench_pages.clients()
    steps.done("reference data (forces, categories, populations), a user for each role")

    # The quarterly file: the import benchmark, the import's memory, then the dashboard's
    # queries on this dataset, the smaller of the two.
    if not pages_only:
        imported = bench_performance.bench_import(runs)
        steps.done(f"import benchmark, {runs} runs of each side")
        bench_performance.wipe_crime_counts()
        import_memory = memory.measure("import")
        steps.done("memory of the import")
        big_imports = bench_big_import.bench_big_import(
            bench.scratch, big_import_rows, max(1, min(runs, 3))
        )
        steps.done("big import benchmark: " + ", ".join(f"{rows:,}" for rows in big_import_rows))
    quarterly = _import_quarterly_file()
    peer_groups_compute_yearly()
    early = {
        name: (count, f"quarterly file, {quarterly:,} figures")
        for name, count in bench_pages.count_dashboard(made).items()
    }
    PeerGroup.objects.all().delete()  # the comparison benchmark runs without groups, as before
    bench_performance.wipe_crime_counts()

    rows = bench_performance.build_monthly_dataset()
    steps.done(f"{rows:,} monthly figures for 15 years")
    if not pages_only:
        compared = bench_performance.bench_comparison(runs)
        steps.done(f"comparison benchmark, {runs} runs of each side")
    peer_groups_compute_yearly()
    steps.done("computed peer groups")

    reference, _ = demo.load_reference_meeting()
    demo.load_reference_scrutiny(reference)
    demo.publish_reference_meeting(reference)
    reference.refresh_from_db()
    steps.done("the reference meeting of 23 December 2013, signed and published")
    builder = MeetingsBuilder()
    builder.build_small()
    early.update(bench_pages.count_early(made))
    dataset = builder.build_series(count=200)
    steps.done(
        f"{dataset.count} meetings: "
        + ", ".join(f"{n:,} {name}" for name, n in dataset.rows.items())
    )

    figures = []
    if not pages_only:
        figures += bench_performance.report(compared=compared, imported=imported)
        figures += bench_big_import.report(big_imports)
    print()
    print(f"Layout (budget ≤ {bench_pages.LAYOUT_BUDGET}× the bare page)")
    figures += bench_pages.bench_layout(made=made, runs=runs, profile=profile)
    figures += bench_pages.bench_pages(
        dataset=dataset, made=made, early=early, runs=runs, profile=profile
    )
    before = bench_pages.growth_times(dataset=dataset, made=made, runs=runs)
    small = f"{Meeting.objects.count():,} meetings"
    builder.build_older(count=1800)
    large = f"{Meeting.objects.count():,} meetings"
    steps.done(f"1,800 more meetings, {large}")
    after = bench_pages.growth_times(dataset=dataset, made=made, runs=runs)
    figures += bench_pages.growth_figures(before, after, small=small, large=large)
    # 15 against 30 years of monthly figures, for the pages that read them.
    before = bench_pages.figures_growth_times(dataset=dataset, made=made, runs=runs)
    rows_older = bench_performance.build_monthly_dataset(years=30, after_years=15)
    data_version_bump()  # the rows went in with executemany: no signal counted the change
    environment.analyze()
    steps.done(f"{rows_older:,} more monthly figures, 30 years")
    after = bench_pages.figures_growth_times(dataset=dataset, made=made, runs=runs)
    figures += bench_pages.growth_figures(
        before, after, small="15 years of monthly figures", large="30 years"
    )
    if pages_only:
        figures.append(bench_pdf.bench_download(meeting=reference, made=made, runs=runs))
        return figures
    figures.append(bench_pdf.bench_render(meeting=reference, runs=runs))
    figures.append(bench_pdf.bench_download(meeting=reference, made=made, runs=runs))

    # Made last, so that the pages do not list it; its own seed gives the same note every run.
    long_note = MeetingsBuilder(seed=60).build(
        [(dt.datetime(2016, 3, 21, 10, 0, tzinfo=LONDON), Meeting.Status.DRAFT, LONG_NOTE)]
    )[0]
    print()
    print("Memory (each job in a process of its own; printed, no budget)")
    output = bench.scratch / "long-note.pdf"
    note_memory = memory.measure("note", str(long_note.pk), str(output))
    pages = bench_pdf.page_count(output.read_bytes())
    print(
        memory.describe(
            f"{pages}-page note (draft)",
            note_memory,
            f"; {LONG_NOTE.items} items, {output.stat().st_size:,} bytes",
        )
    )
    print(memory.describe("import of the quarterly file", import_memory, f"; {quarterly:,} rows"))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each side (median)")
    parser.add_argument(
        "--profile", action="store_true", help="profile each page that misses its budget"
    )
    parser.add_argument(
        "--big-import-rows",
        type=bench_big_import.sizes_option,
        default=bench_big_import.DEFAULT_SIZES,
        help="sizes of the big police.uk import, in rows (default 600000,6000000)",
    )
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="only the layout, the pages, growth and the PDF download (no imports, "
        "comparison, rendering or memory): quicker, for working on the pages",
    )
    options = parser.parse_args()
    started = time.perf_counter()
    bench = environment.prepare()
    try:
        from django.db import connection
        from django.test import override_settings

        print(f"Database: {bench.label}, {connection.vendor}; {options.runs} runs of each side")
        with override_settings(ROOT_URLCONF="bench.urls"):
            figures = run(
                bench, options.runs, options.profile, options.big_import_rows, options.pages_only
            )
        print_summary(figures)
    finally:
        bench.close()
    print(f"\nAll benchmarks ran in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
