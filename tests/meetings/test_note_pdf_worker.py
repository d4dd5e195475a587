"""Signing with a real broker (REDIS_URL) and a real worker (make worker) on the S3 server:
the job is done by the worker, and a worker killed mid-job leaves a job that the next worker
completes, its stored PDF's hash equal to its row's."""

from __future__ import annotations

import hashlib
import time

import pytest

from jobs.models import Job
from meetings import demo
from meetings.models import Meeting
from meetings.selectors.sign_off import note_pdf_job
from meetings.services import sign_off

# Committed, for the worker to see; the roles the migrations created are reloaded after.
pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _submitted(staff) -> Meeting:
    meeting, _ = demo.load_reference_meeting()
    return sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)


def _sign(chief_executive, meeting) -> Job:
    read = sign_off.note_snapshot_keep(meeting=meeting)
    sign_off.note_sign(user=chief_executive, meeting=meeting, read_sha256=read)  # commits
    return note_pdf_job(meeting=meeting)


def _wait(job: Job, states: set[str], seconds: float) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in states:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk} still {job.state} ({job.message}) after {seconds} s")


def _stored_sha256(object_storage, meeting: Meeting) -> str:
    s3, bucket = object_storage
    body = s3.get_object(Bucket=bucket, Key=meeting.pdf.name)["Body"].read()
    return hashlib.sha256(body).hexdigest()


def test_the_worker_renders_signs_and_stores_the_pdf(
    worker, object_storage, staff, chief_executive
):
    meeting = _submitted(staff)
    job = _wait(_sign(chief_executive, meeting), {"done", "failed"}, 90)
    assert (job.state, job.progress) == ("done", 100), job.message
    meeting.refresh_from_db()
    assert meeting.pdf_sha256 == _stored_sha256(object_storage, meeting)


def test_a_worker_killed_mid_job_leaves_it_to_the_next_worker(
    worker, object_storage, staff, chief_executive
):
    meeting = _submitted(staff)
    job = _wait(_sign(chief_executive, meeting), {"running", "done"}, 90)
    assert job.state == "running", "the job finished before the worker could be killed"
    worker.kill()
    time.sleep(1)
    job.refresh_from_db()
    assert job.state == "running"
    assert not Meeting.objects.get(pk=meeting.pk).pdf_sha256

    worker.start()
    job = _wait(job, {"done", "failed"}, 120)
    assert job.state == "done", job.message
    assert job.attempts >= 2
    meeting.refresh_from_db()
    assert meeting.pdf_sha256 == _stored_sha256(object_storage, meeting)
