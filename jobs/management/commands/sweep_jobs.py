"""Send again the jobs whose message the broker lost or whose worker died (run by cron, and by
each worker as it starts)."""

import datetime as dt

from django.core.management.base import BaseCommand

from jobs.services import jobs_sweep


class Command(BaseCommand):
    help = "Send again jobs left queued or running with no sign of life past a timeout."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            help="Seconds without a change (default: JOBS_SWEEP_AFTER_SECONDS).",
        )

    def handle(self, *args, older_than=None, **options):
        sent = jobs_sweep(
            older_than=dt.timedelta(seconds=older_than) if older_than is not None else None
        )
        self.stdout.write(f"Jobs sent again: {len(sent)}" + (f" ({sent})" if sent else ""))
