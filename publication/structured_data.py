"""schema.org ``Event`` markup (JSON-LD) of published notes, for search engines.

Written into a ``<script type="application/ld+json">`` data block: ``<``, ``>`` and ``&`` are
escaped as JSON escapes (as Django's ``json_script`` does), so no text of a note, however
written, can close the element. A data block is never executed, so the Content-Security-Policy
(``script-src 'self'``) does not refuse it.
"""

from __future__ import annotations

import json

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from meetings.models import Meeting

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def note_event(meeting: Meeting, *, url: str, pdf_url: str) -> dict:
    event = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": meeting.title,
        "startDate": meeting.start.isoformat()
        if meeting.has_start_time
        else meeting.start.date().isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "organizer": {"@type": "Organization", "name": meeting.body.name},
        "url": url,
        "subjectOf": {
            "@type": "DigitalDocument",
            "encodingFormat": "application/pdf",
            "url": pdf_url,
        },
    }
    if meeting.end:
        event["endDate"] = meeting.end.isoformat()
    if meeting.venue:
        event["location"] = {"@type": "Place", "name": meeting.venue}
    return event


def json_ld(data: dict | list) -> SafeString:
    text = json.dumps(data, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
