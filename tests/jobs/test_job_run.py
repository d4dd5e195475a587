"""Queueing and running a job: once per key, only once its transaction commits, retried when
a step fails, failed with a message for the user (never the error) when retries run out."""

import pytest
from django.db import transaction

from jobs.models import Job
from jobs.services import FAILED_MESSAGE, JobRefused, job_enqueue, job_run

pytestmark = pytest.mark.django_db


class Task:
    """What job_run asks of its Celery task: the retries so far, the limit, and a retry that
    runs the task again (as Celery does in-process)."""

    max_retries = 2

    def __init__(self, work):
        self.work, self.delivered = work, []

        class Request:
            retries = 0

        self.request = Request()

    def delay(self, job_id):
        self.delivered.append(job_id)
        job_run(task=self, job_id=job_id, work=self.work)

    def retry(self, exc, countdown):
        self.request.retries += 1
        job_run(task=self, job_id=self.delivered[-1], work=self.work)
        return _Retried()


class _Retried(Exception):
    pass


def _enqueue(task, key="k"):
    return job_enqueue(kind=Job.Kind.NOTE_PDF, key=key, user=None, task=task)


def test_a_job_is_handed_to_its_task_only_once_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    task = Task(lambda job, progress: "Made.")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _enqueue(task)
        raise RuntimeError("the request fails after asking for the job")
    assert callbacks == []
    assert not Job.objects.exists() and task.delivered == []
    with django_capture_on_commit_callbacks(execute=True):
        job = _enqueue(task)
    job.refresh_from_db()
    assert (job.state, job.progress, job.message, job.attempts) == ("done", 100, "Made.", 1)
    assert job.started_at and job.finished_at


def test_the_same_key_twice_is_one_job_delivered_once(django_capture_on_commit_callbacks):
    task = Task(lambda job, progress: None)
    with django_capture_on_commit_callbacks(execute=True):
        first, second = _enqueue(task), _enqueue(task)
    assert first.pk == second.pk and task.delivered == [first.pk]


def test_a_job_done_is_not_run_again(django_capture_on_commit_callbacks):
    runs = []
    task = Task(lambda job, progress: runs.append(job.pk))
    with django_capture_on_commit_callbacks(execute=True):
        job = _enqueue(task)
    job_run(task=task, job_id=job.pk, work=task.work)  # delivered again
    assert len(runs) == 1


def test_progress_is_on_the_row_while_it_runs(django_capture_on_commit_callbacks):
    seen = []

    def work(job, progress):
        progress(40, "Halfway.")
        seen.append(Job.objects.values_list("state", "progress", "message").get(pk=job.pk))

    with django_capture_on_commit_callbacks(execute=True):
        _enqueue(Task(work))
    assert seen == [("running", 40, "Halfway.")]


def test_a_failing_step_is_retried_then_the_job_fails_without_the_error(
    django_capture_on_commit_callbacks,
):
    def work(job, progress):
        raise OSError("disk full at /srv/secret/path")

    task = Task(work)
    with pytest.raises(_Retried), django_capture_on_commit_callbacks(execute=True):
        job = _enqueue(task)
    job = Job.objects.get()
    assert (job.state, job.attempts) == ("failed", 3)
    assert job.message == FAILED_MESSAGE and "secret" not in job.message


def test_a_step_that_a_retry_finishes_ends_done(django_capture_on_commit_callbacks):
    attempts = []

    def work(job, progress):
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("the store did not answer")
        return "Made on the second attempt."

    with pytest.raises(_Retried), django_capture_on_commit_callbacks(execute=True):
        _enqueue(Task(work))
    job = Job.objects.get()
    assert (job.state, job.attempts, job.message) == ("done", 2, "Made on the second attempt.")


def test_a_refusal_fails_the_job_at_once_with_its_reason(django_capture_on_commit_callbacks):
    def work(job, progress):
        raise JobRefused("The note is not signed.")

    with django_capture_on_commit_callbacks(execute=True):
        _enqueue(Task(work))
    job = Job.objects.get()
    assert (job.state, job.attempts, job.message) == ("failed", 1, "The note is not signed.")
