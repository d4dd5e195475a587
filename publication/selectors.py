"""What the public may see: published notes only, restricted items without their content."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, TruncYear
from django.utils import timezone

from meetings import search_index
from meetings.models import Meeting
from meetings.selectors.sign_off import StoredPdf, stored_pdf
from scrutiny import cache as keys

PUBLISHED = Meeting.Status.PUBLISHED


def published_notes() -> QuerySet[Meeting]:
    # search_text is read by the search's WHERE only, never shown: not loaded with the rows.
    return Meeting.objects.filter(status=PUBLISHED).defer("search_text").order_by("-start", "-id")


class _NoteMatch(Func):
    """A full-text condition on the meetings' table under whatever alias the query gives it
    (a subquery's is not ``meetings_meeting``): the index it reads is no field of the model,
    so the alias comes from the compiled id column. ``condition`` is SQL with one ``%s``, for
    ``searched``, given the id column."""

    output_field = BooleanField()

    def __init__(self, searched: str) -> None:
        super().__init__(F("pk"))
        self.searched = searched

    def condition(self, id_column: str) -> str:
        raise NotImplementedError

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return self.condition(column), (*params, self.searched)


class _SearchDocumentMatch(_NoteMatch):
    """PostgreSQL: ``search_document @@ websearch_to_tsquery('english', query)``, the
    generated column of migration 0023 (the text parsed once) with its GIN index."""

    def condition(self, id_column: str) -> str:
        table = id_column.rsplit(".", 1)[0]
        return f"{table}.\"search_document\" @@ websearch_to_tsquery('english', %s)"


class _SqliteSearchMatch(_NoteMatch):
    """SQLite: the note's id among those its FTS5 index (``meetings.search_index``) finds for
    every one of ``words``, each a quoted string (FTS5's own syntax is never read from the
    query)."""

    def __init__(self, words: list[str]) -> None:
        super().__init__(" ".join(f'"{word}"' for word in words))

    def condition(self, id_column: str) -> str:
        table = search_index.TABLE
        return f"{id_column} IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)"


def published_note_search(query: str) -> QuerySet[Meeting]:
    """Published notes whose title or venue, an unrestricted item's title or note, the names
    and roles of those who attended, an action's text or an exception report's text match;
    never what a restricted item holds (``meetings.selectors.note.search_sources``).

    Each note's text is written once when it is published (``Meeting.search_text``), so a
    search reads one column a note. PostgreSQL uses full-text search (stemmed English,
    web-search syntax) over it, parsed once into a column with an index of its own (migration
    0023). SQLite needs every word (the first ten) to be in the note: as a word, stemmed alike,
    from its FTS5 index (migration 0029, ``meetings.search_index``), or where SQLite has no
    FTS5, anywhere in the note's text, which is then read note by note.
    """
    query = query.strip()
    notes = published_notes()
    if not query:
        return notes
    if connection.vendor == "postgresql":
        return notes.alias(matched=_SearchDocumentMatch(query)).filter(matched=True)
    words = re.findall(r"[^\W_]+", query)[:10]
    if not words:
        return notes
    if search_index.has_sqlite_index(connection):
        return notes.alias(matched=_SqliteSearchMatch(words)).filter(matched=True)
    for word in words:
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


# Notes counted in a facet: (body's id, body's name, year of the meeting, notes).
FacetRow = tuple[int, str, int, int]


def published_note_facets(
    *, query: str = "", body: int | None = None, year: int | None = None, cap: int = 200
) -> dict[str, list[dict]]:
    """The bodies and the years to browse by, each with the count of the notes it would list
    (the usual faceted-search rule): a body's count is of the notes of the chosen year that
    match the search, a year's of the notes of the chosen body that match the search; a facet
    is never counted under its own choice. A body or year with no such note is left out,
    except the one chosen, which is always listed (with 0 if so).

    Without a search every count comes from one grouped query (body × year) of all published
    notes, cached under the ``published`` version: browsing by body or year costs no query.
    A search adds one grouped query a facet (one when nothing is chosen), not cached, each over
    at most ``cap`` + 1 matches, as the search's own count is: past that, the facet lists what
    it would without the search, with no counts (``count`` None), as the search's heading
    says "More than ``cap``".
    """
    every = _facet_rows_of_every_note()
    names = {row[0]: row[1] for row in every}
    if query.strip():
        matches = published_note_search(query)
        by_year = _facet_rows(published_note_filter(matches, year=year), cap=cap)
        by_body = (
            by_year
            if body is None and year is None
            else _facet_rows(published_note_filter(matches, body=body), cap=cap)
        )
    else:
        by_year = by_body = every
    return {
        "bodies": sorted(
            (
                {"id": pk, "name": names.get(pk, ""), "count": count}
                for pk, count in _facet(by_year, every, 0, other=(2, year), chosen=body).items()
            ),
            key=lambda b: (b["name"], b["id"]),
        ),
        "years": [
            {"year": y, "count": count}
            for y, count in sorted(
                _facet(by_body, every, 2, other=(0, body), chosen=year).items(), reverse=True
            )
        ],
    }


def _facet(
    rows: list[FacetRow] | None,
    every: list[FacetRow],
    column: int,
    *,
    other: tuple[int, int | None],
    chosen: int | None,
) -> dict[int, int | None]:
    """Counts by ``column`` (0 the body, 2 the year) of ``rows`` whose ``other`` column is the
    other facet's choice; when ``rows`` is None (capped), what ``every`` has, uncounted."""
    other_column, other_value = other
    counts: dict[int, int | None] = {}
    for row in every if rows is None else rows:
        if other_value is None or row[other_column] == other_value:
            value = row[column]
            counts[value] = None if rows is None else (counts.get(value) or 0) + row[3]
    if chosen is not None and any(row[column] == chosen for row in every):
        counts.setdefault(chosen, None if rows is None else 0)
    return counts


def _facet_rows_of_every_note() -> list[FacetRow]:
    cache_key = keys.key("published-facet-rows", keys.version("published"))
    rows = cache.get(cache_key)
    if rows is None:
        rows = _facet_rows(Meeting.objects.filter(status=PUBLISHED))
        cache.set(cache_key, rows, timeout=None)
    return rows


def _facet_rows(notes: QuerySet[Meeting], *, cap: int | None = None) -> list[FacetRow] | None:
    """``notes`` counted by body and by year (local time) in one grouped query; with a
    ``cap``, over at most ``cap`` + 1 of them, and None when there are more than ``cap``."""
    if cap is not None:
        notes = Meeting.objects.filter(pk__in=notes.order_by().values("pk")[: cap + 1])
    rows = [
        (row["body_id"], row["body__name"], getattr(row["year"], "year", row["year"]), row["count"])
        for row in by_body_and_year(notes)
    ]
    if cap is not None and sum(row[3] for row in rows) > cap:
        return None
    return rows


def by_body_and_year(notes: QuerySet[Meeting]) -> QuerySet:
    """``notes`` counted by body and local year, one row a body and year (``_facet_rows``)."""
    return (
        notes.order_by()
        .annotate(year=_local_year())
        .values("body_id", "body__name", "year")
        .annotate(count=Count("id"))
    )


def _local_year():
    """The year of each note's meeting in local time, to group by.

    ``TruncYear`` does it everywhere, but on SQLite through a Python function called for every
    row (the zone's rules are Python's): 11 ms for 2,003 notes, where PostgreSQL takes 2. Where
    the local time is the same offset from UTC at every New Year the notes span (London: UTC
    itself since 1972), the local year of any moment is the UTC year of that moment moved by
    that offset (a meeting within hours of New Year is in the New Year's offset; no zone
    changes its clocks then), which SQLite's own ``strftime`` gives. Else ``TruncYear``. The
    years spanned are those of every meeting (the first and last by the date index: one cheap
    query), a span at least as wide as that of any notes grouped."""
    if connection.vendor != "sqlite":
        return TruncYear("start")
    span = Meeting.objects.aggregate(first=Min("start"), last=Max("start"))
    if span["first"] is None:
        return TruncYear("start")
    zone = timezone.get_current_timezone()
    first, last = (timezone.localtime(span[end], zone).year for end in ("first", "last"))
    offsets = {dt.datetime(year, 1, 1, tzinfo=zone).utcoffset() for year in range(first, last + 2)}
    if len(offsets) != 1:
        return TruncYear("start")
    (offset,) = offsets
    return Cast(
        Func(
            Value("%Y"),
            F("start"),
            Value(f"{int(offset.total_seconds()):+d} seconds"),
            function="strftime",
            output_field=CharField(),
        ),
        IntegerField(),
    )


PUBLISHED_NOTE_CACHE_SECONDS = 3600


def published_note_with_revision(pk: int) -> tuple[Meeting, Meeting | None] | None:
    """The published note ``pk`` with its body, and the published revision that replaces it
    (or None); None when no published note has that number. Read once per ``published``
    version (which every save and bulk write of a meeting or a body bumps: a new revision
    published, a note withdrawn), then from the cache: the note page's two queries. Only notes
    found are kept, so numbers asked at random fill nothing."""
    cache_key = keys.key("published-note-row", pk, keys.version("published"))
    found = cache.get(cache_key)
    if found is None:
        meeting = published_notes().select_related("body").filter(pk=pk).first()
        if meeting is None:
            return None
        found = (meeting, superseding_revision(meeting))
        cache.set(cache_key, found, PUBLISHED_NOTE_CACHE_SECONDS)
    return found


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
