"""Imports and the sweeper with a real broker (REDIS_URL) and a real worker on the S3 server:
an upload checked and applied by the worker, and a job row whose message never reached the
broker completed by the worker once swept (by the sweep here or the worker's as it starts)."""

from __future__ import annotations

import time

import pytest
from django.core.files.base import ContentFile

from jobs.models import Job
from jobs.services import jobs_sweep
from performance import services
from performance.models import CrimeCount, PendingImport
from performance.services import reference_data_load
from tests.performance.raw import lines

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EXTRACT = lines("force,month,category,count", "Lancashire,2013-10,Arson,41")


def _wait(job: Job, seconds: float = 90) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk} still {job.state} ({job.message}) after {seconds} s")


def test_the_worker_checks_then_applies_an_upload(worker, object_storage):
    from tests.performance.conftest import _user

    reference_data_load(with_crime=False, with_peer_groups=False)
    importer = _user("worker-importer", "view_performance", "import_data")
    pending = services.pending_import_store(
        user=importer, kind="monthly", upload=ContentFile(EXTRACT, name="x.csv"), options={}
    )
    check = _wait(services.import_check_enqueue(user=importer, pending=pending))
    assert check.state == "done", check.message
    assert check.result["has_changes"] is True and CrimeCount.objects.count() == 0
    applied = _wait(services.import_apply_enqueue(user=importer, pending=pending))
    assert applied.state == "done", applied.message
    assert CrimeCount.objects.get().count == 41 and not PendingImport.objects.exists()


def test_a_job_whose_message_was_lost_is_done_by_the_worker_after_the_sweep(worker):
    import datetime as dt

    from django.utils import timezone

    job = Job.objects.create(kind=Job.Kind.PEER_GROUPS, idempotency_key="lost")
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    # Nothing was sent for it: this sweep sends it, unless the worker's own sweep as it starts
    # (worker_ready) came first.
    jobs_sweep()
    job = _wait(job)
    assert (job.state, job.attempts) == ("done", 1)
