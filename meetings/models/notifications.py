"""Emails the portal sends: what kinds there are, who opted out of which, reminders sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .action_log import Action
from .notes import Person


class NotificationKind(models.TextChoices):
    """Each kind of email, as the preferences page names it."""

    NOTE_SUBMITTED = "note_submitted", "A note is submitted for signature"
    NOTE_RETURNED = "note_returned", "A note you submitted is returned with comments"
    NOTE_SIGNED = "note_signed", "A note is signed"
    REPORT_AWAITING_CONCLUSION = (
        "report_awaiting_conclusion",
        "An exception report awaits the Commissioner's conclusion",
    )
    ACTION_REMINDER = "action_reminder", "An action you own or lead is due soon or overdue"


class NotificationOptOut(models.Model):
    """One person's refusal of one kind of email: everyone receives every kind by default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_opt_outs"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_opt_out_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} receives no email when {self.get_kind_display().lower()}"


class ActionReminder(models.Model):
    """A reminder sent to one person about one action on one day: the daily run sends each
    once a day however often it runs."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()
    email = models.EmailField()
    overdue = models.BooleanField()

    class Meta:
        ordering = ["-sent_on", "action", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "person", "sent_on"], name="action_reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder of action {self.action.number} to {self.person} on {self.sent_on}"
