"""The daily run: remind owners and leads of the actions due soon or overdue."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from meetings.services.notifications import action_reminders_send


class Command(BaseCommand):
    help = (
        "Email each owner and lead of an open action due within ACTION_REMINDER_DAYS days, or "
        "overdue. Run it daily: a reminder is sent once a day however often it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="The day to run for, as YYYY-MM-DD (today when not given).",
        )

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date must be a day as YYYY-MM-DD, not {date!r}.") from error
        people, actions = action_reminders_send(today=today)
        self.stdout.write(
            f"Reminded {people} {'person' if people == 1 else 'people'} "
            f"of {actions} action{'' if actions == 1 else 's'}."
        )
