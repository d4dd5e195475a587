"""Reading bodies: the list of them, a body's meetings, and the previous meeting of a body."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from ..models import Action, Body, Meeting


def body_list() -> QuerySet[Body]:
    """Every body with how many meetings it has held and how many actions it has open."""
    return Body.objects.annotate(
        meeting_count=Count("meetings", distinct=True),
        open_action_count=Count(
            "actions", filter=~Q(actions__status=Action.Status.CLOSED), distinct=True
        ),
    ).order_by("name", "id")


def body_meetings(*, body: Body) -> QuerySet[Meeting]:
    """The body's meetings, latest first, each revision on its own row."""
    return body.meetings.order_by("-start", "-revision_number", "-id")


def previous_meeting_of_body(
    *, body: Body, before: dt.datetime, exclude: Meeting | None = None
) -> Meeting | None:
    """The body's last meeting held before ``before``: its latest revision, as the record of
    that meeting stands."""
    meetings = Meeting.objects.filter(body=body, start__lt=before)
    if exclude is not None and exclude.pk is not None:
        meetings = meetings.exclude(pk=exclude.pk)
    return meetings.order_by("-start", "-revision_number", "-id").first()
