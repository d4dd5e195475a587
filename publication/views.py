"""The public site's pages: the list of published notes with search, each note as a page, its
stored PDF and JSON, and the page that checks whether a PDF is a published note."""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from meetings.models import Meeting
from meetings.selectors.exception_reports import note_performance
from meetings.selectors.note import meeting_note
from meetings.urls_once import url_for_each
from meetings.views.sign_off import stored_pdf_response
from scrutiny import cache as keys

from . import passages, structured_data, verification
from . import selectors as public
from .forms import VerifyForm, too_large_message
from .pagination import CappedPaginator

NOTES_PER_PAGE = 25
# Matches counted at most (8 pages): a word in nearly every note is not counted note by note.
SEARCH_COUNT_CAP = 200


def _get_published(pk: int) -> tuple[Meeting, Meeting | None]:
    """The published note and the revision that supersedes it (if any), or a 404."""
    found = public.published_note_with_revision(pk)
    if found is None:
        raise Http404("No published note has this number.")
    return found


def _note_event(request: HttpRequest, meeting: Meeting, *, path: str, pdf_path: str) -> dict:
    """The note's schema.org ``Event``, with the absolute addresses of its page and its PDF
    (``path`` and ``pdf_path``, as the page links them)."""
    return structured_data.note_event(
        meeting,
        url=request.build_absolute_uri(path),
        pdf_url=request.build_absolute_uri(pdf_path),
    )


def _number(value: str | None, *, digits: int) -> int | None:
    """A filter's value: a positive whole number of at most ``digits`` digits, else none."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= digits else None


# How long a page of the list is kept; a publication (the ``published`` version) ends it first.
NOTE_LIST_CACHE_SECONDS = 3600


def note_list(request: HttpRequest) -> HttpResponse:
    """The published notes, browsed by body and year and searched, 25 a page.

    Everything below the search box (the browse choices, the results with their passages, the
    pages) and the page's JSON-LD change only when a note is published or a meeting or body
    changes (the ``published`` version): rendered once per version, address (the JSON-LD's
    links are absolute), search, choices and page, then read from the cache. A page given as
    anything but a plain number is rendered each time, so that odd addresses cannot fill the
    cache."""
    query = request.GET.get("q", "")[:200]
    body = _number(request.GET.get("body"), digits=9)
    year = _number(request.GET.get("year"), digits=4)
    if year is not None and not 1900 <= year <= 2999:
        year = None
    page_asked = request.GET.get("page")
    cache_key = None
    if (page := keys.page_part(page_asked)) is not None:
        asked = [request.scheme, request.get_host(), query, body, year, page]
        cache_key = keys.content_key("public-note-list", asked, keys.version("published"))
    listed = cache.get(cache_key) if cache_key else None
    if listed is None:
        listed = _note_list_results(request, query=query, body=body, year=year, page=page_asked)
        if cache_key:
            cache.set(cache_key, listed, NOTE_LIST_CACHE_SECONDS)
    return render(
        request,
        "publication/note_list.html",
        {
            "query": query,
            "searched": bool(query),
            "body_id": listed["body_id"],
            "year": year,
            "results": mark_safe(listed["results"]),  # rendered by its template, escaped
            "json_ld": mark_safe(listed["json_ld"]),  # escaped by structured_data
        },
    )


def _note_list_results(
    request: HttpRequest, *, query: str, body: int | None, year: int | None, page: str | None
) -> dict:
    """The list's browse choices, results and pages (HTML), its JSON-LD, and the body chosen."""
    notes = public.published_note_filter(public.published_note_search(query), body=body, year=year)
    page = CappedPaginator(
        notes.select_related("body"), NOTES_PER_PAGE, cap=SEARCH_COUNT_CAP
    ).get_page(page)
    page.object_list = list(page.object_list)  # read once, by the list and by its JSON-LD
    # Each row's two links, used by the list and its JSON-LD, each pattern reversed once.
    note_path, pdf_path = url_for_each("public:note-detail"), url_for_each("public:note-pdf")
    for meeting in page.object_list:
        meeting.note_path, meeting.pdf_path = note_path(meeting.pk), pdf_path(meeting.pk)
    if query.strip():
        passages.attach_passages(page.object_list, query)  # of this page's rows only
    facets = public.published_note_facets(query=query, body=body, year=year, cap=SEARCH_COUNT_CAP)
    chosen_body = next((b for b in facets["bodies"] if b["id"] == body), None)
    kept = {"q": query, "body": body or "", "year": year or ""}
    results = render_to_string(
        "publication/_note_results.html",
        {
            "page": page,
            "query": query,
            "searched": bool(query),
            "facets": facets,
            "body": chosen_body,
            "year": year,
            "filtered": bool(chosen_body or year),
            "kept": urlencode({k: v for k, v in kept.items() if v}),
            "kept_without_body": urlencode({k: v for k, v in kept.items() if v and k != "body"}),
            "kept_without_year": urlencode({k: v for k, v in kept.items() if v and k != "year"}),
        },
    )
    json_ld = structured_data.json_ld(
        [
            _note_event(request, meeting, path=meeting.note_path, pdf_path=meeting.pdf_path)
            for meeting in page.object_list
        ]
    )
    return {
        "results": str(results),
        "json_ld": str(json_ld),
        "body_id": chosen_body["id"] if chosen_body else None,
    }


def _site_page(request: HttpRequest, template: str) -> HttpResponse:
    """One of the pages about the site itself, its text from the settings."""
    return render(
        request,
        f"publication/{template}.html",
        {
            "contact": {
                "email": settings.CONTACT_EMAIL,
                "phone": settings.CONTACT_PHONE,
                "address": settings.CONTACT_ADDRESS,
            },
            "privacy": {
                "controller": settings.PRIVACY_CONTROLLER,
                "email": settings.PRIVACY_CONTACT_EMAIL,
                "retention": settings.PRIVACY_RETENTION,
            },
            "accessibility": {
                "compliance": settings.ACCESSIBILITY_COMPLIANCE,
                "prepared": dt.date.fromisoformat(settings.ACCESSIBILITY_PREPARED),
                "reviewed": dt.date.fromisoformat(settings.ACCESSIBILITY_REVIEWED),
            },
        },
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return _site_page(request, "accessibility")


def contact(request: HttpRequest) -> HttpResponse:
    return _site_page(request, "contact")


def privacy(request: HttpRequest) -> HttpResponse:
    return _site_page(request, "privacy")


def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, superseded_by = _get_published(pk)
    return render(
        request,
        "publication/note_detail.html",
        {
            "meeting": meeting,
            # Evaluated only when the cached fragment of the note is missing: a published note
            # never changes, so its body is rendered once per server and then served from cache.
            "note": SimpleLazyObject(lambda: meeting_note(meeting=meeting)),
            "performance": SimpleLazyObject(lambda: note_performance(meeting=meeting)),
            "superseded_by": superseded_by,
            "json_ld": structured_data.json_ld(
                _note_event(
                    request,
                    meeting,
                    path=reverse("public:note-detail", args=[meeting.pk]),
                    pdf_path=reverse("public:note-pdf", args=[meeting.pk]),
                )
            ),
        },
    )


def note_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    stored = public.published_pdf(pk)
    if stored is None:
        raise Http404("No published note has this number, or its PDF is not ready.")
    return stored_pdf_response(request, stored, public=True)


def note_json(request: HttpRequest, pk: int) -> JsonResponse:
    meeting, superseded_by = _get_published(pk)
    note = meeting_note(meeting=meeting)

    def person(line):
        attendance = line.attendance
        return {
            "name": attendance.name,
            "initials": attendance.initials or None,
            "role": attendance.role,
            "chair": attendance.is_chair,
            "note_taker": attendance.is_note_taker,
            "on_behalf_of": attendance.on_behalf_of_name or None,
            "printed": " ".join(part for part in (line.first, line.second) if part),
        }

    def kind(attendances):
        return [person(note.printed(a)) for a in attendances]

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
            **previous_minutes(entry.item),
        }

    def previous_minutes(item):
        if not item.previous_outcome:
            return {}
        previous = item.previous_meeting
        return {
            "previous_minutes": {
                "meeting": previous.pk if previous else None,
                "date": previous.date.isoformat() if previous else None,
                "outcome": item.previous_outcome,
                "outcome_label": item.get_previous_outcome_display(),
                "note": item.previous_outcome_note,
            }
        }

    style = note.style

    return JsonResponse(
        {
            "meeting": {
                "id": meeting.pk,
                "title": meeting.title,
                "body": meeting.body.name,
                "document": style.document_name,
                "date": meeting.date.isoformat(),
                # No time is invented for a meeting whose record gives none.
                "start": meeting.start.isoformat() if meeting.has_start_time else None,
                "end": meeting.end.isoformat() if meeting.end else None,
                "venue": meeting.venue,
                "revision": meeting.revision_number,
                "superseded_by": superseded_by.pk if superseded_by else None,
            },
            "attendance": {
                "present": kind(note.present),
                "in_attendance": kind(note.in_attendance),
                "apologies": kind(note.apologies),
            },
            "attendance_as_printed": [
                {"heading": heading, "people": [person(line) for line in people]}
                for heading, people in note.attendance_groups
                if people
            ],
            "items": [item(entry) for entry in note.items],
            "actions": [
                {
                    "number": action.number,
                    "text": action.description,
                    "lead": action.lead or None,
                    "owners": action.owners,
                    "due": action.due.isoformat() if action.due else None,
                    "item": {"label": action.item_label, "title": action.item_title}
                    if action.item_title
                    else None,
                }
                for action in note.public_actions()
            ],
            "action_progress": [
                {
                    "number": entry.number,
                    "text": entry.description,
                    "status": entry.status,
                    "progress": entry.text,
                }
                for entry in note.public_action_progress()
            ],
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


@csrf_exempt  # checked by _verify_upload, once the upload handlers are limited
def verify(request: HttpRequest) -> HttpResponse:
    """Upload a PDF: is it a published note, and is its digital signature valid?

    Anyone may post here, so every limit of ``verification.py`` is applied before the upload
    is read: the rate for the client's address, then the declared size.
    """
    limit = verification.upload_limit()
    if request.method != "POST":
        return _verify_page(request, VerifyForm(max_bytes=limit))
    if (wait := verification.rate_refusal(request)) is not None:
        return _verify_refusal(
            request,
            429,
            wait,
            f"There have been too many checks from your address. Try again in {_wait(wait)}.",
        )
    if verification.declared_too_large(request, limit):
        return _verify_page(
            request, VerifyForm(max_bytes=limit), refusal=too_large_message(limit), status=413
        )
    handler = verification.LimitedUploadHandler(limit, request)
    request.upload_handlers = [handler]
    return _verify_upload(request, limit=limit, handler=handler)


@csrf_protect
def _verify_upload(
    request: HttpRequest, *, limit: int, handler: verification.LimitedUploadHandler
) -> HttpResponse:
    form = VerifyForm(request.POST, request.FILES, max_bytes=limit)
    if handler.exceeded:
        return _verify_page(
            request, VerifyForm(max_bytes=limit), refusal=too_large_message(limit), status=413
        )
    if not form.is_valid():
        return _verify_page(request, form, status=400)
    with verification.verification_slot() as running:
        if not running:
            return _verify_refusal(
                request, 503, 5, "The portal is busy checking other files. Try again shortly."
            )
        result = _verification(form.cleaned_data["document"])
    return _verify_page(request, VerifyForm(max_bytes=limit), result=result)


def _verification(content: bytes) -> dict:
    from meetings import signing  # pyHanko is slow to import; only checking needs it

    digest = hashlib.sha256(content).hexdigest()
    match = public.published_notes().filter(pdf_sha256=digest).first()
    if match is not None:
        # The portal's own file: its answer never changes.
        signature = cache.get_or_set(
            f"public:verify-signature:{digest}", lambda: signing.check_signature(content)
        )
    elif refusal := verification.pdf_refusal(content):
        signature = signing.unchecked(f"not checked, because {refusal}.")
    else:
        signature = verification.bounded_signature_check(content) or signing.unchecked(
            "not checked: this file took too long to read, which no published note does."
        )
    return {
        "sha256": digest,
        "meeting": match,
        "superseded_by": public.superseding_revision(match) if match else None,
        "signature": signature,
    }


def _verify_page(request, form, *, result=None, refusal: str = "", status: int = 200):
    return render(
        request,
        "publication/verify.html",
        {"form": form, "result": result, "refusal": refusal},
        status=status,
    )


def _verify_refusal(request, status: int, retry_after: int, message: str) -> HttpResponse:
    response = render(
        request,
        "publication/verify_refused.html",
        {"message": message},
        status=status,
    )
    response["Retry-After"] = str(retry_after)
    return response


def _wait(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{round(seconds / 60)} minutes"
