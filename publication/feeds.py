"""The public feeds: published notes as Atom, and the meetings as an iCalendar calendar."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from meetings.models import Meeting

from . import selectors as public


class PublishedNotesFeed(Feed):
    feed_type = Atom1Feed
    link = "/notes/"

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


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_fold(line: str) -> str:
    """Fold a content line at 75 octets as RFC 5545 requires."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def meetings_calendar(request: HttpRequest) -> HttpResponse:
    """An iCalendar feed of scheduled meetings (and those of the past year)."""
    since = timezone.now() - dt.timedelta(days=365)
    meetings = Meeting.objects.filter(start__gte=since, revises__isnull=True).order_by("start")
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    host = request.get_host()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{_ics_text(settings.ORGANISATION_NAME)}//Scrutiny portal//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text('Scrutiny meetings – ' + settings.ORGANISATION_NAME)}",
    ]
    for meeting in meetings:
        start = meeting.start.astimezone(dt.UTC)
        end = (meeting.end or meeting.start + dt.timedelta(hours=2)).astimezone(dt.UTC)
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
            f"DTEND:{end:%Y%m%dT%H%M%SZ}",
            f"SUMMARY:{_ics_text(meeting.title)}",
            f"LOCATION:{_ics_text(meeting.venue)}",
        ]
        if meeting.status == Meeting.Status.PUBLISHED:
            url = request.build_absolute_uri(reverse("public:note-detail", args=[meeting.pk]))
            lines.append(f"URL:{url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    body = "\r\n".join(_ics_fold(line) for line in lines) + "\r\n"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="scrutiny-meetings.ics"'
    return response
