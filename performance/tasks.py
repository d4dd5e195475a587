"""The performance data's background jobs: thin shells over services (jobs.services.job_run)."""

from celery import shared_task

from jobs.services import job_run


@shared_task(bind=True, max_retries=3)
def import_check(self, job_id: int) -> None:
    """Read and check an uploaded file, and work out its preview."""
    from . import services

    job_run(task=self, job_id=job_id, work=services.import_check_work)


@shared_task(bind=True, max_retries=3)
def import_apply(self, job_id: int) -> None:
    """Apply a previewed upload, all or nothing."""
    from . import services

    job_run(task=self, job_id=job_id, work=services.import_apply_work)


@shared_task(bind=True, max_retries=3)
def peer_groups_compute(self, job_id: int) -> None:
    """Compute the peer groups from every complete financial year."""
    from . import services

    job_run(task=self, job_id=job_id, work=services.peer_groups_work)
