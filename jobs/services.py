"""Queueing a job and running it: its state, progress and outcome on its row, retries when a
step fails, and nothing done twice (a job done is not run again, whoever delivers it)."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .models import Job

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]

FAILED_MESSAGE = "This could not be completed. The administrator can see why in the logs."


class JobRefused(Exception):
    """The work cannot be done, and trying again will not help; the message says why, in
    words for the user."""


def job_enqueue(
    *,
    kind: str,
    key: str,
    user: AbstractBaseUser | None,
    task,
    arguments: dict | None = None,
    message: str = "",
    result_url: str = "",
) -> Job:
    """The job of ``key`` (made once), handed to ``task`` once the transaction commits: a job
    asked for in a transaction rolled back is never run."""
    job, created = Job.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "kind": kind,
            "arguments": arguments or {},
            "created_by": user if user is not None and user.is_authenticated else None,
            "message": message,
            "result_url": result_url,
        },
    )
    if created:
        transaction.on_commit(lambda: task.delay(job.pk))
    return job


def job_result_save(job: Job, result: dict) -> None:
    """Keep what the work found on the job's row (in the caller's transaction, if any)."""
    job.result = result
    Job.objects.filter(pk=job.pk).update(result=result, updated_at=timezone.now())


def _update(job: Job, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    Job.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


def job_run(*, task, job_id: int, work: Callable[..., str | None]) -> None:
    """Run ``work(job=…, progress=…)`` for the job, the thin shell of every task. A job done is
    left alone; a step that fails is tried again by ``task`` up to its ``max_retries``, then
    the job is failed with a message for the user (the error itself is logged)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.state == Job.State.DONE:
        return
    _update(
        job,
        state=Job.State.RUNNING,
        attempts=job.attempts + 1,
        started_at=job.started_at or timezone.now(),
    )

    def progress(percent: int, message: str) -> None:
        _update(job, progress=max(0, min(100, percent)), message=message[:500])

    try:
        outcome = work(job=job, progress=progress)
    except JobRefused as refusal:
        _update(job, state=Job.State.FAILED, message=str(refusal)[:500], finished_at=timezone.now())
        return
    except Exception as error:
        retries = task.request.retries or 0
        if retries < task.max_retries:
            logger.warning("Job %s failed (attempt %s); trying again", job.pk, job.attempts)
            _update(job, state=Job.State.QUEUED, message="A step failed; trying again.")
            raise task.retry(exc=error, countdown=2 ** (retries + 1)) from error
        logger.exception("Job %s failed after %s attempts", job.pk, job.attempts)
        _update(job, state=Job.State.FAILED, message=FAILED_MESSAGE, finished_at=timezone.now())
        return
    _update(
        job,
        state=Job.State.DONE,
        progress=100,
        message=(outcome or "Done.")[:500],
        finished_at=timezone.now(),
    )


# The task that runs each kind of job, for the sweeper to send a job again.
TASKS = {
    Job.Kind.NOTE_PDF: "meetings.tasks.note_pdf_store",
    Job.Kind.IMPORT_CHECK: "performance.tasks.import_check",
    Job.Kind.IMPORT_APPLY: "performance.tasks.import_apply",
    Job.Kind.PEER_GROUPS: "performance.tasks.peer_groups_compute",
}


def _task(kind: str):
    module, name = TASKS[kind].rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def jobs_sweep(*, older_than: dt.timedelta | None = None) -> list[int]:
    """Send again every job left queued or running with no sign of life (its row unchanged)
    for ``older_than`` (JOBS_SWEEP_AFTER_SECONDS): its message lost by the broker, or its
    worker gone. Sending a job twice is safe (a job done is not run again, and each job's
    work is idempotent). Returns the ids sent again."""
    if older_than is None:
        older_than = dt.timedelta(seconds=settings.JOBS_SWEEP_AFTER_SECONDS)
    stale = Job.objects.filter(
        state__in=[Job.State.QUEUED, Job.State.RUNNING],
        updated_at__lt=timezone.now() - older_than,
    ).values_list("pk", "kind")
    sent = []
    for pk, kind in list(stale):
        if kind not in TASKS:
            continue
        # Touch the row first: a second sweeper running meanwhile leaves it alone.
        if not Job.objects.filter(pk=pk, updated_at__lt=timezone.now() - older_than).update(
            updated_at=timezone.now()
        ):
            continue
        logger.warning("Job %s had no sign of life for %s; sending it again", pk, older_than)
        _task(kind).delay(pk)
        sent.append(pk)
    return sent
