"""The action log: numbered actions raised at one meeting and followed up at later ones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .notes import AgendaItem, Meeting, NoteContent, Person


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Action.Status.CLOSED)


class Action(NoteContent):
    """A numbered entry of the action log, raised at one meeting and followed up at later ones.

    What was raised freezes with the meeting that raised it; its status moves on with the
    updates recorded at later meetings, so status fields stay changeable after signing.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    meeting_path = "raised_at"
    fields_changeable_when_frozen = frozenset({"status", "closed_on", "closed_at_id", "version"})

    number = models.PositiveIntegerField(unique=True, help_text="Its number in the action log.")
    raised_at = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name="raised under",
    )
    description = models.TextField()
    owners = models.ManyToManyField(Person, related_name="actions")
    due = models.DateField("due by", null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closed_at = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="closed_actions"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[owners])

    objects = ActionQuerySet.as_manager()

    class Meta(NoteContent.Meta):
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(description=""),
                name="action_has_description",
                violation_error_message="Describe the action.",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False),
                name="closed_action_has_date",
                violation_error_message="A closed action needs the date it was closed.",
            ),
        ]

    def __str__(self) -> str:
        return f"Action {self.number}: {self.description[:60]}"


class ActionUpdate(NoteContent):
    """Progress on an action recorded at a (later) meeting; freezes with that meeting."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_updates")
    text = models.TextField()
    status = models.CharField(max_length=20, choices=Action.Status.choices)
    recorded_on = models.DateField(default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta(NoteContent.Meta):
        ordering = ["action", "recorded_on", "id"]

    def __str__(self) -> str:
        return f"Update on action {self.action.number} at {self.meeting}"
