"""Restore a whole installation from an archive written by ``meetings.selectors.archive``.

Restoring checks every signed note's PDF against the hash recorded when it was signed, and
reads the archive within the limits every import has (``IMPORT_MAX_*``: entries, what it
expands to and how many times its size), so that a hostile archive is refused before memory
grows.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from performance.importers.streams import ExpansionLimits, LimitedZip, StreamProblem

from ..models import Meeting
from ..selectors.archive import FORMAT, ArchiveSummary


class ArchiveError(Exception):
    """The archive cannot be restored here; the message says why."""


def _database_is_empty() -> bool:
    checked = ("meetings.Meeting", "meetings.Person", "performance.Force")
    return not any(apps.get_model(label).objects.exists() for label in checked if _has_model(label))


def _has_model(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def import_archive(source: Path) -> ArchiveSummary:
    """Restore an archive into an empty, migrated database; all or nothing."""
    try:
        return _import_archive(source)
    except StreamProblem as problem:
        raise ArchiveError(f"{source} is not a readable archive: {problem.reason}.") from problem


def _import_archive(source: Path) -> ArchiveSummary:
    try:
        raw = source.open("rb")
    except OSError as error:
        raise ArchiveError(f"{source} is not a readable archive: {error}") from error
    try:
        archive = LimitedZip(raw, source.name, ExpansionLimits.from_settings())
    except BaseException:
        raw.close()
        raise
    with raw, archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
            payload = archive.read("data.json").decode()
        except (KeyError, ValueError) as error:
            raise ArchiveError(f"{source} is not a scrutiny portal archive: {error}") from error
        if manifest.get("format") != FORMAT:
            raise ArchiveError(f"Unknown archive format {manifest.get('format')!r}.")
        if not _database_is_empty():
            raise ArchiveError(
                "The database already holds data. Restore into an empty, migrated database."
            )
        files = manifest.get("files", {})
        with transaction.atomic():
            count = 0
            for deserialized in serializers.deserialize(
                "json", payload, handle_forward_references=True
            ):
                deserialized.save()
                count += 1
            for name, expected in files.items():
                try:
                    content = archive.read(f"media/{name}")
                except KeyError:
                    raise ArchiveError(f"{name} is missing from the archive.") from None
                if hashlib.sha256(content).hexdigest() != expected:
                    raise ArchiveError(f"The stored file {name} is damaged in the archive.")
                if default_storage.exists(name):
                    default_storage.delete(name)
                saved = default_storage.save(name, ContentFile(content))
                if saved != name:
                    raise ArchiveError(f"Could not restore {name} under its own name.")
            for meeting in Meeting.objects.exclude(pdf_sha256=""):
                with default_storage.open(meeting.pdf.name, "rb") as stored:
                    digest = hashlib.sha256(stored.read()).hexdigest()
                if digest != meeting.pdf_sha256:
                    raise ArchiveError(
                        f"The PDF of {meeting} does not match the hash recorded when it was signed."
                    )
    return ArchiveSummary(objects=count, files=len(files))
