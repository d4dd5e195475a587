"""A meeting of a series starts from the one before it."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .exception_reports import exception_reports_propose
from .models import AgendaItem, Attendance, AuditEvent, Meeting
from .services import meeting_create

STANDARD_ITEMS = (
    "Apologies",
    "Note of the previous meeting",
    "Matters arising",
    "Action log",
    "Date of next meeting",
)


@transaction.atomic
def meeting_create_from_previous(
    *,
    user: AbstractBaseUser,
    previous: Meeting,
    start: dt.datetime,
    end: dt.datetime | None = None,
    venue: str | None = None,
) -> Meeting:
    """The next meeting of ``previous``'s series: its attendance carried over for confirmation,
    the standard items, and the exception reports due to return proposed again. Open actions
    appear on its action log without copying."""
    first_minute = None
    if previous.numbering == Meeting.Numbering.MINUTES:
        first_minute = (previous.first_minute_number or 1) + previous.items.count()
    meeting = meeting_create(
        user=user,
        title=previous.title,
        start=start,
        end=end,
        venue=previous.venue if venue is None else venue,
        numbering=previous.numbering,
        first_minute_number=first_minute,
    )
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            person_id=a.person_id,
            kind=a.kind,
            role=a.role,
            is_chair=a.is_chair,
            is_note_taker=a.is_note_taker,
            position=a.position,
        )
        for a in previous.attendances.filter(on_behalf_of__isnull=True)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, title=title, position=position)
        for position, title in enumerate(STANDARD_ITEMS, start=1)
    )
    exception_reports_propose(user=user, meeting=meeting)
    AuditEvent.objects.create(
        actor=user,
        meeting=meeting,
        verb="meeting.from_previous",
        summary=f"Started from {previous}: attendance carried over, standard items added",
        extra={"previous": previous.pk},
    )
    return meeting
