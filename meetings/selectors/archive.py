"""Back up a whole installation: the database as JSON plus the stored files (restoring is
``meetings.services.archive``).

An archive is a zip holding ``manifest.json`` (format, creation time, counts, the SHA-256 of
every stored file), ``data.json`` (Django's serialisation of every model, with natural keys
so that it loads into any empty database, SQLite or PostgreSQL) and ``media/`` (the signed
PDFs). Restoring checks every signed note's PDF against the hash recorded when it was signed,
and reads the archive within the limits every import has (``IMPORT_MAX_*``: entries, what it
expands to and how many times its size), so that a hostile archive is refused before memory
grows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management import call_command

from ..models import Meeting

FORMAT = "scrutiny-portal-archive/1"
# Rebuilt by migrations, or of no value in a restore. Everything else is kept, among it the
# notification opt-outs (a restore must not mail people who asked not to be) and the reminders
# sent (else the same reminder goes again the same day).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


@dataclass(frozen=True)
class ArchiveSummary:
    objects: int
    files: int


def export_archive(target: Path) -> ArchiveSummary:
    """Write the whole installation to the zip file ``target``."""
    data = io.StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=EXCLUDED,
        format="json",
        stdout=data,
    )
    payload = data.getvalue()
    files = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", payload)
        for meeting in Meeting.objects.exclude(pdf_sha256="").only("pdf"):
            with default_storage.open(meeting.pdf.name, "rb") as stored:
                content = stored.read()
            files[meeting.pdf.name] = hashlib.sha256(content).hexdigest()
            archive.writestr(f"media/{meeting.pdf.name}", content)
        objects = len(json.loads(payload))
        archive.writestr(
            "manifest.json",
            json.dumps(
                {
                    "format": FORMAT,
                    "created": dt.datetime.now(dt.UTC).isoformat(),
                    "objects": objects,
                    "files": files,
                },
                indent=2,
            ),
        )
    return ArchiveSummary(objects=objects, files=len(files))
