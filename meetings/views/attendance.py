"""The attendance editor: who was there, in what capacity, in the note's order."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..forms import AttendanceForm
from ..models import Attendance, Meeting
from ..selectors import history
from ..selectors.note import meeting_note
from ..services import note as services
from ..services.editing import EditConflict
from .access import get_attendance_for_user, get_meeting_for_user, not_editable
from .editing import apply_service_errors, confirm_delete, keep_typed_over_newer_version, restore


def _attendance_context(meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "note": meeting_note(meeting=meeting),
        "deleted": history.deleted_attendances(meeting=meeting),
    }


def _save_attendance(
    request: HttpRequest,
    form: AttendanceForm,
    meeting: Meeting,
    attendance: Attendance | None,
) -> Attendance:
    data = form.cleaned_data
    person = data["person"]
    if person is None:
        person = services.person_create(
            user=request.user, name=data["new_person_name"], usual_role=data["role"]
        )
    fields = {
        "person": person,
        "kind": data["kind"],
        "role": data["role"],
        "is_chair": data["is_chair"],
        "is_note_taker": data["is_note_taker"],
        "on_behalf_of": data["on_behalf_of"],
    }
    if attendance is None:
        return services.attendance_add(user=request.user, meeting=meeting, **fields)
    return services.attendance_update(
        user=request.user, attendance=attendance, expected_version=data["version"], **fields
    )


@login_required
def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance editor: the three lists, with a form to add someone."""
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
                f"{attendance.person} listed as {attendance.get_kind_display().lower()}.",
            )
            return redirect("meetings:attendance-edit", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance/attendance_edit.html",
        {**_attendance_context(meeting), "form": form},
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
            messages.success(request, f"Attendance of {attendance.person} saved.")
            return redirect("meetings:attendance-edit", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance/attendance_form.html",
        {"meeting": meeting, "attendance": attendance, "form": form},
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
