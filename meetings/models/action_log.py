"""The action log: numbered actions raised at one meeting and followed up at later ones."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .bodies import Body
from .notes import AgendaItem, Meeting, NoteContent, NoteContentQuerySet, Person


class ActionQuerySet(NoteContentQuerySet):
    """Guarded like every part of a note (bulk updates and deletes of what a signed note
    raised are refused), counted in *My work*, with the open actions."""

    def open(self):
        return self.exclude(status=Action.Status.CLOSED)


class ActionOwner(NoteContent):
    """One owner of an action, in the order they were given; freezes with the raising meeting."""

    meeting_path = "action__raised_at"

    action = models.ForeignKey("Action", on_delete=models.CASCADE, related_name="ownerships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ownerships")
    position = models.PositiveIntegerField(default=0)

    class Meta(NoteContent.Meta):
        # The table Django made for the owners before they had an order.
        db_table = "meetings_action_owners"
        ordering = ["action", "position", "id"]
        unique_together = [("action", "person")]

    def __str__(self) -> str:
        return f"{self.person} owns action {self.action.number}"


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

    # The body whose log the action is in: always the body of the meeting that raised it,
    # kept on the row so that numbers are unique per body.
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="actions")
    number = models.PositiveIntegerField(help_text="Its number in the body's action log.")
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
    lead = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions_led",
        help_text="Who answers for the action; need not have attended, nor be an owner.",
    )
    owners = models.ManyToManyField(Person, related_name="actions", through=ActionOwner)
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
        ordering = ["body", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"],
                name="action_number_once_per_body",
                violation_error_message="This number is already used in the body's action log.",
            ),
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

    def clean(self) -> None:
        super().clean()
        if self.raised_at_id and self.body_id:
            if Meeting._base_manager.filter(pk=self.raised_at_id, body_id=self.body_id).exists():
                return
            raise ValidationError("An action is in the log of the body of the meeting raising it.")


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
