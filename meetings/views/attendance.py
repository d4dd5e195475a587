"""The attendance editor: who was there, in what capacity, in the note's order."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from scrutiny import cache as keys

from ..forms import AttendanceForm, AttendanceListForm
from ..models import Attendance, Meeting
from ..selectors import history
from ..selectors.note import attendance_list_preview, known_people, meeting_note
from ..services import note as services
from ..services.editing import EditConflict
from ..services.note_versions import NOTE_CACHE_SECONDS, current_notes_version
from ..urls_once import url_for_each
from .access import get_attendance_for_user, get_meeting_for_user, not_editable
from .editing import (
    apply_service_errors,
    confirm_delete,
    deleted_fragment,
    keep_typed_over_newer_version,
    restore,
)


def _attendance_context(request: HttpRequest, meeting: Meeting, notes_version: str) -> dict:
    """The editor's lists, the deleted attendees and the known people: rendered once per
    version of the notes (``services/note_versions.py``: the attendances, the people, the
    body's headings and order, who deleted whom), their forms' CSRF token put in on each
    request. ``notes_version`` must be read before ``meeting`` was."""

    def make() -> dict:
        note = meeting_note(meeting=meeting, with_actions=False, with_items=False)
        _attendance_links(note.present + note.in_attendance + note.apologies)
        deleted = history.deleted_attendances(meeting=meeting)
        return {
            "lists_html": keys.fragment(
                "meetings/attendance/_lists.html", {"meeting": meeting, "note": note}
            ),
            "deleted_html": deleted_fragment(
                deleted, restore_url="meetings:attendance-restore", parent=meeting.pk
            ),
            "known_people": known_people(),
        }

    cache_key = keys.key("attendance-editor", meeting.pk, notes_version)
    kept = keys.kept_fragments(request, cache_key, make, timeout=NOTE_CACHE_SECONDS)
    return {"meeting": meeting, **kept}


def _attendance_links(attendances: list[Attendance]) -> None:
    """Each person's links and forms on the attendance editor, each pattern reversed once."""
    edit = url_for_each("meetings:attendance-update")
    remove = url_for_each("meetings:attendance-remove")
    up = url_for_each("meetings:attendance-move", direction="up")
    down = url_for_each("meetings:attendance-move", direction="down")
    for attendance in attendances:
        attendance.edit_url, attendance.remove_url = edit(attendance.pk), remove(attendance.pk)
        attendance.move_up_url, attendance.move_down_url = up(attendance.pk), down(attendance.pk)


def _save_attendance(
    request: HttpRequest,
    form: AttendanceForm,
    meeting: Meeting,
    attendance: Attendance | None,
) -> Attendance:
    data = form.cleaned_data
    person = data["person"] or services.NewPerson(
        name=data["new_person_name"], initials=data["initials"], usual_role=data["role"]
    )
    on_behalf_of = data["on_behalf_of"]
    if data["on_behalf_of_new_name"]:
        on_behalf_of = services.NewPerson(name=data["on_behalf_of_new_name"])
    fields = {
        "person": person,
        "kind": data["kind"],
        "role": data["role"],
        "initials": data["initials"] or None,  # left empty: the person's are kept
        "is_chair": data["is_chair"],
        "is_note_taker": data["is_note_taker"],
        "on_behalf_of": on_behalf_of,
    }
    if attendance is None:
        return services.attendance_add(user=request.user, meeting=meeting, **fields)
    return services.attendance_update(
        user=request.user, attendance=attendance, expected_version=data["version"], **fields
    )


@login_required
def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance editor: the lists under the body's headings, with a form to add someone
    and a link to paste a whole list."""
    notes_version = current_notes_version()  # before anything it covers is read
    meeting = get_meeting_for_user(request, pk, edit=True)
    if refusal := not_editable(request, meeting):
        return refusal
    form = AttendanceForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            attendance = _save_attendance(request, form, meeting, None)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{attendance.person} listed as {_listed_as(meeting, attendance)}.",
            )
            return redirect("meetings:attendance-edit", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance/attendance_edit.html",
        {**_attendance_context(request, meeting, notes_version), "form": form},
    )


def _listed_as(meeting: Meeting, attendance: Attendance) -> str:
    return meeting.style.kind_label(attendance.kind).lower()


@login_required
def attendance_paste(request: HttpRequest, pk: int) -> HttpResponse:
    """A list pasted from a document: previewed line by line, then added all at once (or, if
    a line is refused, not at all)."""
    meeting = get_meeting_for_user(request, pk, edit=True)
    if refusal := not_editable(request, meeting):
        return refusal
    form = AttendanceListForm(request.POST or None, meeting=meeting)
    preview = None
    if request.method == "POST" and form.is_valid():
        text, kind = form.cleaned_data["text"], form.cleaned_data["kind"]
        preview = attendance_list_preview(meeting=meeting, text=text, kind=kind)
        if "add" in request.POST and preview.is_valid:
            try:
                added = services.attendance_list_add(
                    user=request.user, meeting=meeting, text=text, kind=kind
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{len(added)} people added to the attendance.")
                return redirect("meetings:attendance-edit", pk=meeting.pk)
        elif "add" in request.POST:
            form.add_error(
                "text", "Nothing was added: correct the lines listed below, then add them again."
            )
    return render(
        request,
        "meetings/attendance/attendance_paste.html",
        {"meeting": meeting, "form": form, "preview": preview},
    )


@login_required
def attendance_update(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = get_attendance_for_user(request, pk)
    meeting = attendance.meeting
    if refusal := not_editable(request, meeting):
        return refusal
    form = AttendanceForm(
        request.POST or None,
        meeting=meeting,
        attendance=attendance,
        initial=AttendanceForm.initial_for(attendance),
    )
    if request.method == "POST" and form.is_valid():
        try:
            _save_attendance(request, form, meeting, attendance)
        except EditConflict as conflict:
            keep_typed_over_newer_version(
                request, form, what="entry", current_version=conflict.current.version
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Attendance of {attendance.name} saved.")
            return redirect("meetings:attendance-edit", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance/attendance_form.html",
        {
            "meeting": meeting,
            "attendance": attendance,
            "form": form,
            "known_people": known_people(),
        },
    )


@login_required
@require_POST
def attendance_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    attendance = get_attendance_for_user(request, pk)
    if refusal := not_editable(request, attendance.meeting):
        return refusal
    services.attendance_move(
        user=request.user, attendance=attendance, step=-1 if direction == "up" else 1
    )
    return HttpResponseRedirect(
        reverse("meetings:attendance-edit", args=[attendance.meeting_id])
        + f"#attendance-{attendance.pk}"
    )


@login_required
def attendance_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = get_attendance_for_user(request, pk)
    meeting = attendance.meeting
    if refusal := not_editable(request, meeting):
        return refusal
    return confirm_delete(
        request,
        meeting=meeting,
        question=f"Remove {attendance.person} from the attendance of {meeting}?",
        confirm_label="Remove",
        back=reverse("meetings:attendance-edit", args=[meeting.pk]),
        delete=lambda: services.attendance_remove(user=request.user, attendance=attendance),
        done=f"{attendance.person} removed from the attendance.",
    )


@login_required
@require_POST
def attendance_restore(request: HttpRequest, pk: int, attendance_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk, edit=True)
    if refusal := not_editable(request, meeting):
        return refusal
    return restore(
        request,
        restore=lambda: services.attendance_restore(
            user=request.user, meeting=meeting, attendance_id=attendance_id
        ),
        done=lambda attendance: f"{attendance.person} restored to the attendance.",
        back=reverse("meetings:attendance-edit", args=[meeting.pk]),
    )
