"""Reading the note of a meeting: the list of meetings, and one meeting as its note reads; each a
fixed number of queries whatever the meeting's size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import AgendaItem, Attendance, Decision, Meeting


@dataclass(frozen=True)
class NumberedItem:
    label: str
    item: AgendaItem


@dataclass(frozen=True)
class MeetingNote:
    """A meeting as its note reads: attendance under its three headings, items in order."""

    meeting: Meeting
    present: list[Attendance]
    in_attendance: list[Attendance]
    apologies: list[Attendance]
    items: list[NumberedItem]

    @property
    def attendance_groups(self) -> list[tuple[str, list[Attendance]]]:
        """The attendance under the note's own headings, in the note's order."""
        return [
            ("Present", self.present),
            ("In attendance", self.in_attendance),
            ("Apologies", self.apologies),
        ]


def _count_of(model) -> Subquery:
    rows = (
        model.objects.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(rows), 0)


def meeting_list(*, upcoming: bool) -> QuerySet[Meeting]:
    """Meetings still to come (soonest first) or already held (latest first)."""
    now = timezone.now()
    # Counted in subqueries: two counts over joins would multiply items by attendees.
    meetings = Meeting.objects.annotate(
        item_count=_count_of(AgendaItem),
        attendance_count=_count_of(Attendance),
    )
    if upcoming:
        return meetings.filter(start__gte=now).order_by("start", "id")
    return meetings.filter(start__lt=now).order_by("-start", "-id")


def meeting_note(*, meeting: Meeting) -> MeetingNote:
    attendances = list(
        meeting.attendances.select_related("person", "on_behalf_of").order_by("position", "id")
    )
    items = list(
        meeting.items.prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("position", "id"))
        ).order_by("position", "id")
    )
    by_kind: dict[str, list[Attendance]] = {kind: [] for kind in Attendance.Kind.values}
    for attendance in attendances:
        by_kind[attendance.kind].append(attendance)
    return MeetingNote(
        meeting=meeting,
        present=by_kind[Attendance.Kind.PRESENT],
        in_attendance=by_kind[Attendance.Kind.IN_ATTENDANCE],
        apologies=by_kind[Attendance.Kind.APOLOGIES],
        items=[
            NumberedItem(label=meeting.item_label(index), item=item)
            for index, item in enumerate(items)
        ],
    )


def item_label(*, item: AgendaItem) -> str:
    """The label of one item, e.g. "c)", from its place among the meeting's items."""
    index = item.meeting.items.filter(position__lt=item.position).count()
    return item.meeting.item_label(index)
