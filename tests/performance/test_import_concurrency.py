"""A long import never blocks other people's writes: reading and checking the file happen
outside the write transaction, and applying holds it only briefly.

Two threads, each with its own connection, on a database file (on SQLite the test database is
a file, see settings: an in-memory database shares one cache between connections, with locks
of its own). The file is read slowly, as from a distant object storage, so that the import
lasts seconds whatever the machine.
"""

from __future__ import annotations

import io
import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection, transaction

from performance import services
from performance.importers import ImportFile
from performance.importers.crime import crime_counts_import
from performance.models import CrimeCount, Force, ForceAlias, PendingImport
from performance.selectors import imports

# Committed for real, so that the other thread sees it; the data the migrations made (roles,
# permissions) are put back around each test, as test_archive.py needs them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROWS = 100_000  # about 4.5 MB, read in 18 pieces of 256 KB
SECONDS_PER_READ = 0.15
CRIME_TYPES = ["Burglary", "Shoplifting", "Drugs", "Robbery", "Vehicle crime", "Public order"]


def _street_level_file() -> bytes:
    rows = [
        f"2013-{n % 12 + 1:02d},Lancashire Constabulary,{CRIME_TYPES[n // 12 % len(CRIME_TYPES)]}"
        for n in range(ROWS)
    ]
    return ("Month,Falls within,Crime type\n" + "\n".join(rows) + "\n").encode()


class SlowFile(io.RawIOBase):
    """A file that takes its time over every read."""

    def __init__(self, file):
        super().__init__()
        self.file = file

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self.file.seek(offset, whence)

    def tell(self) -> int:
        return self.file.tell()

    def readinto(self, buffer) -> int:
        time.sleep(SECONDS_PER_READ)
        return self.file.readinto(buffer)

    def close(self) -> None:
        self.file.close()
        super().close()


class SlowStorage(FileSystemStorage):
    def open(self, name, mode="rb"):
        return SlowFile(super().open(name, mode).file)


class Timed(threading.Thread):
    """Runs ``work`` in a thread of its own (its own connection); records when it finished."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work = work
        self.error: BaseException | None = None
        self.finished_at = 0.0

    def run(self) -> None:
        try:
            self.work()
        except BaseException as error:
            self.error = error
        finally:
            self.finished_at = time.perf_counter()
            connection.close()


def _a_quick_write() -> None:
    """What saving an item does: one short transaction that reads, then writes."""
    with transaction.atomic():
        force = Force.objects.select_for_update().get(code="E23000003")
        force.police_uk_id = force.police_uk_id or "lancashire"
        force.save(update_fields=["police_uk_id"])
        ForceAlias.objects.create(force=force, name=f"Saved during an import {time.time()}")


def _upload(importer, content: bytes) -> PendingImport:
    return services.pending_import_create(
        user=importer, kind="policeuk", upload=ContentFile(content, name="street.csv"), options={}
    )


@pytest.mark.parametrize("phase", ["check", "preview", "apply", "command"])
def test_a_write_during_a_long_import_succeeds_at_once(reference, importer, phase, settings):
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "the test database must be a file"
    content = _street_level_file()
    pending = _upload(importer, content) if phase in ("preview", "apply") else None
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.SlowStorage"}}
    long_import = Timed(
        {
            "check": lambda: _upload(importer, content),
            "preview": lambda: imports.pending_import_preview(pending=pending),
            "apply": lambda: services.pending_import_apply(user=importer, pending=pending),
            "command": lambda: crime_counts_import(
                format="policeuk",
                files=[ImportFile("street.csv", opener=lambda: SlowFile(io.BytesIO(content)))],
            ),
        }[phase]
    )
    started = time.perf_counter()
    long_import.start()
    time.sleep(0.5)
    write = Timed(_a_quick_write)
    write_started = time.perf_counter()
    write.start()
    write.join(60)
    long_import.join(120)
    assert long_import.error is None, long_import.error
    assert long_import.finished_at - started > 2, "the import must be long for this to show"
    assert write.error is None, write.error
    assert write.finished_at < long_import.finished_at, "the write waited for the whole import"
    assert write.finished_at - write_started < 1.5
    assert ForceAlias.objects.filter(name__startswith="Saved during an import").count() == 1
    if phase in ("apply", "command"):
        assert CrimeCount.objects.filter(force__code="E23000003").count() == 6 * 12
    else:
        assert not CrimeCount.objects.exists()
