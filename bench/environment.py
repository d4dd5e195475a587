"""The database and settings the benchmarks run with: never the portal's own data.

SQLite: a database file in a temporary folder, removed at the end. PostgreSQL: the database
that ``BENCH_DATABASE_URL`` or ``DATABASE_URL`` names, which must be called ``scrutiny_bench…``:
it is dropped and created afresh at the start (so every run measures the same data) and
dropped at the end. Stored files (signed PDFs) go to a temporary folder too.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE_PREFIX = "scrutiny_bench"


class RefusedDatabase(SystemExit):
    """The URL names a database the benchmark would overwrite without owning it."""


@dataclass
class BenchEnvironment:
    url: str
    label: str
    scratch: Path
    postgres_name: str | None = None

    def close(self) -> None:
        """Drop the PostgreSQL database and remove the temporary folder."""
        from django.db import connections

        connections.close_all()
        if self.postgres_name:
            _drop_postgres(self.url, self.postgres_name)
        shutil.rmtree(self.scratch, ignore_errors=True)


def database_url() -> str | None:
    """The PostgreSQL URL to run on, if one is given."""
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or None


def _postgres_admin_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))


def _drop_postgres(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(_postgres_admin_url(url), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _create_postgres(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    _drop_postgres(url, name)
    with psycopg.connect(_postgres_admin_url(url), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(*, migrate: bool = True) -> BenchEnvironment:
    """Point Django at the benchmark's own database, set it up, and migrate it."""
    url = database_url()
    postgres_name = None
    if url:
        parts = urlsplit(url)
        postgres_name = parts.path.lstrip("/")
        if not parts.scheme.startswith("postgres"):
            raise RefusedDatabase(f"The benchmarks run on SQLite or PostgreSQL, not {url!r}.")
        if not postgres_name.startswith(BENCH_DATABASE_PREFIX):
            raise RefusedDatabase(
                f"Refusing to run the benchmarks on the database {postgres_name!r}: they drop "
                f"and re-create it. Name one of their own, e.g. "
                f"postgres://…/{BENCH_DATABASE_PREFIX}."
            )
    scratch = Path(tempfile.mkdtemp(prefix="scrutiny-bench-"))
    if postgres_name:
        label = f"postgresql ({parts.hostname}:{parts.port or 5432}/{postgres_name})"
    else:
        url = f"sqlite:///{scratch / 'bench.sqlite3'}"
        label = f"sqlite ({scratch / 'bench.sqlite3'})"
    bench = BenchEnvironment(url=url, label=label, scratch=scratch, postgres_name=postgres_name)
    try:
        if postgres_name:
            _create_postgres(url, postgres_name)
        configure(url=url, scratch=scratch)
        if migrate:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
    except BaseException:
        bench.close()
        raise
    return bench


def configure(*, url: str, scratch: Path) -> None:
    """Set up Django on ``url`` as production runs it: DEBUG off (no query log, no debug
    templates), plain static files storage (there is no collectstatic output here)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ["SCRUTINY_VAR_DIR"] = str(scratch / "var")
    (scratch / "var" / "static").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def analyze() -> None:
    """On PostgreSQL, refresh the planner's statistics after a bulk load (the meetings, the
    30 years of figures), as autovacuum does in a running portal soon after so many rows
    change (a portal grows by a meeting a month; the bench adds 1,800 at once and measures
    straight away). With the statistics of 203 meetings the planner took 2,003 for a
    handful: the search read and sorted every match of "burglary" (13 ms) instead of walking
    ``meeting_start_idx`` and stopping at the page's 26 (0.2 ms; EXPLAIN ANALYZE, 2 December
    2026). Not a ``VACUUM``: the full-text index keeps no pending list for one to merge
    (migration 0028), and the portal must not depend on when one ran."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
