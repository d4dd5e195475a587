"""Peak memory of rendering a long note, of importing the full quarterly file, and of the big
police.uk import (``bench.bench_big_import``).

Each job runs in a process of its own, so that nothing the benchmarks loaded before counts:
first plainly, for the peak resident set size (VmHWM: everything the process holds,
WeasyPrint's C libraries included), then again under ``tracemalloc`` for the peak of Python's
own allocations. Printed, not judged.

    python -m bench.memory note <meeting id> <output.pdf>   # run by python -m bench
    python -m bench.memory import
    python -m bench.memory big-import <file listing the paths>   # peak RSS and time only
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from bench import environment

LONG_NOTE_PAGES = 60


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def _rss_now_kib() -> int:
    return _status_kib("VmRSS")


def _peak_rss_kib() -> int:
    """The process's peak resident set size, from /proc (Linux).

    Not ``getrusage().ru_maxrss``: Linux carries the parent's peak over into a child across
    ``exec``, so a child of the benchmark (hundreds of MiB by then) would report at least that.
    """
    peak = _status_kib("VmHWM")
    return peak or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _note_job(meeting_id: int, output: str):
    """Render the note from its data, read beforehand (as signing does): the render alone."""
    from bench.bench_pdf import note_inputs
    from meetings import pdf
    from meetings.models import Meeting

    inputs = note_inputs(Meeting.objects.get(pk=meeting_id))

    def work() -> None:
        Path(output).write_bytes(pdf.render_note_pdf(**inputs))

    return work, lambda: None


def _import_job():
    from performance.importers import ImportFile
    from performance.importers.crime import crime_counts_import
    from performance.importers.reference import DATA_DIR
    from performance.models import CrimeCount, Release
    from performance.services import SHIPPED_CRIME_FILE

    path = DATA_DIR / SHIPPED_CRIME_FILE

    def work() -> None:
        crime_counts_import(format="prc", files=[ImportFile.from_path(path)])

    def reset() -> None:
        CrimeCount.objects.all().delete()
        Release.objects.filter(source__slug="home-office-prc").delete()

    return work, reset


def _big_import_job(list_file: str):
    """The police.uk files listed in ``list_file``, imported once (the parent resets)."""
    from bench.bench_big_import import import_files

    paths = [Path(line) for line in Path(list_file).read_text().splitlines() if line]

    def work() -> None:
        import_files(paths)

    return work, lambda: None


def child(argv: list[str]) -> int:
    environment.configure(
        url=os.environ["DATABASE_URL"], scratch=Path(os.environ["MEDIA_ROOT"]).parent
    )
    job = argv[0]
    traced = job != "big-import"  # a minute under tracemalloc would say nothing more
    if job == "note":
        work, reset = _note_job(int(argv[1]), argv[2])
    elif job == "big-import":
        work, reset = _big_import_job(argv[1])
    else:
        work, reset = _import_job()
    reset()
    before = _rss_now_kib()
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    peak = _peak_rss_kib()
    figures = {"rss_before_kib": before, "peak_rss_kib": peak, "seconds": seconds}
    if traced:
        reset()
        tracemalloc.start()
        work()
        _, figures["python_peak_bytes"] = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        reset()
    print(json.dumps(figures))
    return 0


def measure(*args: str) -> dict:
    """Run a job in a process of its own; its memory figures."""
    finished = subprocess.run(
        [sys.executable, "-m", "bench.memory", *args],
        cwd=environment.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"bench.memory {' '.join(args)} failed:\n{finished.stderr}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def describe(name: str, figures: dict, extra: str = "") -> str:
    mib = 1024
    return (
        f"  {name:<28} peak RSS {figures['peak_rss_kib'] / mib:,.0f} MiB, "
        f"{(figures['peak_rss_kib'] - figures['rss_before_kib']) / mib:+,.0f} MiB over the "
        f"{figures['rss_before_kib'] / mib:,.0f} MiB the process held before; peak of Python "
        f"allocations {figures['python_peak_bytes'] / 2**20:,.0f} MiB; {figures['seconds']:.1f} s"
        f"{extra}"
    )


if __name__ == "__main__":
    sys.exit(child(sys.argv[1:]))
