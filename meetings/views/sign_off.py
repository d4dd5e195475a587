"""Staff and signatory pages for the sign-off of a note, and its PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import roles
from ..forms import ReturnForm, SignForm, SubmitForm
from ..models import Meeting
from ..selectors.exception_reports import note_performance
from ..selectors.note import meeting_note
from ..selectors.sign_off import note_pdf_job, note_readiness, signatory_of, signatory_refusal
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
    messages.success(request, "The note is published on the public site.")
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


def stored_pdf_response(request: HttpRequest, meeting: Meeting, *, public: bool) -> HttpResponse:
    """Serve the PDF stored at signing, never a re-render, with a strong ETag."""
    etag = f'"{meeting.pdf_sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            meeting.pdf.open("rb"),
            content_type="application/pdf",
            filename=_pdf_filename(meeting),
            as_attachment=False,
        )
    response["ETag"] = etag
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if public else "private, max-age=3600"
    )
    return response


def _pdf_filename(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.start)
    suffix = f"-revision-{meeting.revision_number}" if meeting.revision_number > 1 else ""
    return f"meeting-note-{local:%Y-%m-%d}{suffix}.pdf"


@login_required
def note_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed note's stored PDF, or a preview of a draft marked DRAFT on every page."""
    meeting = get_meeting_for_user(request, pk)
    if meeting.pdf_sha256:
        return stored_pdf_response(request, meeting, public=False)
    if meeting.is_frozen:
        # Signed, its PDF still being made by its job: follow that.
        job = note_pdf_job(meeting=meeting)
        if job is None:
            raise Http404("This signed note has no PDF.")
        return redirect(job)
    from .. import pdf  # WeasyPrint is slow to import; only rendering needs it

    document = pdf.meeting_pdf(meeting, signature=None, draft=True)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draft-{_pdf_filename(meeting)}"'
    response["Cache-Control"] = "no-store"
    return response
