"""Staff and signatory pages for the sign-off of a note, and its PDF."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.html import format_html
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_POST

from .. import roles
from ..forms import ReturnForm, SignForm, SubmitForm
from ..models import Meeting
from ..selectors.exception_reports import note_performance
from ..selectors.note import meeting_note
from ..selectors.sign_off import (
    StoredPdf,
    note_pdf_job,
    note_readiness,
    signatory_of,
    signatory_refusal,
    stored_pdf,
)
from ..services import sign_off
from .access import get_meeting_for_user, require_permission


def _refused(request: HttpRequest, meeting: Meeting, error: Exception) -> HttpResponse:
    messages.error(request, str(error))
    return redirect(meeting)


@login_required
def note_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The check before submitting: the task list, what blocks, what to confirm; then submit."""
    meeting = get_meeting_for_user(request, pk)
    require_permission(request, roles.SUBMIT_NOTE)
    readiness = note_readiness(meeting=meeting)
    form = SubmitForm(
        request.POST if request.method == "POST" else None, warnings=readiness.warnings
    )
    if request.method == "POST" and meeting.status == Meeting.Status.DRAFT and form.is_valid():
        try:
            sign_off.note_submit(
                user=request.user, meeting=meeting, warnings_confirmed=bool(readiness.warnings)
            )
        except sign_off.TransitionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "The note has been submitted to the Chief Executive for signature."
            )
            return redirect(meeting)
    return render(
        request,
        "meetings/sign_off/note_submit.html",
        {"meeting": meeting, "form": form, "readiness": readiness},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def note_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The signatory reads the whole note and signs exactly what they read."""
    meeting = get_meeting_for_user(request, pk)
    require_permission(request, roles.SIGN_NOTE)
    can_sign = meeting.status == Meeting.Status.SUBMITTED
    form = SignForm(request.POST if request.method == "POST" else None)
    refused = None
    if request.method == "POST" and can_sign and form.is_valid():
        data = form.cleaned_data
        try:
            sign_off.note_sign(
                user=request.user,
                meeting=meeting,
                read_sha256=data["read_sha256"],
                corrected_name=data["corrected_name"],
                corrected_title=data["corrected_title"],
                correction_reason=data["correction_reason"],
            )
        except sign_off.TransitionRefused as error:
            refused = error
        except ImproperlyConfigured as error:
            # A signing certificate is configured but cannot be used: nothing was signed.
            messages.error(
                request,
                f"The note was not signed: the organisation's signing certificate could not "
                f"be used ({error}). Ask the administrator to check it.",
            )
            return redirect(meeting)
        else:
            job = note_pdf_job(meeting=meeting)
            if job is not None and not job.is_finished:
                messages.success(request, "The note is signed and frozen. Its PDF is being made.")
                return redirect(job)
            messages.success(
                request, "The note is signed. Its PDF has been stored and it is frozen."
            )
            return redirect(meeting)
    context = {"meeting": meeting, "can_sign": can_sign, "refused": refused}
    if can_sign:
        # What the signatory reads now is kept under its fingerprint, which the form carries;
        # after a refusal they read it again and confirm again.
        sha256 = sign_off.note_snapshot_keep(meeting=meeting)
        if not form.is_bound or refused is not None:
            form = SignForm(initial={"read_sha256": sha256})
        context.update(
            signatory=signatory_of(user=request.user),
            separation=signatory_refusal(meeting=meeting, user=request.user),
            readiness=note_readiness(meeting=meeting),
        )
    context.update(
        form=form,
        note=meeting_note(meeting=meeting),
        # What is signed: the whole note, the performance section and restricted items too.
        performance=note_performance(meeting=meeting),
        show_restricted=True,
    )
    status = 200
    if request.method == "POST":
        status = 409 if refused is not None and refused.differences else 400
    return render(request, "meetings/sign_off/note_sign.html", context, status=status)


@login_required
def note_return(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    if not request.user.has_perm(roles.SIGN_NOTE):
        raise PermissionDenied
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sign_off.note_return(
                user=request.user, meeting=meeting, comment=form.cleaned_data["comment"]
            )
        except sign_off.TransitionRefused as error:
            return _refused(request, meeting, error)
        messages.success(request, "The note has been returned to staff with your comments.")
        return redirect(meeting)
    return render(request, "meetings/sign_off/note_return.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def note_publish(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    try:
        sign_off.note_publish(user=request.user, meeting=meeting)
    except sign_off.TransitionRefused as error:
        return _refused(request, meeting, error)
    # Linked, so that staff can open what the public now reads (the words stay the same).
    messages.success(
        request,
        format_html(
            'The note is published on the <a href="{}">public site</a>.',
            reverse("public:note-detail", args=[meeting.pk]),
        ),
    )
    return redirect(meeting)


@login_required
@require_POST
def note_revise(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    try:
        revision = sign_off.note_revise(user=request.user, meeting=meeting)
    except sign_off.TransitionRefused as error:
        return _refused(request, meeting, error)
    messages.success(
        request,
        f"Revision {revision.revision_number} started as a draft. "
        "It goes through sign-off again; the signed note stays as it is until then.",
    )
    return redirect(revision)


def stored_pdf_response(request: HttpRequest, stored: StoredPdf, *, public: bool) -> HttpResponse:
    """Serve the PDF stored at signing, never a re-render, as a static file is served: a strong
    ETag (its SHA-256) and Last-Modified (the signing time), conditional requests answered 304
    without opening the file, and with ``PDF_SENDFILE_HEADER`` the file handed to the front
    server."""
    etag = f'"{stored.sha256}"'
    last_modified = stored.signed_at.timestamp()
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = _pdf_file_response(stored)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if public else "private, max-age=3600"
    )
    return response


class _PdfFileResponse(FileResponse):
    """Read and sent in 64 KiB blocks, not FileResponse's 4 KiB: a 180 KB note in 3 blocks
    instead of 45, half the time of streaming it where the server has no ``wsgi.file_wrapper``
    (31 against 62 µs, measured). Servers with one (gunicorn) send the file with sendfile."""

    block_size = 64 * 1024


def _pdf_file_response(stored: StoredPdf) -> HttpResponse:
    header = settings.PDF_SENDFILE_HEADER
    if not header:
        try:
            file = default_storage.open(stored.name, "rb")
        except FileNotFoundError:
            raise Http404("The stored PDF is missing.") from None
        response = _PdfFileResponse(
            file,
            content_type="application/pdf",
            filename=stored.filename,
            as_attachment=False,
        )
        return response
    if header == "X-Sendfile":  # Apache mod_xsendfile, lighttpd: the file's path on disk
        target = default_storage.path(stored.name)
    else:  # X-Accel-Redirect (nginx): an internal location that maps to the media folder
        target = settings.PDF_SENDFILE_PREFIX.rstrip("/") + "/" + quote(stored.name)
    response = HttpResponse(content_type="application/pdf")
    response[header] = target
    response["Content-Disposition"] = content_disposition_header(False, stored.filename)
    return response


@login_required
def note_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed note's stored PDF, or a preview of a draft marked DRAFT on every page."""
    meeting = get_meeting_for_user(request, pk)
    if meeting.pdf_sha256:
        return stored_pdf_response(request, stored_pdf(meeting), public=False)
    if meeting.is_frozen:
        # Signed, its PDF still being made by its job: follow that.
        job = note_pdf_job(meeting=meeting)
        if job is None:
            raise Http404("This signed note has no PDF.")
        return redirect(job)
    from .. import pdf  # WeasyPrint is slow to import; only rendering needs it

    document = pdf.meeting_pdf(meeting, signature=None, draft=True)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draft-{stored_pdf(meeting).filename}"'
    response["Cache-Control"] = "no-store"
    return response
