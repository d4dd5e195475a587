"""Reading the meetings of a series: those that come after a meeting."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import FROZEN_STATUSES, Meeting


def later_meetings(*, meeting: Meeting) -> QuerySet[Meeting]:
    """The later meetings of ``meeting``'s series whose notes are not yet signed, soonest first:
    where an exception report can be deferred to."""
    return (
        Meeting.objects.filter(title=meeting.title, start__gt=meeting.start)
        .exclude(status__in=FROZEN_STATUSES)
        .order_by("start", "id")
    )
