"""What the public may see: published notes only, restricted items without their content."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Count, Max, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncYear
from django.utils import timezone

from meetings.models import Meeting
from meetings.selectors.sign_off import StoredPdf, stored_pdf
from scrutiny import cache as keys

PUBLISHED = Meeting.Status.PUBLISHED


def published_notes() -> QuerySet[Meeting]:
    # search_text is read by the search's WHERE only, never shown: not loaded with the rows.
    return Meeting.objects.filter(status=PUBLISHED).defer("search_text").order_by("-start", "-id")


def published_note_search(query: str) -> QuerySet[Meeting]:
    """Published notes whose title or venue, an unrestricted item's title or note, the names
    and roles of those who attended, an action's text or an exception report's text match;
    never what a restricted item holds (``meetings.selectors.note.search_sources``).

    Each note's text is written once when it is published (``Meeting.search_text``), so a
    search reads one column a note. PostgreSQL uses full-text search (stemmed English,
    web-search syntax) over it, parsed once into a column with an index of its own (migration
    0023); SQLite, which has no such search built in, needs every word (the first ten) to
    appear somewhere in the note.
    """
    query = query.strip()
    notes = published_notes()
    if not query:
        return notes
    if connection.vendor == "postgresql":
        # The generated column of migration 0023: the text parsed once, with a GIN index.
        matched = RawSQL(
            '"meetings_meeting"."search_document" @@ websearch_to_tsquery(\'english\', %s)',
            (query,),
            output_field=BooleanField(),
        )
        return notes.alias(matched=matched).filter(matched=True)
    for word in re.findall(r"\w+", query)[:10]:
        notes = notes.filter(search_text__icontains=word)
    return notes


def published_note_filter(
    notes: QuerySet[Meeting], *, body: int | None = None, year: int | None = None
) -> QuerySet[Meeting]:
    """``notes`` of one body and/or of one calendar year (of the meeting's day, local time)."""
    if body is not None:
        notes = notes.filter(body_id=body)
    if year is not None:
        start = timezone.make_aware(dt.datetime(year, 1, 1))
        notes = notes.filter(start__gte=start, start__lt=start.replace(year=year + 1))
    return notes


def published_note_facets() -> dict[str, list[dict]]:
    """The bodies and the years that have published notes, each with its count: two grouped
    queries, cached under the ``published`` version, so that an anonymous list page does not
    count every published note on every request."""
    cache_key = keys.key("published-facets", keys.version("published"))
    facets = cache.get(cache_key)
    if facets is None:
        facets = _published_note_facets()
        cache.set(cache_key, facets, timeout=None)
    return facets


def _published_note_facets() -> dict[str, list[dict]]:
    notes = Meeting.objects.filter(status=PUBLISHED).order_by()
    bodies = [
        {"id": row["body_id"], "name": row["body__name"], "count": row["count"]}
        for row in notes.values("body_id", "body__name")
        .annotate(count=Count("id"))
        .order_by("body__name")
    ]
    years = [
        {"year": row["year"].year, "count": row["count"]}
        for row in notes.annotate(year=TruncYear("start"))
        .values("year")
        .annotate(count=Count("id"))
        .order_by("-year")
    ]
    return {"bodies": bodies, "years": years}


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

    Read from the rows (``Meeting.pdf_size``, kept since the signing's job stores the file);
    only a note stored before sizes were kept is asked of the storage. Cached until the next
    publication: one small aggregate query per call otherwise.
    """
    published = published_notes().exclude(pdf="")
    stamp = published.aggregate(
        count=Count("id"), last=Max("published_at"), largest=Max("pdf_size")
    )
    last = stamp["last"].timestamp() if stamp["last"] else 0
    key = f"public:largest-pdf:{stamp['count']}:{last}"
    size = cache.get(key)
    if size is None:
        storage = Meeting._meta.get_field("pdf").storage
        sizes = [stamp["largest"] or 0]
        for name in published.filter(pdf_size__isnull=True).values_list("pdf", flat=True):
            try:
                sizes.append(storage.size(name))
            except OSError:
                continue
        size = max(sizes)
        cache.set(key, size, timeout=24 * 60 * 60)
    return size


def published_pdf(pk: int) -> StoredPdf | None:
    """What serving the published note ``pk``'s stored PDF needs, or None when no published
    note has that id or its PDF is not stored yet.

    Cached per note: a published note is frozen (its file, size and hash never change, and it
    stays published), so the download costs no query. Only a found note is cached: a note
    published later is found then."""
    key = keys.key("published-pdf", pk)
    stored = cache.get(key)
    if stored is None:
        # Not until its PDF is stored (the signing's job records the hash last).
        meeting = published_notes().exclude(pdf="").exclude(pdf_sha256="").filter(pk=pk).first()
        if meeting is None:
            return None
        stored = stored_pdf(meeting)
        if stored.size is None:  # stored before sizes were kept: asked of the storage once
            stored = replace(stored, size=meeting.pdf.size)
        cache.set(key, stored, timeout=None)
    return stored
