"""What a load balancer asks of each app server: can it reach the database, the cache, the
stored files and, when one is configured, the job broker? Each probe raises when it cannot."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

logger = logging.getLogger(__name__)

OK, FAILED, NOT_CONFIGURED = "ok", "failed", "not configured"


def database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("the database answered SELECT 1 wrongly")


def shared_cache() -> None:
    key, value = f"health:probe:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return what was just set")
    finally:
        cache.delete(key)


def storage() -> None:
    """Write, read back and delete a small file: a storage that can list but not write (a full
    disk, a bucket policy) would fail every signing."""
    name = default_storage.save(f"health/probe-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as probe:
            if probe.read() != b"ok":
                raise RuntimeError("the stored probe read back differently")
    finally:
        default_storage.delete(name)


def broker() -> str | None:
    """Connect to the job broker, unless none is configured (jobs then run in the web
    process)."""
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return NOT_CONFIGURED
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    return None


PROBES: dict[str, Callable[[], str | None]] = {
    "database": database,
    "cache": shared_cache,
    "storage": storage,
    "broker": broker,
}

_lock = threading.Lock()
_last: tuple[float, dict[str, str]] | None = None


def run_checks() -> dict[str, str]:
    """Each probe's outcome (``ok``, ``failed`` or ``not configured``), never the error itself,
    which is logged. A process answers from its last run for ``HEALTHZ_MIN_INTERVAL`` seconds,
    so that a flood of requests costs no more than one run."""
    global _last
    with _lock:
        if _last is not None and time.monotonic() - _last[0] < settings.HEALTHZ_MIN_INTERVAL:
            return dict(_last[1])
        outcomes = {}
        for name, probe in PROBES.items():
            try:
                outcomes[name] = probe() or OK
            except Exception:
                logger.warning("Health check %s failed", name, exc_info=True)
                outcomes[name] = FAILED
        _last = (time.monotonic(), outcomes)
        return dict(outcomes)


def forget() -> None:
    """Drop the last run (tests, and a settings change)."""
    global _last
    with _lock:
        _last = None
