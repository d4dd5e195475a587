"""What the public may see: published notes only, restricted items without their content."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from meetings.models import AgendaItem, Meeting


def published_notes() -> QuerySet[Meeting]:
    return Meeting.objects.filter(status=Meeting.Status.PUBLISHED).order_by("-start", "-id")


def published_note_search(query: str) -> QuerySet[Meeting]:
    """Published notes whose title, or the title or note of an unrestricted item, match.

    PostgreSQL uses full-text search (stemmed English, web-search syntax); SQLite, which has
    no such search built in, needs every word to appear somewhere.
    """
    query = query.strip()
    notes = published_notes()
    if not query:
        return notes
    open_items = AgendaItem.objects.filter(
        meeting__status=Meeting.Status.PUBLISHED, is_restricted=False
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        search = SearchQuery(query, config="english", search_type="websearch")
        matching_items = open_items.annotate(
            document=SearchVector("title", "narrative", config="english")
        ).filter(document=search)
        matching_titles = notes.annotate(
            document=SearchVector("title", "venue", config="english")
        ).filter(document=search)
        return notes.filter(
            Q(pk__in=matching_items.values("meeting_id")) | Q(pk__in=matching_titles.values("pk"))
        )
    for word in re.findall(r"\w+", query)[:10]:
        item_match = open_items.filter(Q(title__icontains=word) | Q(narrative__icontains=word))
        notes = notes.filter(
            Q(title__icontains=word)
            | Q(venue__icontains=word)
            | Q(pk__in=item_match.values("meeting_id"))
        )
    return notes


def superseding_revision(meeting: Meeting) -> Meeting | None:
    """The published revision that replaces this note, if there is one."""
    return Meeting.objects.filter(revises=meeting, status=Meeting.Status.PUBLISHED).first()


def calendar_meetings(*, now: dt.datetime) -> QuerySet[Meeting]:
    """The meetings the public calendar lists, in order: those of the past year whose note is
    published and, when ``PUBLIC_CALENDAR_SHOWS_SCHEDULED``, those from today on (their date,
    time, title and place only: what the Specified Information Order requires published).
    A past meeting whose note is not published is never listed."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    listed = Q(status=Meeting.Status.PUBLISHED, start__gte=now - dt.timedelta(days=365))
    if settings.PUBLIC_CALENDAR_SHOWS_SCHEDULED:
        listed |= Q(start__gte=today)
    return Meeting.objects.filter(listed, revises__isnull=True).order_by("start", "id")


def largest_published_pdf_size() -> int:
    """The size in bytes of the largest published note's PDF (0 when none is published).

    Cached until the next publication: one small aggregate query per call otherwise.
    """
    published = published_notes().exclude(pdf="")
    stamp = published.aggregate(count=Count("id"), last=Max("published_at"))
    last = stamp["last"].timestamp() if stamp["last"] else 0
    key = f"public:largest-pdf:{stamp['count']}:{last}"
    size = cache.get(key)
    if size is None:
        storage = Meeting._meta.get_field("pdf").storage
        sizes = []
        for name in published.values_list("pdf", flat=True):
            try:
                sizes.append(storage.size(name))
            except OSError:
                continue
        size = max(sizes, default=0)
        cache.set(key, size, timeout=24 * 60 * 60)
    return size
