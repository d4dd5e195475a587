"""Each role's work in front of them: the notes, reports and actions waiting for someone, and
their counts for the navigation, each in one query whatever their number."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Func, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .. import roles
from ..models import Action, ExceptionReport, Meeting, NoteTransition
from .action_log import _with_people

Status = Meeting.Status
User = get_user_model()


def _latest_transition(field: str) -> Subquery:
    return Subquery(
        NoteTransition.objects.filter(meeting=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values(field)[:1]
    )


def _with_last_step(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Meetings annotated with their last sign-off step: where from, its comment and when."""
    return meetings.annotate(
        last_from=_latest_transition("from_status"),
        last_comment=_latest_transition("comment"),
        last_step_at=_latest_transition("created_at"),
    )


_RETURNED = Q(status=Status.DRAFT, last_from=Status.SUBMITTED)


def returned_notes() -> QuerySet[Meeting]:
    """Drafts the signatory sent back, with their comments (``last_comment``), oldest first."""
    return (
        _with_last_step(Meeting.objects.select_related("body"))
        .filter(_RETURNED)
        .order_by("last_step_at", "id")
    )


def draft_notes() -> QuerySet[Meeting]:
    """Drafts being written (the returned ones are listed apart), the earliest meeting first."""
    return (
        _with_last_step(Meeting.objects.select_related("body"))
        .filter(status=Status.DRAFT)
        .exclude(last_from=Status.SUBMITTED, last_from__isnull=False)
        .order_by("start", "id")
    )


def meetings_coming_up(*, limit: int = 10) -> QuerySet[Meeting]:
    return (
        Meeting.objects.select_related("body")
        .filter(start__gte=timezone.now())
        .order_by("start", "id")[:limit]
    )


def notes_awaiting_signature() -> QuerySet[Meeting]:
    """Submitted notes, the one waiting longest first."""
    return (
        _with_last_step(Meeting.objects.select_related("body"))
        .filter(status=Status.SUBMITTED)
        .order_by("last_step_at", "id")
    )


@dataclass(frozen=True)
class Publication:
    """A signed note against the organisation's publication deadline."""

    meeting: Meeting
    deadline: dt.date

    @property
    def overdue(self) -> bool:
        """Signed, not published, and past its deadline."""
        return self.meeting.status == Status.SIGNED and timezone.localdate() > self.deadline

    @property
    def published_late(self) -> bool:
        published = self.meeting.published_at
        return published is not None and timezone.localdate(published) > self.deadline


def publication_deadline(meeting: Meeting) -> dt.date:
    """The day by which a signed note is to be published: PUBLICATION_DEADLINE_DAYS after the
    meeting was held."""
    held = timezone.localdate(meeting.start)
    return held + dt.timedelta(days=settings.PUBLICATION_DEADLINE_DAYS)


def signed_not_published() -> list[Publication]:
    """Signed notes not yet on the public site, the one signed first at the top."""
    meetings = (
        Meeting.objects.select_related("body")
        .filter(status=Status.SIGNED)
        .order_by("signed_at", "id")
    )
    return [Publication(meeting, publication_deadline(meeting)) for meeting in meetings]


def publication_tracker() -> list[Publication]:
    """Every signed note, published or not, against its deadline: the latest meeting first."""
    meetings = (
        Meeting.objects.select_related("body")
        .filter(status__in=[Status.SIGNED, Status.PUBLISHED])
        .order_by("-start", "-id")
    )
    return [Publication(meeting, publication_deadline(meeting)) for meeting in meetings]


def reports_awaiting_conclusion() -> QuerySet[ExceptionReport]:
    """Reports to be reported whose note is still a draft (where a conclusion can still be
    recorded) with neither a conclusion nor a deferral."""
    return (
        ExceptionReport.objects.select_related("meeting", "meeting__body")
        .filter(
            status=ExceptionReport.Status.ACCEPTED,
            meeting__status=Status.DRAFT,
            conclusion="",
            deferred_to__isnull=True,
        )
        .order_by("meeting__start", "position", "id")
    )


def _mine(user: AbstractBaseUser) -> Q:
    return Q(owners__user=user) | Q(lead__user=user)


def my_open_actions(*, user: AbstractBaseUser) -> QuerySet[Action]:
    """The open actions the user's person owns or leads, the first due first (undated last)."""
    return (
        _with_people(Action.objects.open().filter(_mine(user)))
        .order_by(F("due").asc(nulls_last=True), "body__name", "number")
        .distinct()
    )


def reminder_horizon() -> dt.date:
    """Actions due on or before this day are "due soon" (or overdue)."""
    return timezone.localdate() + dt.timedelta(days=settings.ACTION_REMINDER_DAYS)


@dataclass(frozen=True)
class QueueCounts:
    """What waits for one person, by queue; ``None`` for a queue that is not theirs."""

    returned: int | None = None
    to_publish: int | None = None
    to_sign: int | None = None
    to_conclude: int | None = None
    actions_due: int | None = None

    @property
    def total(self) -> int:
        return sum(
            count
            for count in (
                self.returned,
                self.to_publish,
                self.to_sign,
                self.to_conclude,
                self.actions_due,
            )
            if count
        )


def _counted(queryset: QuerySet) -> Subquery:
    """``SELECT COUNT(DISTINCT id)`` of ``queryset``, as a subquery."""
    count = Func(F("pk"), function="COUNT", template="%(function)s(DISTINCT %(expressions)s)")
    return Subquery(queryset.order_by().annotate(n=count).values("n")[:1])


# A bound on how long a process keeps counts when its cache is not shared with the process
# that changed what they count (with a shared cache, a change is seen at once).
QUEUE_COUNTS_CACHE_SECONDS = 300


def queue_counts(*, user: AbstractBaseUser) -> QueueCounts:
    """The counts of the queues that are the user's, cached per user under the ``queues``
    version (bumped by every write that can change them: ``services.queues``), the user's
    permissions version and the day (what is due soon moves with it); else one query."""
    from django.core.cache import cache

    from scrutiny import cache as keys

    cached_as = keys.key(
        "queue-counts",
        keys.version("queues"),
        keys.version("permissions"),
        timezone.localdate().isoformat(),
        user.pk,
    )
    counted = cache.get(cached_as)
    if counted is None:
        counted = _queue_counts(user)
        cache.set(cached_as, counted, timeout=QUEUE_COUNTS_CACHE_SECONDS)
    return counted


def _queue_counts(user: AbstractBaseUser) -> QueueCounts:
    """The counts, all in one query (one subquery a count), so that every page's navigation
    costs the same whatever the queues hold."""
    counts: dict[str, Subquery] = {}
    if user.has_perm(roles.EDIT_NOTE):
        counts["returned"] = _counted(_with_last_step(Meeting.objects.all()).filter(_RETURNED))
    if user.has_perm(roles.PUBLISH_NOTE):
        counts["to_publish"] = _counted(Meeting.objects.filter(status=Status.SIGNED))
    if user.has_perm(roles.SIGN_NOTE):
        counts["to_sign"] = _counted(Meeting.objects.filter(status=Status.SUBMITTED))
    if user.has_perm(roles.RECORD_CONCLUSION):
        counts["to_conclude"] = _counted(reports_awaiting_conclusion())
    counts["actions_due"] = _counted(
        Action.objects.open().filter(_mine(user), due__lte=reminder_horizon())
    )
    row = User.objects.filter(pk=user.pk).annotate(**counts).values(*counts).first()
    return QueueCounts(**(row or {}))
