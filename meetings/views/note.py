"""Staff pages of a meeting and its note: the list of meetings, a new meeting, the meeting's
page with its note as it reads, and its details."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from scrutiny import cache as keys

from .. import roles
from ..forms import MeetingForm
from ..models import Body, Meeting
from ..selectors import note as selectors
from ..selectors.exception_reports import meeting_reports, note_performance
from ..selectors.sign_off import note_readiness
from ..services import note as services
from ..services.editing import EditConflict
from ..services.note_versions import NOTE_CACHE_SECONDS, current_notes_version
from ..urls_once import url_for_each
from .access import get_meeting_for_user, not_editable
from .editing import apply_service_errors, conflict_response

# Long lists are paginated, so a page costs the same however long the record grows.
MEETINGS_PER_PAGE = 25


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    notes_version = current_notes_version()  # before anything it covers is read
    if not request.user.has_perm(roles.VIEW_MEETING):
        raise PermissionDenied
    asked = request.GET.get("upcoming"), request.GET.get("page")
    now = timezone.now()  # one moment for the key and both lists

    def make() -> dict:
        upcoming = Paginator(selectors.meeting_list(upcoming=True, now=now), MEETINGS_PER_PAGE)
        past = Paginator(selectors.meeting_list(upcoming=False, now=now), MEETINGS_PER_PAGE)
        upcoming_page, past_page = upcoming.get_page(asked[0]), past.get_page(asked[1])
        detail = url_for_each("meetings:meeting-detail")  # reversed once for every row
        for page in (upcoming_page, past_page):
            page.object_list = list(page.object_list)
            for meeting in page.object_list:
                meeting.url = detail(meeting.pk)
        return {
            "lists_html": keys.fragment(
                "meetings/note/_meeting_lists.html",
                {
                    "upcoming": upcoming_page,
                    "past": past_page,
                    # Each list's links keep the other list's page.
                    "upcoming_query": f"upcoming={upcoming_page.number}&",
                    "past_query": f"page={past_page.number}&",
                },
            )
        }

    # The two lists, kept per version of the notes and per the first meeting still to come
    # (which, for the same meetings, is all that moves a meeting from one list to the other
    # as time passes); pages asked for by anything but plain numbers are never kept
    # (keys.page_part).
    pages = [keys.page_part(number) for number in asked]
    following = selectors.next_meeting_start(now)
    cache_key = keys.key(
        "meeting-list", notes_version, following.isoformat() if following else "-", *pages
    )
    keep = None not in pages
    lists = keys.kept_fragments(request, cache_key, make, timeout=NOTE_CACHE_SECONDS, keep=keep)
    return render(
        request,
        "meetings/note/meeting_list.html",
        {**lists, "can_edit": request.user.has_perm(roles.EDIT_NOTE)},
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(roles.EDIT_NOTE):
        raise PermissionDenied
    initial = {}
    body = Body.objects.filter(pk=_int(request.GET.get("body"))).first()
    if body is not None:
        initial = {"body": body.pk, "numbering": ""}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                user=request.user,
                body=data["body"] or data["new_body_name"],
                **form.meeting_fields(),
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                error = ValidationError({"new_body_name": str(error)})
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{meeting} created. Now list who attended.")
            return redirect("meetings:attendance-edit", pk=meeting.pk)
    return render(request, "meetings/note/meeting_form.html", {"form": form, "meeting": None})


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def staff_note(request: HttpRequest, *, meeting: Meeting, notes_version: str) -> dict:
    """The note as signed-in readers see it (``note_html``), its readiness for sign-off (for a note
    not yet signed) and whether it is still empty (``is_empty``): rendered once per version
    of the notes, which every write to what a note shows bumps (``services/note_versions.py``),
    then read from the cache. ``notes_version`` must be read before ``meeting`` was."""

    def make() -> dict:
        note = selectors.meeting_note(meeting=meeting)
        reports = meeting_reports(meeting=meeting)  # for the performance section and readiness
        performance = note_performance(meeting=meeting, with_chart=False, reports=reports)
        return {
            "note_html": keys.fragment(
                "meetings/note/_note.html",
                {
                    "note": note,
                    "performance": performance,
                    "show_restricted": True,  # signed-in readers: the public page, PDF never
                    "meeting": meeting,
                },
            ),
            "readiness": note_readiness(meeting=meeting, note=note, reports=reports)
            if meeting.status in (Meeting.Status.DRAFT, Meeting.Status.SUBMITTED)
            else None,
            "is_empty": not note.present and not note.items,
        }

    cache_key = keys.key("staff-note", meeting.pk, notes_version)
    return keys.kept_fragments(request, cache_key, make, timeout=NOTE_CACHE_SECONDS)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notes_version = current_notes_version()  # before the meeting is read (staff_note)
    meeting = get_meeting_for_user(request, pk)
    user = request.user
    note = staff_note(request, meeting=meeting, notes_version=notes_version)
    return render(
        request,
        "meetings/note/meeting_detail.html",
        {
            "note_html": note["note_html"],
            "note_is_empty": note["is_empty"],
            "meeting": meeting,
            "transitions": list(meeting.transitions.select_related("actor")),
            "revision": Meeting.objects.filter(revises=meeting).first(),
            "can_edit": meeting.is_editable and user.has_perm(roles.EDIT_NOTE),
            "can_submit": meeting.status == Meeting.Status.DRAFT
            and user.has_perm(roles.SUBMIT_NOTE),
            "can_sign": meeting.status == Meeting.Status.SUBMITTED
            and user.has_perm(roles.SIGN_NOTE),
            "can_publish": meeting.status == Meeting.Status.SIGNED
            and user.has_perm(roles.PUBLISH_NOTE),
            "can_revise": meeting.is_frozen and user.has_perm(roles.EDIT_NOTE),
            "can_start_next": user.has_perm(roles.EDIT_NOTE),
            "readiness": note["readiness"],
        },
    )


@login_required
def meeting_update(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk, edit=True)
    if refusal := not_editable(request, meeting):
        return refusal
    form = MeetingForm(
        request.POST or None, initial=MeetingForm.initial_for(meeting), meeting=meeting
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                user=request.user,
                meeting=meeting,
                expected_version=form.cleaned_data["version"],
                body=form.cleaned_data["body"],
                **form.meeting_fields(),
            )
        except EditConflict as conflict:
            current = conflict.current
            yours = {"body": form.cleaned_data["body"], **form.meeting_fields()}
            theirs = {name: getattr(current, name) for name in yours}
            form = MeetingForm(
                {**request.POST.dict(), "version": current.version},
                initial=MeetingForm.initial_for(current),
                meeting=current,
            )
            return conflict_response(
                request,
                form=form,
                meeting=current,
                theirs=theirs,
                yours=yours,
                labels={
                    "body": "Body",
                    "title": "Title",
                    "start": "Start",
                    "has_start_time": "Start time given",
                    "end": "End",
                    "venue": "Venue",
                    "numbering": "Item numbering",
                    "first_minute_number": "First minute number",
                },
                template="meetings/note/meeting_form.html",
                context={},
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Meeting details saved.")
            return redirect(meeting)
    return render(request, "meetings/note/meeting_form.html", {"form": form, "meeting": meeting})
