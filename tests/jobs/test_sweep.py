"""The sweeper sends again a job whose message the broker lost or whose worker died: a job
row left queued or running with no sign of life past the timeout is completed after a sweep;
one that is recent, or finished, is left alone."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobs.models import Job
from jobs.services import jobs_sweep

pytestmark = pytest.mark.django_db


def _stale(state: str, *, minutes: int = 30, key: str = "peer-groups:lost") -> Job:
    """A job row whose message never reached a worker (nothing was sent for it)."""
    job = Job.objects.create(kind=Job.Kind.PEER_GROUPS, idempotency_key=key, state=state)
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=minutes))
    return job


def test_a_job_whose_message_was_lost_is_completed_after_the_sweep(capsys):
    job = _stale(Job.State.QUEUED)
    call_command("sweep_jobs")
    assert f"Jobs sent again: 1 ([{job.pk}])" in capsys.readouterr().out
    job.refresh_from_db()
    assert (job.state, job.progress, job.attempts) == ("done", 100, 1)
    assert job.message == "Computed peer groups: no forces"


def test_a_job_whose_worker_died_running_is_run_again():
    job = _stale(Job.State.RUNNING)
    Job.objects.filter(pk=job.pk).update(attempts=1)
    assert jobs_sweep() == [job.pk]
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("done", 2)


def test_recent_and_finished_jobs_are_left_alone(settings):
    settings.JOBS_SWEEP_AFTER_SECONDS = 3600
    recent = _stale(Job.State.QUEUED, minutes=30, key="recent")
    done = _stale(Job.State.DONE, minutes=600, key="done")
    failed = _stale(Job.State.FAILED, minutes=600, key="failed")
    assert jobs_sweep() == []
    for job in (recent, done, failed):
        before = job.state
        job.refresh_from_db()
        assert job.state == before and job.attempts == 0
    assert jobs_sweep(older_than=dt.timedelta(minutes=10)) == [recent.pk]
