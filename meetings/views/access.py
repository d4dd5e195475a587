"""The guards every staff view uses: who may read or edit which meeting, and the objects in it.

Each ``get_…_for_user`` returns the object if the user may read it (and edit its meeting, with
``edit``), and otherwise raises 403 or 404; ``not_editable`` sends the user back to a note that
is no longer a draft, with the reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from .. import roles
from ..models import (
    Action,
    ActionPlan,
    AgendaItem,
    Aim,
    Attendance,
    Body,
    Decision,
    ExceptionReport,
    Meeting,
)


def require_permission(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def get_meeting_for_user(request: HttpRequest, pk: int, *, edit: bool = False) -> Meeting:
    """The meeting ``pk`` if the user may read it (and edit it, with ``edit``), else 403/404."""
    require_permission(request, roles.VIEW_MEETING)
    if edit:
        require_permission(request, roles.EDIT_NOTE)
    return get_object_or_404(Meeting.objects.select_related("body"), pk=pk)


def get_body_for_user(request: HttpRequest, pk: int, *, edit: bool = False) -> Body:
    """The body ``pk`` if the user may read meetings (and change bodies, with ``edit``)."""
    require_permission(request, roles.VIEW_MEETING)
    if edit:
        require_permission(request, roles.CHANGE_BODY)
    return get_object_or_404(Body, pk=pk)


def _require_editing(request: HttpRequest) -> None:
    """What ``get_meeting_for_user(..., edit=True)`` requires, for an object read with its
    meeting (and the meeting's body) already: the meeting is not read twice."""
    require_permission(request, roles.VIEW_MEETING)
    require_permission(request, roles.EDIT_NOTE)


def get_attendance_for_user(request: HttpRequest, pk: int) -> Attendance:
    attendance = get_object_or_404(
        Attendance.objects.select_related("meeting__body", "person"), pk=pk
    )
    _require_editing(request)
    return attendance


def get_item_for_user(request: HttpRequest, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    _require_editing(request)
    return item


def get_decision_for_user(request: HttpRequest, pk: int) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("item__meeting"), pk=pk)
    get_meeting_for_user(request, decision.item.meeting_id, edit=True)
    return decision


def get_report_for_user(request: HttpRequest, pk: int, *, edit: bool = True) -> ExceptionReport:
    report = get_object_or_404(ExceptionReport.objects.select_related("meeting"), pk=pk)
    get_meeting_for_user(request, report.meeting_id, edit=edit)
    return report


def get_plan_for_user(request: HttpRequest, pk: int) -> ActionPlan:
    plan = get_object_or_404(ActionPlan.objects.select_related("report__meeting"), pk=pk)
    get_meeting_for_user(request, plan.report.meeting_id, edit=True)
    return plan


def get_aim_for_user(request: HttpRequest, pk: int) -> Aim:
    aim = get_object_or_404(Aim.objects.select_related("plan__report__meeting"), pk=pk)
    get_meeting_for_user(request, aim.plan.report.meeting_id, edit=True)
    return aim


def get_action_for_user(request: HttpRequest, pk: int) -> Action:
    action = get_object_or_404(
        Action.objects.select_related("raised_at", "lead").prefetch_related("ownerships__person"),
        pk=pk,
    )
    get_meeting_for_user(request, action.raised_at_id, edit=True)
    return action


def not_editable(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    """Send the user back to the note, with the reason, when it is no longer a draft."""
    if meeting.is_editable:
        return None
    messages.error(
        request,
        f"This note is {meeting.get_status_display().lower()} and can no longer be edited.",
    )
    return redirect(meeting)
