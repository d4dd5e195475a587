"""Starting the next meeting of a body from the one before it, and recording whether the
record of the previous meeting was approved."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import STANDARD_ITEMS, AgendaItem, Meeting, PreviousOutcome
from .editing import audit, claim_version, require_note_editable, save_by
from .exception_reports import exception_reports_propose
from .note import attendance_copy, meeting_create

__all__ = [
    "STANDARD_ITEMS",
    "agenda_item_previous_minutes_record",
    "meeting_create_from_previous",
    "previous_minutes_item",
]


def previous_minutes_item(titles: list[str]) -> int | None:
    """Which standard item approves the previous meeting's record: the one that says so."""
    return next(
        (index for index, title in enumerate(titles) if "previous meeting" in title.lower()),
        None,
    )


@transaction.atomic
def meeting_create_from_previous(
    *,
    user: AbstractBaseUser,
    previous: Meeting,
    start: dt.datetime,
    has_start_time: bool = True,
    end: dt.datetime | None = None,
    venue: str | None = None,
) -> Meeting:
    """The next meeting of ``previous``'s body: its attendance carried over for confirmation,
    the body's standard items (the one on the previous meeting's record linked to it), and the
    exception reports due to return proposed again. Open actions of the body appear on its
    action log without copying; minute numbers run on."""
    first_minute = None
    if previous.numbering == Meeting.Numbering.MINUTES:
        first_minute = (previous.first_minute_number or 1) + previous.items.count()
    meeting = meeting_create(
        user=user,
        body=previous.body,
        title=previous.title,
        start=start,
        has_start_time=has_start_time,
        end=end,
        venue=previous.venue if venue is None else venue,
        numbering=previous.numbering,
        first_minute_number=first_minute,
        with_usual_attendance=False,
    )
    attendance_copy(source=previous, target=meeting, with_substitutes=False)
    titles = previous.body.standard_item_titles()
    linked = previous_minutes_item(titles)
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            title=title[:300],
            position=position,
            previous_meeting=previous if index == linked else None,
        )
        for index, (position, title) in enumerate(enumerate(titles, start=1))
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


@transaction.atomic
def agenda_item_previous_minutes_record(
    *,
    user: AbstractBaseUser,
    item: AgendaItem,
    previous_meeting: Meeting | None,
    outcome: str,
    note: str = "",
    expected_version: int | None = None,
) -> AgendaItem:
    """Record under ``item`` whether the record of an earlier meeting of the body was approved,
    approved with amendments, or not approved (to be resubmitted)."""
    meeting = item.meeting
    require_note_editable(user=user, meeting=meeting)
    errors = {}
    if outcome and outcome not in PreviousOutcome.values:
        errors["outcome"] = "Choose approved, approved with amendments or not approved."
    if previous_meeting is not None:
        if previous_meeting.body_id != meeting.body_id:
            errors["previous_meeting"] = "Choose a meeting of the same body."
        elif previous_meeting.pk == meeting.pk or previous_meeting.start >= meeting.start:
            errors["previous_meeting"] = "Choose a meeting held before this one."
    if not outcome and note.strip():
        errors["outcome"] = "Give the outcome the amendments or reasons go with."
    if errors:
        raise ValidationError(errors)
    claim_version(item, expected_version)
    item.previous_meeting = previous_meeting
    item.previous_outcome = outcome
    item.previous_outcome_note = note.strip()
    item.full_clean()
    save_by(
        item,
        user,
        ["previous_meeting", "previous_outcome", "previous_outcome_note", "updated_at"],
    )
    label = PreviousOutcome(outcome).label.lower() if outcome else "no outcome"
    audit(
        user,
        meeting,
        "item.previous_minutes",
        f"Recorded the previous meeting's record under {item.title}: {label}",
        item=item.pk,
    )
    return item
