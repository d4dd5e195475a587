"""The public site: published notes as pages, PDFs, JSON and feeds, search, and verification."""

from __future__ import annotations

import datetime as dt
import hashlib

from django import forms
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import SimpleLazyObject

from . import public
from .models import Meeting
from .scrutiny_selectors import note_performance
from .selectors import meeting_note
from .sign_off_views import stored_pdf_response

MAX_VERIFY_UPLOAD = 20 * 1024 * 1024


def _get_published(pk: int) -> Meeting:
    return get_object_or_404(public.published_notes(), pk=pk)


def note_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    notes = public.published_note_search(query)
    page = Paginator(notes, 25).get_page(request.GET.get("page"))
    return render(
        request, "public/note_list.html", {"page": page, "query": query, "searched": bool(query)}
    )


def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_published(pk)
    return render(
        request,
        "public/note_detail.html",
        {
            "meeting": meeting,
            # Evaluated only when the cached fragment of the note is missing: a published note
            # never changes, so its body is rendered once per server and then served from cache.
            "note": SimpleLazyObject(lambda: meeting_note(meeting=meeting)),
            "performance": SimpleLazyObject(lambda: note_performance(meeting=meeting)),
            "superseded_by": public.superseding_revision(meeting),
        },
    )


def note_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return stored_pdf_response(request, _get_published(pk), public=True)


def note_json(request: HttpRequest, pk: int) -> JsonResponse:
    meeting = _get_published(pk)
    note = meeting_note(meeting=meeting)
    superseded_by = public.superseding_revision(meeting)

    def person(attendance):
        return {
            "name": attendance.name,
            "role": attendance.role,
            "chair": attendance.is_chair,
            "note_taker": attendance.is_note_taker,
            "on_behalf_of": attendance.on_behalf_of_name or None,
        }

    def item(entry):
        data = {
            "label": entry.label,
            "title": entry.item.title,
            "restricted": entry.item.is_restricted,
        }
        if entry.item.is_restricted:
            data["exemption"] = entry.item.exemption
            return data
        return {
            **data,
            "narrative_markdown": entry.item.narrative,
            "assurance_statement": entry.item.assurance_statement,
            "decisions": [
                {"text": d.text, "notice_reference": d.notice_reference, "notice_url": d.notice_url}
                for d in entry.item.decisions.all()
            ],
        }

    return JsonResponse(
        {
            "meeting": {
                "id": meeting.pk,
                "title": meeting.title,
                "start": meeting.start.isoformat(),
                "end": meeting.end.isoformat() if meeting.end else None,
                "venue": meeting.venue,
                "revision": meeting.revision_number,
                "superseded_by": superseded_by.pk if superseded_by else None,
            },
            "attendance": {
                "present": [person(a) for a in note.present],
                "in_attendance": [person(a) for a in note.in_attendance],
                "apologies": [person(a) for a in note.apologies],
            },
            "items": [item(entry) for entry in note.items],
            **note_performance(meeting=meeting, with_chart=False),
            "signed": {
                "by": meeting.signatory_name,
                "title": meeting.signatory_title,
                "at": meeting.signed_at.isoformat() if meeting.signed_at else None,
            },
            "published_at": meeting.published_at.isoformat() if meeting.published_at else None,
            "pdf": {
                "url": request.build_absolute_uri(reverse("public:note-pdf", args=[meeting.pk])),
                "sha256": meeting.pdf_sha256,
                "digitally_signed": meeting.pdf_digitally_signed,
            },
        },
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


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


class VerifyForm(forms.Form):
    document = forms.FileField(
        label="The PDF to check",
        allow_empty_file=True,  # refused below, with a plainer message
        help_text="A copy of a published note, up to 20 MB. It is checked and not kept.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        if upload.size > MAX_VERIFY_UPLOAD:
            raise forms.ValidationError("The file is larger than 20 MB: no note is that big.")
        content = upload.read()
        if not content.startswith(b"%PDF-"):
            raise forms.ValidationError("The file is not a PDF.")
        return content


def verify(request: HttpRequest) -> HttpResponse:
    """Upload a PDF: is it a published note, and is its digital signature valid?"""
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        from . import signing  # pyHanko is slow to import; only checking needs it

        content = form.cleaned_data["document"]
        digest = hashlib.sha256(content).hexdigest()
        match = public.published_notes().filter(pdf_sha256=digest).first()
        result = {
            "sha256": digest,
            "meeting": match,
            "superseded_by": public.superseding_revision(match) if match else None,
            "signature": signing.check_signature(content),
        }
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "public/verify.html", {"form": form, "result": result}, status=status)
