"""Starting the next meeting of a series from the one before it."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ..models import AgendaItem, Meeting
from .editing import audit
from .exception_reports import exception_reports_propose
from .note import attendance_copy, meeting_create

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
    attendance_copy(source=previous, target=meeting, with_substitutes=False)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, title=title, position=position)
        for position, title in enumerate(STANDARD_ITEMS, start=1)
    )
    exception_reports_propose(user=user, meeting=meeting)
    audit(
        user,
        meeting,
        "meeting.from_previous",
        f"Started from {previous}: attendance carried over, standard items added",
        previous=previous.pk,
    )
    return meeting
