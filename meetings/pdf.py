"""The note of a meeting as an accessible PDF (PDF/UA-1), rendered by WeasyPrint from plain data.

Pure functions of a ``MeetingNote``: no request, no database writes, no clock. The same note,
signature block and creation time always give the same bytes, so a signed note's hash means
something. The renderer may read the portal's own static files and nothing else: no network,
no local files, whatever a note contains.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import mimetypes
import posixpath
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone, translation
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .selectors.note import MeetingNote

logger = logging.getLogger(__name__)

TEMPLATE = "meetings/pdf/note.html"
# A host under the reserved .invalid domain: relative URLs in the PDF template resolve against
# it, it can never be reached, and the URL fetcher maps its static/ path to the static files.
BASE_URL = "https://scrutiny-portal.invalid/"
STATIC_BASE = f"{BASE_URL}static/"
PDF_VARIANT = "pdf/ua-1"


class NoteRenderingError(RuntimeError):
    """The note could not be rendered, e.g. its stylesheet is missing from the static files."""


@dataclass(frozen=True)
class SignatureBlock:
    """Who signed the note and when, printed at its foot as the published note has it."""

    name: str
    title: str
    signed_at: datetime


class StaticFilesURLFetcher(URLFetcher):
    """Gives WeasyPrint the portal's own static files, and refuses every other URL.

    Only URLs under ``STATIC_BASE`` (a host that cannot resolve) are served, from the static
    files finders or the static files storage; ``data:`` URLs (charts embedded as images) are
    decoded in memory. ``file:``, ``http(s):`` to anywhere and path tricks are refused, so no
    note content can make the renderer read the server's files or reach the network.
    """

    def __init__(self) -> None:
        super().__init__(
            timeout=1, allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=False
        )

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        name = static_name(url)
        if name is None:
            raise ValueError(f"Refused {url!r}: a PDF note may use only the portal's static files")
        body = _read_static(name)
        if body is None:
            message = f"Static file {name!r} not found for the PDF note"
            if name.endswith(".css"):
                # An unstyled note must not be signed and published: stop the render.
                raise FatalURLFetchingError(message)
            raise FileNotFoundError(message)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def static_name(url: str) -> str | None:
    """The static file ``url`` names, or None unless it is a plain path under STATIC_BASE."""
    if not url.startswith(STATIC_BASE):
        return None
    parts = urlsplit(url)
    name = unquote(parts.path)[len(urlsplit(STATIC_BASE).path) :]
    if not name or "\\" in name or "\x00" in name:
        return None
    normalised = posixpath.normpath(name)
    if normalised != name or normalised.startswith(("/", "..")):
        return None
    return name


def _read_static(name: str) -> bytes | None:
    try:
        path = finders.find(name)
        if path:
            with open(path, "rb") as file:
                return file.read()
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as file:
                return file.read()
    except (OSError, SuspiciousFileOperation, ValueError):
        logger.warning("Could not read static file %r for a PDF note", name, exc_info=True)
    return None


_thread = threading.local()


def _font_config() -> FontConfiguration:
    """One FontConfiguration per thread, reused across renders (Pango objects are not shared)."""
    config = getattr(_thread, "font_config", None)
    if config is None:
        config = _thread.font_config = FontConfiguration()
    return config


def note_title(note: MeetingNote, *, draft: bool = False) -> str:
    """The document title, e.g. "Note of the Strategic Scrutiny Meeting, 23 December 2013"
    (the body names its record: "Minutes of the Executive Board, …")."""
    start = timezone.localtime(note.meeting.start)
    title = f"{note.document_name} of the {note.meeting.title}, {start.day} {start:%B %Y}"
    return f"Draft: {title}" if draft else title


def note_html(
    *,
    note: MeetingNote,
    signature: SignatureBlock | None,
    draft: bool,
    comparison: Mapping[str, Any] | None = None,
    exception_reports: Sequence[Mapping[str, Any]] | None = None,
) -> str:
    """The PDF note as HTML, rendered from the dedicated PDF template.

    ``comparison`` and ``exception_reports`` are optional plain data, shown when given by the
    template's ``performance`` and ``exception_reports`` blocks, after the items (values
    are printed as given: format numbers before passing them; Markdown fields are rendered
    and sanitised like narrative)::

        comparison = {
            "heading": "Performance against the computed peer group",
            "title": "Crimes per 1,000 population, 12 months ending October 2013",
            "force": "Lancashire",
            "group": "Computed peer group",
            "group_explanation": "Chosen by the portal, not published: ...",   # optional
            # The table, as performance.table.comparison_table makes it (title: its caption).
            "red_heading": "Worst 10%",
            "has_accounts": True,                # the "In this note" column
            "rows": [{"category": "Other sexual offences", "kind": "subgroup",
                      "count": "1,378", "force_rate": "0.95", "group_rate": "0.80",
                      "against": "Significantly higher", "group_rank": "8 of 8",
                      "national_rank": "40 of 43", "change": "+123 (+12.0%)",
                      "change_note": "",         # optional: "not like for like", ...
                      "is_red": True,
                      "account": "See exception report 1.",                 # optional
                      "note": 1}],               # optional: the number of its footnote
            "footnotes": ["Not like for like: ..."],                        # optional
            "notes": ["Figures for the 12 months ending September 2013, ..."],  # optional
            "charts": [{"category": "Other sexual offences",
                        "svg": "<svg ...>...</svg>",   # an SVG document
                        "alt": "Bar chart of ...",     # its text alternative
                        "caption": "..."}],            # optional
        }
        exception_reports = [{
            "number": 1,
            "category": "Other sexual offences",
            "raised": "Raised as a category of concern: ...",                      # optional
            "history": "Red at the September meeting and still red in December",  # optional
            "figures": [{"label": "Rate per 1,000", "value": "0.95"}],            # optional
            "concern": "...", "explanation": "...",                               # Markdown
            "action_plans": [{"name": "Operation Vanquish", "description": "...",  # Markdown
                              "aims": ["To reduce vulnerability ...", "..."]}],
            "outcome": "Assured", "comments": "...",                              # optional
        }]
    """
    meeting = note.meeting
    with timezone.override(settings.TIME_ZONE):
        title, running_title = note_title(note, draft=draft), note_title(note)
    context = {
        "note": note,
        "meeting": meeting,
        "signature": signature,
        "draft": draft,
        "title": title,
        "running_title": running_title,
        "organisation": {
            "name": settings.ORGANISATION_NAME,
            "strapline": settings.ORGANISATION_STRAPLINE,
            "logo": settings.ORGANISATION_LOGO,
        },
        "static_base": STATIC_BASE,
        "comparison": _with_chart_src(comparison) if comparison else None,
        "exception_reports": list(exception_reports or []),
    }
    # Pinned, so a note reads the same whatever the time zone or language of the request.
    with timezone.override(settings.TIME_ZONE), translation.override(settings.LANGUAGE_CODE):
        return render_to_string(TEMPLATE, context)


def _with_chart_src(comparison: Mapping[str, Any]) -> dict[str, Any]:
    """The comparison with its SVG charts as data: URLs, so they go in as <img> with alt text."""
    comparison = dict(comparison)
    comparison["charts"] = [
        {**chart, "src": _svg_data_url(chart["svg"])}
        for chart in comparison.get("charts", ())
        if chart.get("svg")
    ]
    return comparison


def _svg_data_url(svg: str | bytes) -> str:
    encoded = base64.b64encode(svg.encode() if isinstance(svg, str) else svg).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def render_note_pdf(
    *,
    note: MeetingNote,
    signature: SignatureBlock | None,
    draft: bool,
    created: datetime | None = None,
    comparison: Mapping[str, Any] | None = None,
    exception_reports: Sequence[Mapping[str, Any]] | None = None,
) -> bytes:
    """The note as a tagged PDF/UA-1 document, A4, the same bytes for the same input.

    ``created`` (the signing time; defaults to ``signature.signed_at``) becomes the PDF's
    creation and modification date; without it the PDF carries no dates at all.
    """
    html = note_html(
        note=note,
        signature=signature,
        draft=draft,
        comparison=comparison,
        exception_reports=exception_reports,
    )
    if created is None and signature is not None:
        created = signature.signed_at
    font_config = _font_config()
    try:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesURLFetcher()).render(
            font_config=font_config, pdf_variant=PDF_VARIANT
        )
        if created is not None:
            document.metadata.created = document.metadata.modified = _w3c_datetime(created)
        return document.write_pdf(
            pdf_variant=PDF_VARIANT,
            pdf_identifier=pdf_identifier(note.meeting.pk),
            finisher=scope_table_headers,
        )
    except FatalURLFetchingError as error:
        # WeasyPrint's fatal error is a BaseException; callers should only need to catch Exception.
        raise NoteRenderingError(str(error)) from error


def meeting_pdf(
    meeting,
    *,
    signature: SignatureBlock | None,
    draft: bool,
    created: datetime | None = None,
) -> bytes:
    """The PDF of ``meeting``'s note as it stands now, with its performance section: the one
    place a meeting's PDF is put together (signing, the draft preview, ``note_pdf``)."""
    from .selectors.exception_reports import note_performance
    from .selectors.note import meeting_note

    return render_note_pdf(
        note=meeting_note(meeting=meeting),
        signature=signature,
        draft=draft,
        created=created,
        **note_performance(meeting=meeting),
    )


def scope_table_headers(document, pdf) -> None:
    """Give every table header cell of the structure tree its /Scope (PDF/UA 7.5): /Column in
    a row of headers only, /Row beside data cells, as HTML's own rules read ``<th>``.

    WeasyPrint associates data cells with their headers (/Headers) but writes no /Scope on
    the headers themselves; a WeasyPrint finisher runs just before the file is written.
    """
    import pydyf

    elements = {
        obj.reference: obj
        for obj in pdf.objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem"
    }
    for row in elements.values():
        if row.get("S") != "/TR":
            continue
        cells = [elements[kid] for kid in row.get("K", ()) if kid in elements]
        header_row = all(cell.get("S") == "/TH" for cell in cells)
        for cell in cells:
            if cell.get("S") == "/TH":
                attributes = cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                attributes["Scope"] = "/Column" if header_row else "/Row"


def pdf_identifier(meeting_id: int | None) -> bytes:
    """The permanent part of the PDF's /ID: the same for every render of one meeting's note."""
    return hashlib.sha256(f"scrutiny-note:{meeting_id}".encode()).hexdigest()[:32].encode()


def _w3c_datetime(value: datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def page_count(document: bytes) -> int:
    """How many pages a PDF has (the public page says so beside its size)."""
    return len(PdfReader(io.BytesIO(document)).pages)
