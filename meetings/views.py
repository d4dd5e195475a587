"""Staff pages for recording a meeting. Views are thin: check access, call a service, redirect."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import history, selectors, services
from .forms import AgendaItemAddForm, AgendaItemForm, AttendanceForm, DecisionForm, MeetingForm
from .models import AgendaItem, Attendance, Decision, Meeting, NarrativeDraft
from .narrative import render_markdown
from .scrutiny_selectors import note_performance

VIEW_PERMISSION = "meetings.view_meeting"


def _get_meeting_for_user(request: HttpRequest, pk: int, *, edit: bool = False) -> Meeting:
    """The meeting ``pk`` if the user may read it (and edit it, with ``edit``), else 403/404."""
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    if edit and not request.user.has_perm(services.EDIT_PERMISSION):
        raise PermissionDenied
    return get_object_or_404(Meeting, pk=pk)


def _not_editable(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    """Send the user back to the note, with the reason, when it is no longer a draft."""
    if meeting.is_editable:
        return None
    messages.error(
        request,
        f"This note is {meeting.get_status_display().lower()} and can no longer be edited.",
    )
    return redirect(meeting)


def _apply_service_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _conflict(
    request: HttpRequest,
    *,
    form: Form,
    meeting: Meeting,
    theirs: dict,
    yours: dict,
    labels: dict,
    template: str,
    context: dict,
) -> HttpResponse:
    """Re-show the user's form (their text kept) beside the version saved meanwhile."""
    changed = [
        {"label": labels[name], "theirs": theirs[name], "yours": yours.get(name)}
        for name in labels
        if theirs[name] != yours.get(name)
    ]
    return render(
        request,
        template,
        {**context, "form": form, "meeting": meeting, "conflict": changed},
        status=409,
    )


# Meetings ---------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": selectors.meeting_list(upcoming=True),
            "past": selectors.meeting_list(upcoming=False),
            "can_edit": request.user.has_perm(services.EDIT_PERMISSION),
        },
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(services.EDIT_PERMISSION):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(user=request.user, **form.meeting_fields())
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, f"{meeting} created. Now list who attended.")
            return redirect("meetings:attendance-edit", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk)
    user = request.user
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "note": selectors.meeting_note(meeting=meeting),
            "performance": note_performance(meeting=meeting, with_chart=False),
            "show_restricted": True,  # signed-in readers: the public page and PDF never show it
            "meeting": meeting,
            "transitions": list(meeting.transitions.select_related("actor")),
            "revision": Meeting.objects.filter(revises=meeting).first(),
            "can_edit": meeting.is_editable and user.has_perm(services.EDIT_PERMISSION),
            "can_submit": meeting.status == Meeting.Status.DRAFT
            and user.has_perm("meetings.submit_note"),
            "can_sign": meeting.status == Meeting.Status.SUBMITTED
            and user.has_perm("meetings.sign_note"),
            "can_publish": meeting.status == Meeting.Status.SIGNED
            and user.has_perm("meetings.publish_note"),
            "can_revise": meeting.is_frozen and user.has_perm(services.EDIT_PERMISSION),
            "can_start_next": user.has_perm(services.EDIT_PERMISSION),
        },
    )


@login_required
def meeting_update(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk, edit=True)
    if refusal := _not_editable(request, meeting):
        return refusal
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                user=request.user,
                meeting=meeting,
                expected_version=form.cleaned_data["version"],
                **form.meeting_fields(),
            )
        except services.EditConflict as conflict:
            current = conflict.current
            yours = form.meeting_fields()
            theirs = {name: getattr(current, name) for name in yours}
            form = MeetingForm(
                {**request.POST.dict(), "version": current.version},
                initial=MeetingForm.initial_for(current),
            )
            return _conflict(
                request,
                form=form,
                meeting=current,
                theirs=theirs,
                yours=yours,
                labels={
                    "title": "Title",
                    "start": "Start",
                    "end": "End",
                    "venue": "Venue",
                    "numbering": "Item numbering",
                    "first_minute_number": "First minute number",
                },
                template="meetings/meeting_form.html",
                context={},
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Meeting details saved.")
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


# Attendance -------------------------------------------------------------------------------


def _attendance_context(meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "note": selectors.meeting_note(meeting=meeting),
        "deleted": services.deleted_attendances(meeting=meeting),
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
    meeting = _get_meeting_for_user(request, pk, edit=True)
    if refusal := _not_editable(request, meeting):
        return refusal
    form = AttendanceForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            attendance = _save_attendance(request, form, meeting, None)
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{attendance.person} listed as {attendance.get_kind_display().lower()}.",
            )
            return redirect("meetings:attendance-edit", pk=meeting.pk)
    return render(
        request, "meetings/attendance_edit.html", {**_attendance_context(meeting), "form": form}
    )


def _get_attendance_for_user(request: HttpRequest, pk: int) -> Attendance:
    attendance = get_object_or_404(Attendance.objects.select_related("meeting", "person"), pk=pk)
    _get_meeting_for_user(request, attendance.meeting_id, edit=True)
    return attendance


@login_required
def attendance_update(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = _get_attendance_for_user(request, pk)
    meeting = attendance.meeting
    if refusal := _not_editable(request, meeting):
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
        except services.EditConflict:
            form.add_error(
                None,
                "Someone else changed this entry while you were editing it. "
                "The list below shows their version; your changes are still in the form.",
            )
            form.data = {
                **request.POST.dict(),
                "version": str(Attendance.objects.get(pk=attendance.pk).version),
            }
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, f"Attendance of {attendance.person} saved.")
            return redirect("meetings:attendance-edit", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance_form.html",
        {"meeting": meeting, "attendance": attendance, "form": form},
    )


@login_required
@require_POST
def attendance_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    attendance = _get_attendance_for_user(request, pk)
    if refusal := _not_editable(request, attendance.meeting):
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
    attendance = _get_attendance_for_user(request, pk)
    meeting = attendance.meeting
    if refusal := _not_editable(request, meeting):
        return refusal
    if request.method == "POST":
        services.attendance_remove(user=request.user, attendance=attendance)
        messages.success(request, f"{attendance.person} removed from the attendance.")
        return redirect("meetings:attendance-edit", pk=meeting.pk)
    return render(
        request,
        "meetings/confirm_delete.html",
        {
            "meeting": meeting,
            "question": f"Remove {attendance.person} from the attendance of {meeting}?",
            "confirm_label": "Remove",
            "cancel_url": reverse("meetings:attendance-edit", args=[meeting.pk]),
        },
    )


# Agenda -----------------------------------------------------------------------------------


@login_required
def agenda_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda editor: items in order with reorder buttons, and a form to add one."""
    meeting = _get_meeting_for_user(request, pk, edit=True)
    if refusal := _not_editable(request, meeting):
        return refusal
    form = AgendaItemAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_item_add(
                user=request.user, meeting=meeting, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, f"Item “{item.title}” added.")
            return redirect("meetings:agenda-edit", pk=meeting.pk)
    return render(
        request,
        "meetings/agenda_edit.html",
        {
            "meeting": meeting,
            "note": selectors.meeting_note(meeting=meeting),
            "form": form,
            "deleted": services.deleted_items(meeting=meeting),
        },
    )


def _get_item_for_user(request: HttpRequest, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    _get_meeting_for_user(request, item.meeting_id, edit=True)
    return item


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    item = _get_item_for_user(request, pk)
    if refusal := _not_editable(request, item.meeting):
        return refusal
    services.agenda_item_move(user=request.user, item=item, step=-1 if direction == "up" else 1)
    return HttpResponseRedirect(
        reverse("meetings:agenda-edit", args=[item.meeting_id]) + f"#item-{item.pk}"
    )


@login_required
def agenda_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item_for_user(request, pk)
    meeting = item.meeting
    if refusal := _not_editable(request, meeting):
        return refusal
    if request.method == "POST":
        services.agenda_item_delete(user=request.user, item=item)
        messages.success(request, f"Item “{item.title}” deleted.")
        return redirect("meetings:agenda-edit", pk=meeting.pk)
    return render(
        request,
        "meetings/confirm_delete.html",
        {
            "meeting": meeting,
            "question": f"Delete the item “{item.title}”, with its note and decisions?",
            "confirm_label": "Delete item",
            "cancel_url": reverse("meetings:agenda-edit", args=[meeting.pk]),
        },
    )


_ITEM_LABELS = {
    "title": "Title",
    "narrative": "Note of the discussion",
    "assurance_statement": "Assurance statement",
    "is_restricted": "Restricted",
    "exemption": "Exemption",
}


def _unsaved_key(pk: int) -> str:
    return f"unsaved-item-{pk}"


def keep_text_when_signed_out(view):
    """Like login_required, but a note submitted after the session expired is not lost.

    The text is kept in the (anonymous) session, which survives signing in, and put back
    into the editor once the user is signed in again.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, pk, *args, **kwargs)
        if request.method == "POST":
            request.session[_unsaved_key(pk)] = {
                name: request.POST.get(name, "")
                for name in ("title", "narrative", "assurance_statement", "version")
            }
            messages.info(
                request,
                "Your session had expired. What you typed has been kept: sign in again "
                "to review and save it.",
            )
        return redirect_to_login(reverse("meetings:item-update", args=[pk]))

    return wrapper


def _restored_text(request: HttpRequest, item: AgendaItem) -> tuple[dict | None, str]:
    """Text the user typed but did not save: kept across sign-in, or autosaved."""
    kept = request.session.pop(_unsaved_key(item.pk), None)
    if kept:
        return kept, "the text you typed before your session expired"
    draft = NarrativeDraft.objects.filter(item=item, author=request.user).first()
    if draft is None:
        return None, ""
    typed = (draft.title, draft.narrative, draft.assurance_statement)
    if typed == (item.title, item.narrative, item.assurance_statement):
        draft.delete()
        return None, ""
    when = timezone.localtime(draft.saved_at)
    return (
        {
            "title": draft.title or item.title,
            "narrative": draft.narrative,
            "assurance_statement": draft.assurance_statement,
            "version": draft.base_version,
        },
        f"the text you were typing at {when:%H:%M} on {when.day} {when:%B} (kept by autosave)",
    )


@keep_text_when_signed_out
def agenda_item_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The narrative editor of one item, with a preview rendered as the note will show it."""
    item = _get_item_for_user(request, pk)
    meeting = item.meeting
    if refusal := _not_editable(request, meeting):
        return refusal
    restored, restored_from = (
        (None, "") if request.method == "POST" else _restored_text(request, item)
    )
    if restored:
        initial = {**AgendaItemForm.initial_for(item), **restored}
        initial["is_restricted"] = item.is_restricted
        initial["exemption"] = item.exemption
        form = AgendaItemForm(initial=initial)
    else:
        form = AgendaItemForm(request.POST or None, initial=AgendaItemForm.initial_for(item))
    context = {
        "meeting": meeting,
        "item": item,
        "label": selectors.item_label(item=item),
        "decisions": item.decisions.order_by("position", "id"),
        "deleted": services.deleted_decisions(item=item),
        "decision_form": DecisionForm(),
    }
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = {
                "narrative": render_markdown(form.cleaned_data["narrative"]),
                "assurance_statement": render_markdown(form.cleaned_data["assurance_statement"]),
            }
        else:
            try:
                services.agenda_item_update(
                    user=request.user,
                    item=item,
                    expected_version=form.cleaned_data["version"],
                    **form.item_fields(),
                )
            except services.EditConflict as conflict:
                current = conflict.current
                form = AgendaItemForm(
                    {**request.POST.dict(), "version": current.version},
                    initial=AgendaItemForm.initial_for(current),
                )
                form.is_valid()
                return _conflict(
                    request,
                    form=form,
                    meeting=meeting,
                    theirs=AgendaItemForm.initial_for(current),
                    yours=form.item_fields(),
                    labels=_ITEM_LABELS,
                    template="meetings/item_form.html",
                    context=context,
                )
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                messages.success(request, f"Item “{form.cleaned_data['title']}” saved.")
                if "save_and_next" in request.POST:
                    following = meeting.items.filter(position__gt=item.position).first()
                    if following is not None:
                        return redirect("meetings:item-update", pk=following.pk)
                return redirect("meetings:agenda-edit", pk=meeting.pk)
    return render(
        request,
        "meetings/item_form.html",
        {**context, "form": form, "preview": preview, "restored_from": restored_from},
    )


@login_required
@require_POST
def item_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Keep what is being typed in the item editor; called by the editor's script."""
    item = _get_item_for_user(request, pk)
    if not item.meeting.is_editable:
        return JsonResponse(
            {"saved": False, "reason": "The note is no longer a draft."}, status=409
        )
    try:
        version = int(request.POST.get("version") or item.version)
    except ValueError:
        version = item.version
    if not 1 <= version < 2**31:
        version = item.version
    draft = services.narrative_draft_keep(
        user=request.user,
        item=item,
        title=request.POST.get("title", ""),
        narrative=request.POST.get("narrative", ""),
        assurance_statement=request.POST.get("assurance_statement", ""),
        base_version=version,
    )
    return JsonResponse({"saved": True, "at": timezone.localtime(draft.saved_at).strftime("%H:%M")})


@login_required
@require_POST
def item_draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item_for_user(request, pk)
    services.narrative_draft_discard(user=request.user, item=item)
    messages.success(request, "The unsaved text has been discarded.")
    return redirect("meetings:item-update", pk=item.pk)


# Decisions --------------------------------------------------------------------------------


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item_for_user(request, pk)
    if refusal := _not_editable(request, item.meeting):
        return refusal
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_add(
                user=request.user,
                item=item,
                text=form.cleaned_data["text"],
                notice_reference=form.cleaned_data["notice_reference"],
                notice_url=form.cleaned_data["notice_url"],
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded.")
            return HttpResponseRedirect(
                reverse("meetings:item-update", args=[item.pk]) + "#decisions"
            )
    return render(
        request,
        "meetings/decision_form.html",
        {"meeting": item.meeting, "item": item, "form": form, "decision": None},
    )


def _get_decision_for_user(request: HttpRequest, pk: int) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("item__meeting"), pk=pk)
    _get_meeting_for_user(request, decision.item.meeting_id, edit=True)
    return decision


@login_required
def decision_update(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _get_decision_for_user(request, pk)
    item = decision.item
    if refusal := _not_editable(request, item.meeting):
        return refusal
    form = DecisionForm(request.POST or None, initial=DecisionForm.initial_for(decision))
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(
                user=request.user,
                decision=decision,
                expected_version=form.cleaned_data["version"],
                text=form.cleaned_data["text"],
                notice_reference=form.cleaned_data["notice_reference"],
                notice_url=form.cleaned_data["notice_url"],
            )
        except services.EditConflict as conflict:
            current = conflict.current
            form = DecisionForm({**request.POST.dict(), "version": current.version})
            form.is_valid()
            return _conflict(
                request,
                form=form,
                meeting=item.meeting,
                theirs=DecisionForm.initial_for(current),
                yours=form.cleaned_data,
                labels={
                    "text": "Decision",
                    "notice_reference": "Decision notice reference",
                    "notice_url": "Decision notice link",
                },
                template="meetings/decision_form.html",
                context={"item": item, "decision": decision},
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Decision saved.")
            return HttpResponseRedirect(
                reverse("meetings:item-update", args=[item.pk]) + "#decisions"
            )
    return render(
        request,
        "meetings/decision_form.html",
        {"meeting": item.meeting, "item": item, "form": form, "decision": decision},
    )


@login_required
def decision_delete(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _get_decision_for_user(request, pk)
    item = decision.item
    if refusal := _not_editable(request, item.meeting):
        return refusal
    back = reverse("meetings:item-update", args=[item.pk]) + "#decisions"
    if request.method == "POST":
        services.decision_delete(user=request.user, decision=decision)
        messages.success(request, "Decision deleted.")
        return HttpResponseRedirect(back)
    return render(
        request,
        "meetings/confirm_delete.html",
        {
            "meeting": item.meeting,
            "question": f"Delete the decision “{decision.text[:80]}” under {item.title}?",
            "confirm_label": "Delete decision",
            "cancel_url": back,
        },
    )


# History ----------------------------------------------------------------------------------


@login_required
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who did what to this note and when: audit events and every saved version of each item."""
    meeting = _get_meeting_for_user(request, pk)
    return render(
        request,
        "meetings/meeting_history.html",
        {"meeting": meeting, **history.meeting_history(meeting=meeting)},
    )


@login_required
def item_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The versions of one item's note, and the differences between two of them."""
    versions = history.item_versions(item_id=pk)
    if not versions:
        raise Http404
    meeting = _get_meeting_for_user(request, versions[0].meeting_id)
    by_id = {str(version.history_id): version for version in versions}
    newer = by_id.get(request.GET.get("new", ""), versions[0])
    older = by_id.get(request.GET.get("old", ""), versions[1] if len(versions) > 1 else newer)
    return render(
        request,
        "meetings/item_history.html",
        {
            "meeting": meeting,
            "versions": versions,
            "older": older,
            "newer": newer,
            "diff": history.narrative_diff(older.narrative, newer.narrative),
        },
    )


# Restoring --------------------------------------------------------------------------------


@login_required
@require_POST
def agenda_item_restore(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk, edit=True)
    if refusal := _not_editable(request, meeting):
        return refusal
    try:
        item = services.agenda_item_restore(user=request.user, meeting=meeting, item_id=item_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Item “{item.title}” restored at the end of the agenda.")
    return redirect("meetings:agenda-edit", pk=meeting.pk)


@login_required
@require_POST
def attendance_restore(request: HttpRequest, pk: int, attendance_id: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk, edit=True)
    if refusal := _not_editable(request, meeting):
        return refusal
    try:
        attendance = services.attendance_restore(
            user=request.user, meeting=meeting, attendance_id=attendance_id
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{attendance.person} restored to the attendance.")
    return redirect("meetings:attendance-edit", pk=meeting.pk)


@login_required
@require_POST
def decision_restore(request: HttpRequest, pk: int, decision_id: int) -> HttpResponse:
    item = _get_item_for_user(request, pk)
    if refusal := _not_editable(request, item.meeting):
        return refusal
    try:
        services.decision_restore(user=request.user, item=item, decision_id=decision_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Decision restored.")
    return HttpResponseRedirect(reverse("meetings:item-update", args=[item.pk]) + "#decisions")
