"""The body: the board or meeting series a meeting belongs to, with its own numbering, action
log and the style its record is printed in."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .bulk import SignalledQuerySet

# The standard items of a new meeting, unless the body says otherwise.
STANDARD_ITEMS = (
    "Apologies",
    "Note of the previous meeting",
    "Matters arising",
    "Action log",
    "Date of next meeting",
)


class Numbering(models.TextChoices):
    LETTERS = "letters", "Letters: a), b), c) …"
    NUMBERS = "numbers", "Numbers: 1., 2., 3. …"
    MINUTES = "minutes", "Minute numbers continuing from the previous meeting"


class AttendeeOrder(models.TextChoices):
    NAME_ROLE = "name_role", "Name – Role"
    ROLE_NAME = "role_name", "Role Name"


@dataclass(frozen=True)
class PrintStyle:
    """How a body's record is printed: kept with a note when it is signed, so that a body
    restyled later does not change a signed note.

    The attendance headings map onto what an attendance records: the present, in attendance
    and apologies headings are its ``kind``; the chair and note-taker headings, when a body
    uses them, take the attendee flagged as chairing or taking the note out of their kind's
    heading and list them on their own.
    """

    document_name: str = "Note"
    attendee_order: str = AttendeeOrder.NAME_ROLE
    show_initials: bool = False
    chair_heading: str = ""
    present_heading: str = "Present"
    in_attendance_heading: str = "In attendance"
    note_taker_heading: str = ""
    apologies_heading: str = "Apologies"

    @property
    def role_first(self) -> bool:
        return self.attendee_order == AttendeeOrder.ROLE_NAME

    def kind_label(self, kind: str) -> str:
        """The heading of an attendance kind ("present", "in_attendance", "apologies")."""
        return {
            "present": self.present_heading,
            "in_attendance": self.in_attendance_heading,
            "apologies": self.apologies_heading,
        }[kind]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> PrintStyle:
        known = {field.name for field in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


STYLE_FIELDS = tuple(field.name for field in fields(PrintStyle))


class Body(models.Model):
    """A board or meeting series ("Strategic Scrutiny Meeting", "Executive Board").

    Its numbering is the default of each new meeting (a meeting keeps its own); its action
    numbers run on across its meetings and no other body's; its print style is how its notes
    read.
    """

    name = models.CharField(
        max_length=200,
        help_text='For example "Strategic Scrutiny Meeting" or "Executive Board".',
    )
    description = models.TextField(
        blank=True, help_text="What the body is, for staff (shown on its page)."
    )
    document_name = models.CharField(
        "name of the record",
        max_length=100,
        default="Note",
        help_text='What its record is called: "Note", "Minutes", "Action Notes and Decision '
        'Record".',
    )
    numbering = models.CharField(
        "item numbering",
        max_length=20,
        choices=Numbering.choices,
        default=Numbering.LETTERS,
        help_text="The numbering of a new meeting's items; a meeting can still change its own.",
    )
    first_action_number = models.PositiveIntegerField(
        default=1,
        help_text="The number of the body's first action in the portal (to continue a paper "
        "log); later actions run on from the last one.",
    )
    standard_items = models.TextField(
        blank=True,
        default="\n".join(STANDARD_ITEMS),
        help_text="The items each next meeting starts with, one per line. The one that "
        'mentions "previous meeting" is linked to the previous meeting\'s record.',
    )
    usual_attendance = models.TextField(
        blank=True,
        help_text="Who usually attends, listed on each new meeting of the body to confirm: one "
        "person a line as the attendance paste reads it, under heading lines.",
    )
    attendee_order = models.CharField(
        "print attendees as",
        max_length=20,
        choices=AttendeeOrder.choices,
        default=AttendeeOrder.NAME_ROLE,
    )
    show_initials = models.BooleanField(
        "print initials", default=False, help_text='After the name, e.g. "Clive Grunshaw (CG)".'
    )
    chair_heading = models.CharField(
        max_length=100,
        blank=True,
        help_text='e.g. "In the Chair". Empty: the chair is listed under the heading of their '
        'kind, marked "(Chair)".',
    )
    present_heading = models.CharField(max_length=100, default="Present")
    in_attendance_heading = models.CharField(max_length=100, default="In attendance")
    note_taker_heading = models.CharField(
        "note-taker heading",
        max_length=100,
        blank=True,
        help_text='e.g. "Minute taker". Empty: listed under the heading of their kind, marked '
        '"(Note taker)".',
    )
    apologies_heading = models.CharField(max_length=100, default="Apologies")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = SignalledQuerySet.as_manager()  # the public facets read the bodies

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="body_name_unique",
                violation_error_message="A body with this name already exists.",
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="body_has_name",
                violation_error_message="Give the body a name.",
            ),
            models.CheckConstraint(
                condition=~Q(document_name=""),
                name="body_names_its_record",
                violation_error_message="Say what the body's record is called.",
            ),
            models.CheckConstraint(
                condition=~Q(present_heading="")
                & ~Q(in_attendance_heading="")
                & ~Q(apologies_heading=""),
                name="body_has_attendance_headings",
                violation_error_message="The present, in attendance and apologies headings "
                "cannot be empty.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:body-detail", args=[self.pk])

    @property
    def print_style(self) -> PrintStyle:
        return PrintStyle(**{name: getattr(self, name) for name in STYLE_FIELDS})

    def standard_item_titles(self) -> list[str]:
        return [line.strip() for line in self.standard_items.splitlines() if line.strip()]
