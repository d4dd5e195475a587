"""The Celery application of the background jobs (jobs/, and each app's tasks.py).

With a broker (CELERY_BROKER_URL, or REDIS_URL) jobs go to `make worker`; without one they run
in the web process as they are queued, so that `make run` needs nothing more.
"""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")

app = Celery("scrutiny")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _sweep_on_start(**kwargs) -> None:
    """A worker starting (after a crash, a deploy) sends again the jobs left without a worker:
    the periodic path needs no beat, only workers restarting or cron running sweep_jobs."""
    from jobs.services import jobs_sweep

    jobs_sweep()
