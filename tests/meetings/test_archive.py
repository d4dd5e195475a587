"""A full installation round-trips through export_archive and import_archive."""

import hashlib
import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from meetings import demo
from meetings.models import Meeting, NoteTransition
from meetings.services import sign_off
from tests.factories import note_signed

# Flushing needs a transactional test; the roles the migrations created are reloaded each time.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def installation(staff, chief_executive):
    meeting, _ = demo.load_reference_meeting()
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=meeting)
    sign_off.note_publish(user=staff, meeting=meeting)
    revision = sign_off.note_revise(user=staff, meeting=meeting)
    return Meeting.objects.get(pk=meeting.pk), revision


def test_an_archive_restores_into_an_empty_database_with_pdfs_intact(
    installation, tmp_path, settings
):
    published, revision = installation
    archive = tmp_path / "backup.zip"
    call_command("export_archive", str(archive), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "fresh-media"
    assert not Meeting.objects.exists()

    out = io.StringIO()
    call_command("import_archive", str(archive), stdout=out)
    assert "every stored PDF matches its recorded hash" in out.getvalue()

    restored = Meeting.objects.get(pk=published.pk)
    assert restored.status == Meeting.Status.PUBLISHED
    with restored.pdf.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == published.pdf_sha256
    present = restored.attendances.filter(kind="present").order_by("position")
    assert [a.person.name for a in present][:2] == [
        "Clive Grunshaw",
        "Ibby Master",
    ]
    assert Meeting.objects.get(pk=revision.pk).revises == restored
    assert NoteTransition.objects.filter(meeting=restored).count() == 3
    assert restored.history.exists()
    assert Group.objects.get(name="Staff").permissions.filter(codename="edit_note").exists()
    assert User.objects.filter(username="test-staff").exists()


def test_restoring_into_a_database_with_data_is_refused(installation, tmp_path):
    archive = tmp_path / "backup.zip"
    call_command("export_archive", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds data"):
        call_command("import_archive", str(archive), stdout=io.StringIO())


def test_a_damaged_pdf_in_the_archive_restores_nothing(installation, tmp_path, settings):
    archive = tmp_path / "backup.zip"
    call_command("export_archive", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(damaged, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename.startswith("media/"):
                content = content[:-10] + b"0123456789"
            target.writestr(entry, content)
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "fresh-media"
    with pytest.raises(CommandError, match="damaged"):
        call_command("import_archive", str(damaged), stdout=io.StringIO())
    assert not Meeting.objects.exists()


def test_a_file_that_is_not_an_archive_is_refused(tmp_path):
    bogus = tmp_path / "bogus.zip"
    bogus.write_text("not a zip")
    with pytest.raises(CommandError, match="not a readable archive"):
        call_command("import_archive", str(bogus), stdout=io.StringIO())
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "something-else"}))
        archive.writestr("data.json", "[]")
    with pytest.raises(CommandError, match="Unknown archive format"):
        call_command("import_archive", str(other), stdout=io.StringIO())


def _archive_with(tmp_path, entries: dict[str, bytes], **options):
    target = tmp_path / "hostile.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, **options) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return target


def test_an_archive_expanding_far_beyond_its_size_is_refused_before_memory_grows(tmp_path):
    import tracemalloc

    manifest = json.dumps({"format": "scrutiny-portal-archive/1", "files": {}}).encode()
    target = tmp_path / "bomb.zip"
    with (
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("data.json", "w") as data,
    ):
        for _ in range(256):
            data.write(b" " * 2**20)  # 256 MiB of blanks from 1 MB
    with zipfile.ZipFile(target, "a") as archive:
        archive.writestr("manifest.json", manifest)
    tracemalloc.start()
    with pytest.raises(CommandError, match="IMPORT_MAX_COMPRESSION_RATIO") as refused:
        call_command("import_archive", str(target), stdout=io.StringIO())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "bomb.zip" in str(refused.value)
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.0f} MiB"
    assert not Meeting.objects.exists()


def test_an_archive_of_too_many_entries_is_refused_before_its_directory_is_read(tmp_path, settings):
    settings.IMPORT_MAX_ZIP_ENTRIES = 5
    entries = {f"media/{n}.pdf": b"%PDF" for n in range(6)}
    target = _archive_with(tmp_path, {"manifest.json": b"{}", "data.json": b"[]", **entries})
    with pytest.raises(CommandError, match=r"8 entries.*IMPORT_MAX_ZIP_ENTRIES"):
        call_command("import_archive", str(target), stdout=io.StringIO())


def test_an_archive_larger_than_the_limit_once_expanded_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_EXPANDED_BYTES = 1000
    target = _archive_with(
        tmp_path,
        {
            "manifest.json": json.dumps({"format": "scrutiny-portal-archive/1"}).encode(),
            "data.json": json.dumps([{"n": n} for n in range(200)]).encode(),
        },
    )
    with pytest.raises(CommandError, match="IMPORT_MAX_EXPANDED_BYTES"):
        call_command("import_archive", str(target), stdout=io.StringIO())


def test_an_archive_missing_a_file_its_manifest_lists_restores_nothing(tmp_path):
    manifest = {"format": "scrutiny-portal-archive/1", "files": {"notes/1.pdf": "0" * 64}}
    target = _archive_with(
        tmp_path, {"manifest.json": json.dumps(manifest).encode(), "data.json": b"[]"}
    )
    with pytest.raises(CommandError, match=r"notes/1\.pdf is missing from the archive"):
        call_command("import_archive", str(target), stdout=io.StringIO())


def test_opt_outs_reminders_and_page_counts_are_restored(installation, tmp_path, settings, staff):
    """What a restore must keep of the people side: who asked for no email of a kind (else a
    restore would start mailing them again), which reminders went out (else they go again the
    same day), and the PDF's page count."""
    import datetime as dt

    from meetings.models import ActionReminder, NotificationKind, NotificationOptOut
    from meetings.services import notifications
    from tests.factories import ActionFactory, PersonFactory

    published, _ = installation
    kind = NotificationKind.values[0]
    notifications.notification_preferences_set(
        user=staff, receives=[k for k in NotificationKind.values if k != kind]
    )
    owner = PersonFactory(name="Owner", email="owner@example.org")
    action = ActionFactory(owners=[owner], due=dt.date(2026, 3, 10))
    ActionReminder.objects.create(
        action=action, person=owner, sent_on=dt.date(2026, 3, 9), email=owner.email, overdue=False
    )
    archive = tmp_path / "backup.zip"
    call_command("export_archive", str(archive), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "fresh-media"
    call_command("import_archive", str(archive), stdout=io.StringIO())

    assert list(NotificationOptOut.objects.values_list("user__username", "kind")) == [
        ("test-staff", kind)
    ]
    reminder = ActionReminder.objects.get()
    assert (reminder.person.name, reminder.sent_on) == ("Owner", dt.date(2026, 3, 9))
    assert Meeting.objects.get(pk=published.pk).pdf_pages == published.pdf_pages > 0
