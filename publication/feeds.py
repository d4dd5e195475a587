"""The public feeds: published notes as Atom, and the meetings as an iCalendar calendar."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from meetings.models import Meeting
from scrutiny import cache as keys

from . import selectors as public

FEED_CACHE_SECONDS = 24 * 60 * 60


class PublishedNotesFeed(Feed):
    """The latest published notes as Atom, built once per change of the published notes (the
    ``published`` version, bumped by every save, delete and bulk write of a meeting or a body)
    and per address it is asked on (its links are absolute, from the request's host)."""

    feed_type = Atom1Feed
    link = "/notes/"

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = keys.key("notes-feed", request.scheme, request.get_host(), keys.version("published"))
        cached = cache.get(key)
        if cached is None:
            built = super().__call__(request, *args, **kwargs)
            cached = (built.content, built["Content-Type"], built.get("Last-Modified"))
            cache.set(key, cached, FEED_CACHE_SECONDS)
        content, content_type, last_modified = cached
        response = HttpResponse(content, content_type=content_type)
        if last_modified:
            response["Last-Modified"] = last_modified
        return response

    def title(self) -> str:
        return f"Published meeting notes – {settings.ORGANISATION_NAME}"

    def subtitle(self) -> str:
        return "Signed notes of scrutiny meetings, as they are published."

    def items(self):
        return public.published_notes()[:50]

    def item_title(self, meeting: Meeting) -> str:
        return str(meeting)

    def item_description(self, meeting: Meeting) -> str:
        return f"{meeting.title} held at {meeting.venue}." if meeting.venue else meeting.title

    def item_link(self, meeting: Meeting) -> str:
        return reverse("public:note-detail", args=[meeting.pk])

    def item_pubdate(self, meeting: Meeting) -> dt.datetime | None:
        return meeting.published_at

    def item_updateddate(self, meeting: Meeting) -> dt.datetime | None:
        return meeting.published_at


# Control characters other than tab and line feed are not iCalendar text (RFC 5545 3.3.11);
# a carriage return, alone or before a line feed, is a line break.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def calendar_text(value: str) -> str:
    """``value`` as iCalendar text can carry it: line breaks as ``\n``, no control characters.

    The icalendar library escapes what remains (backslashes, commas, semicolons, line breaks)
    and folds lines at 75 octets.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


class _Text(icalendar.vText):
    """TEXT escaped by icalendar, except that a typed backslash before "N" stays a backslash:
    the library reads ``\\N`` in a value as its shorthand for a line break."""

    def to_ical(self) -> bytes:
        parts = (icalendar.vText(part, self.encoding).to_ical() for part in self.split("\\N"))
        return b"\\\\N".join(parts)


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    start: dt.datetime | dt.date  # a date alone: a meeting whose start time is not given
    end: dt.datetime | None
    summary: str
    location: str
    url: str | None


def calendar_of(entries: list[CalendarEntry], *, name: str) -> bytes:
    """An RFC 5545 calendar of ``entries``, written by the icalendar library."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{calendar_text(settings.ORGANISATION_NAME)}//Scrutiny portal//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _Text(calendar_text(name)))
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        if isinstance(entry.start, dt.datetime):
            event.add("dtstart", entry.start.astimezone(dt.UTC))
            end = entry.end or entry.start + dt.timedelta(hours=2)
            event.add("dtend", end.astimezone(dt.UTC))
        else:  # an all-day event: no time is invented for a meeting that gave none
            event.add("dtstart", entry.start)
            event.add("dtend", entry.start + dt.timedelta(days=1))
        event.add("summary", _Text(calendar_text(entry.summary)))
        if entry.location:
            event.add("location", _Text(calendar_text(entry.location)))
        if entry.url:
            event.add("url", entry.url)
        calendar.add_component(event)
    return calendar.to_ical()


def meetings_calendar(request: HttpRequest) -> HttpResponse:
    """The public calendar: meetings of the past year whose note is published, and (unless
    ``PUBLIC_CALENDAR_SHOWS_SCHEDULED`` is off) meetings to come, with their date, time, title
    and place, as the Specified Information Order requires. A past meeting whose note is not
    published is not listed, and nothing else of a draft ever is."""
    host = request.get_host()
    entries = [
        CalendarEntry(
            uid=f"meeting-{meeting.pk}@{host}",
            start=meeting.start if meeting.has_start_time else meeting.date,
            end=meeting.end if meeting.has_start_time else None,
            summary=meeting.title,
            location=meeting.venue,
            url=request.build_absolute_uri(reverse("public:note-detail", args=[meeting.pk]))
            if meeting.status == Meeting.Status.PUBLISHED
            else None,
        )
        for meeting in public.calendar_meetings(now=timezone.now())
    ]
    body = calendar_of(entries, name=f"Scrutiny meetings – {settings.ORGANISATION_NAME}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="scrutiny-meetings.ics"'
    return response
