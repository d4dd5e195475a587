"""Signing records the decision and queues a job that renders, signs and stores the PDF: the
job is safe to run again, and a worker killed half-way leaves nothing that a retry does not
finish."""

import hashlib

import pytest
from django.test import TestCase
from django.urls import reverse

from jobs.models import Job
from meetings.models import AuditEvent, Meeting
from meetings.selectors.sign_off import note_pdf_job
from meetings.services import sign_off
from meetings.tasks import note_pdf_store
from tests.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory, note_signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(staff):
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting, narrative="Performance was sustained.")
    return sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)


def _sign_without_running_the_job(user, meeting) -> Meeting:
    """Signed and committed, its job queued but not yet taken by a worker."""
    read = sign_off.note_snapshot_keep(meeting=meeting)
    with TestCase.captureOnCommitCallbacks(execute=False):
        sign_off.note_sign(user=user, meeting=meeting, read_sha256=read)
    return Meeting.objects.get(pk=meeting.pk)


def _stored_sha256(meeting: Meeting) -> str:
    with meeting.pdf.open("rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest()


def test_signing_queues_the_job_and_freezes_the_note_before_the_pdf_exists(
    submitted, chief_executive
):
    meeting = _sign_without_running_the_job(chief_executive, submitted)
    assert meeting.status == Meeting.Status.SIGNED
    assert meeting.pdf.name and not meeting.pdf_sha256
    assert not meeting.pdf.storage.exists(meeting.pdf.name)
    job = note_pdf_job(meeting=meeting)
    assert (job.kind, job.state, job.created_by) == ("note_pdf", "queued", chief_executive)
    assert job.arguments == {"meeting": meeting.pk}


def test_the_job_stores_the_pdf_and_records_its_hash_once(submitted, chief_executive):
    signed = note_signed(user=chief_executive, meeting=submitted)
    job = note_pdf_job(meeting=signed)
    assert (job.state, job.progress, job.attempts) == ("done", 100, 1)
    assert signed.pdf_sha256 == _stored_sha256(signed)
    assert AuditEvent.objects.filter(meeting=signed, verb="note.pdf_stored").count() == 1


def test_the_job_run_again_changes_nothing(submitted, chief_executive):
    signed = note_signed(user=chief_executive, meeting=submitted)
    job = note_pdf_job(meeting=signed)
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)  # delivered a second time
    note_pdf_store.delay(job.pk)
    again = Meeting.objects.get(pk=signed.pk)
    assert again.pdf_sha256 == signed.pdf_sha256 == _stored_sha256(again)
    job.refresh_from_db()
    assert (job.state, job.message) == ("done", "The signed PDF was already stored.")
    assert AuditEvent.objects.filter(meeting=signed, verb="note.pdf_stored").count() == 1


class WorkerKilled(BaseException):
    """What the process sees of a SIGKILL: nothing after this point runs."""


def test_a_worker_killed_after_writing_the_file_leaves_a_job_that_a_retry_completes(
    submitted, chief_executive, monkeypatch
):
    meeting = _sign_without_running_the_job(chief_executive, submitted)
    job = note_pdf_job(meeting=meeting)
    store = sign_off._store_pdf

    def store_then_die(storage, name, document):
        store(storage, name, document)
        raise WorkerKilled

    monkeypatch.setattr(sign_off, "_store_pdf", store_then_die)
    with pytest.raises(WorkerKilled):
        note_pdf_store.delay(job.pk)
    half_done = Meeting.objects.get(pk=meeting.pk)
    assert not half_done.pdf_sha256  # nothing recorded: the file alone proves nothing
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("running", 1)

    monkeypatch.setattr(sign_off, "_store_pdf", store)
    note_pdf_store.delay(job.pk)  # the broker hands the unacknowledged job to another worker
    done = Meeting.objects.get(pk=meeting.pk)
    assert done.pdf_sha256 and done.pdf_sha256 == _stored_sha256(done)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.progress) == ("done", 2, 100)


def test_a_recorded_pdf_gone_from_storage_fails_the_job_saying_so(submitted, chief_executive):
    signed = note_signed(user=chief_executive, meeting=submitted)
    signed.pdf.storage.delete(signed.pdf.name)
    job = note_pdf_job(meeting=signed)
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)
    note_pdf_store.delay(job.pk)
    job.refresh_from_db()
    assert job.state == "failed"
    assert "missing or does not match its recorded SHA-256" in job.message
    assert Meeting.objects.get(pk=signed.pk).pdf_sha256 == signed.pdf_sha256


def test_a_store_that_keeps_failing_fails_the_job_and_records_nothing(
    submitted, chief_executive, settings, tmp_path
):
    meeting = _sign_without_running_the_job(chief_executive, submitted)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocked
    job = note_pdf_job(meeting=meeting)
    note_pdf_store.delay(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("failed", 4)  # the first try and three retries
    assert "could not be completed" in job.message and str(tmp_path) not in job.message
    assert not Meeting.objects.get(pk=meeting.pk).pdf_sha256


def test_the_recorded_hash_is_set_once_and_never_changed(submitted, chief_executive):
    from meetings.models import NoteFrozen

    signed = note_signed(user=chief_executive, meeting=submitted)
    signed.pdf_sha256 = "0" * 64
    with pytest.raises(NoteFrozen):
        signed.save()


def test_a_note_whose_pdf_is_being_made_cannot_be_published_yet(submitted, chief_executive, staff):
    meeting = _sign_without_running_the_job(chief_executive, submitted)
    with pytest.raises(sign_off.TransitionRefused, match="still being made"):
        sign_off.note_publish(user=staff, meeting=meeting)


def test_while_the_pdf_is_being_made_its_link_leads_to_the_job(
    submitted, chief_executive, chief_executive_client
):
    meeting = _sign_without_running_the_job(chief_executive, submitted)
    response = chief_executive_client.get(reverse("meetings:note-pdf", args=[meeting.pk]))
    job = note_pdf_job(meeting=meeting)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = chief_executive_client.get(meeting.get_absolute_url()).content.decode()
    assert "The signed PDF is being made" in page


def test_the_sign_page_leads_to_the_job_while_it_runs(submitted, chief_executive_client):
    url = reverse("meetings:note-sign", args=[submitted.pk])
    read = chief_executive_client.get(url).context["form"]["read_sha256"].value()
    response = chief_executive_client.post(url, {"read_sha256": read, "confirm": "on"})
    job = note_pdf_job(meeting=submitted)
    assert response["Location"] == job.get_absolute_url()  # the test's commit never comes
