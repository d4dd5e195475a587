"""The Celery application of the background jobs (jobs/, and each app's tasks.py).

With a broker (CELERY_BROKER_URL, or REDIS_URL) jobs go to `make worker`; without one they run
in the web process as they are queued, so that `make run` needs nothing more.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")

app = Celery("scrutiny")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
