"""Staff and signatory pages for the sign-off of a note, and its PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import roles
from ..forms import ReturnForm, SignForm
from ..models import Meeting
from ..selectors.exception_reports import note_performance
from ..selectors.note import meeting_note
from ..services import sign_off
from .access import get_meeting_for_user


def _refused(request: HttpRequest, meeting: Meeting, error: Exception) -> HttpResponse:
    messages.error(request, str(error))
    return redirect(meeting)


@login_required
@require_POST
def note_submit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    try:
        sign_off.note_submit(user=request.user, meeting=meeting)
    except sign_off.TransitionRefused as error:
        return _refused(request, meeting, error)
    messages.success(request, "The note has been submitted to the Chief Executive for signature.")
    return redirect(meeting)


def _signatory_defaults(request: HttpRequest) -> dict:
    person = getattr(request.user, "person", None)
    name = request.user.get_full_name() or (person.name if person else "")
    return {"signatory_name": name, "signatory_title": "Chief Executive"}


@login_required
def note_sign(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    if not request.user.has_perm(roles.SIGN_NOTE):
        raise PermissionDenied
    form = SignForm(request.POST or None, initial=_signatory_defaults(request))
    if request.method == "POST" and form.is_valid():
        try:
            sign_off.note_sign(
                user=request.user,
                meeting=meeting,
                signatory_name=form.cleaned_data["signatory_name"],
                signatory_title=form.cleaned_data["signatory_title"],
            )
        except sign_off.TransitionRefused as error:
            return _refused(request, meeting, error)
        except ImproperlyConfigured as error:
            # A signing certificate is configured but cannot be used: nothing was signed.
            messages.error(
                request,
                f"The note was not signed: the organisation's signing certificate could not "
                f"be used ({error}). Ask the administrator to check it.",
            )
            return redirect(meeting)
        messages.success(request, "The note is signed. Its PDF has been stored and it is frozen.")
        return redirect(meeting)
    return render(
        request,
        "meetings/sign_off/note_sign.html",
        {
            "meeting": meeting,
            "form": form,
            "note": meeting_note(meeting=meeting),
            # What is signed: the whole note, the performance section and restricted items too.
            "performance": note_performance(meeting=meeting),
            "show_restricted": True,
        },
    )


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
    if meeting.pdf:
        return stored_pdf_response(request, meeting, public=False)
    from .. import pdf  # WeasyPrint is slow to import; only rendering needs it

    document = pdf.meeting_pdf(meeting, signature=None, draft=True)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draft-{_pdf_filename(meeting)}"'
    response["Cache-Control"] = "no-store"
    return response
