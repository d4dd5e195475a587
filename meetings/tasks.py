"""The meetings' background jobs: thin shells over services (jobs.services.job_run)."""

from celery import shared_task

from jobs.services import job_run


@shared_task(bind=True, max_retries=3)
def note_pdf_store(self, job_id: int) -> None:
    """Render, sign and store the PDF of a note just signed (``sign_off.note_pdf_store``)."""
    from .services import sign_off

    job_run(
        task=self,
        job_id=job_id,
        work=lambda job, progress: sign_off.note_pdf_store(
            meeting_id=job.arguments["meeting"], progress=progress
        ),
    )
