"""Pages for scrutinising performance at a meeting: the frozen comparison, exception reports
with action plans and aims, the Commissioner's review, and the action log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from performance.periods import Period

from . import action_log, exception_reports, series, services
from .forms import (
    ActionForm,
    ActionPlanForm,
    ActionUpdateForm,
    AimForm,
    ComparisonPeriodForm,
    ConclusionForm,
    DismissForm,
    ExceptionReportAddForm,
    ExceptionReportForm,
    NextMeetingForm,
)
from .models import Action, ActionPlan, Aim, ExceptionReport, FrozenComparison
from .scrutiny_selectors import red_history, red_spells, reports_for_review, reports_with_plans
from .views import _apply_service_errors, _get_meeting_for_user, _not_editable

EDIT = services.EDIT_PERMISSION


def _get_report_for_user(request: HttpRequest, pk: int, *, edit: bool = True) -> ExceptionReport:
    report = get_object_or_404(ExceptionReport.objects.select_related("meeting"), pk=pk)
    _get_meeting_for_user(request, report.meeting_id, edit=edit)
    return report


def _get_plan_for_user(request: HttpRequest, pk: int) -> ActionPlan:
    plan = get_object_or_404(ActionPlan.objects.select_related("report__meeting"), pk=pk)
    _get_meeting_for_user(request, plan.report.meeting_id, edit=True)
    return plan


def _get_aim_for_user(request: HttpRequest, pk: int) -> Aim:
    aim = get_object_or_404(Aim.objects.select_related("plan__report__meeting"), pk=pk)
    _get_meeting_for_user(request, aim.plan.report.meeting_id, edit=True)
    return aim


# The comparison ---------------------------------------------------------------------------


@login_required
def comparison(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the performance comparison to the meeting: choose the period, freeze, refresh."""
    meeting = _get_meeting_for_user(request, pk)
    frozen = FrozenComparison.objects.filter(meeting=meeting).first()
    can_edit = meeting.is_editable and request.user.has_perm(EDIT)
    initial = {"period": frozen.requested_period} if frozen else {}
    form = ComparisonPeriodForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not request.user.has_perm(EDIT):
            raise PermissionDenied
        if refusal := _not_editable(request, meeting):
            return refusal
        if form.is_valid():
            try:
                result = exception_reports.comparison_freeze(
                    user=request.user, meeting=meeting, period=form.cleaned_data["period"]
                )
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                if frozen is None:
                    messages.success(
                        request,
                        f"Comparison for {result.comparison.period.label} frozen into "
                        "this meeting.",
                    )
                elif result.changes:
                    messages.success(
                        request, "Comparison refreshed. What changed: " + " ".join(result.changes)
                    )
                else:
                    messages.success(request, "Comparison refreshed: nothing changed.")
                if result.proposed:
                    messages.info(
                        request,
                        f"{len(result.proposed)} exception report"
                        f"{'s' if len(result.proposed) != 1 else ''} proposed.",
                    )
                return redirect("meetings:comparison", pk=meeting.pk)
    comparison_data = frozen.comparison if frozen else None
    return render(
        request,
        "meetings/comparison.html",
        {
            "meeting": meeting,
            "frozen": frozen,
            "comparison": comparison_data,
            "form": form,
            "can_edit": can_edit,
            "period_differs": frozen is not None and frozen.period != frozen.requested_period,
            "requested_label": Period.parse(frozen.requested_period).label if frozen else "",
        },
    )


# Exception reports ------------------------------------------------------------------------


def _category_choices() -> list[tuple[str, str]]:
    from performance.models import Category

    return list(Category.objects.order_by("name").values_list("slug", "name"))


@login_required
def exception_report_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's exception reports: proposals to accept or dismiss, and others to add."""
    meeting = _get_meeting_for_user(request, pk)
    can_edit = meeting.is_editable and request.user.has_perm(EDIT)
    form = ExceptionReportAddForm(request.POST or None, categories=_category_choices())
    if request.method == "POST":
        if not request.user.has_perm(EDIT):
            raise PermissionDenied
        if refusal := _not_editable(request, meeting):
            return refusal
        if form.is_valid():
            try:
                report = exception_reports.exception_report_add(
                    user=request.user,
                    meeting=meeting,
                    category_slug=form.cleaned_data["slug"],
                    category_name=form.cleaned_data["name"],
                )
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                messages.success(request, f"Exception report on {report.category_name} added.")
                return redirect("meetings:exception-report-update", pk=report.pk)
    reports = list(reports_with_plans(meeting.exception_reports.order_by("position", "id")))
    spells = red_spells(reports)
    return render(
        request,
        "meetings/exception_report_list.html",
        {
            "meeting": meeting,
            "form": form,
            "can_edit": can_edit,
            "reports": [(report, red_history(report, spells)) for report in reports],
            "has_comparison": FrozenComparison.objects.filter(meeting=meeting).exists(),
        },
    )


@login_required
@require_POST
def exception_report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report_for_user(request, pk)
    if refusal := _not_editable(request, report.meeting):
        return refusal
    exception_reports.exception_report_accept(user=request.user, report=report)
    messages.success(request, f"The report on {report.category_name} will be made.")
    return redirect("meetings:exception-report-update", pk=report.pk)


@login_required
def exception_report_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report_for_user(request, pk)
    if refusal := _not_editable(request, report.meeting):
        return refusal
    form = DismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        exception_reports.exception_report_dismiss(
            user=request.user, report=report, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"The proposal on {report.category_name} was dismissed.")
        return redirect("meetings:exception-report-list", pk=report.meeting_id)
    return render(
        request,
        "meetings/exception_report_dismiss.html",
        {"meeting": report.meeting, "report": report, "form": form},
    )


@login_required
def exception_report_update(request: HttpRequest, pk: int) -> HttpResponse:
    """One exception report: the concern, the force's account, its action plans, the outcome."""
    report = _get_report_for_user(request, pk)
    meeting = report.meeting
    if refusal := _not_editable(request, meeting):
        return refusal
    form = ExceptionReportForm(
        request.POST or None, initial=ExceptionReportForm.initial_for(report), meeting=meeting
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exception_reports.exception_report_update(
                user=request.user,
                report=report,
                expected_version=data["version"],
                concern=data["concern"],
                explanation=data["explanation"],
                item=data["item"],
                outcome=data["outcome"],
            )
        except services.EditConflict as conflict:
            current = conflict.current
            form = ExceptionReportForm(
                {**request.POST.dict(), "version": current.version}, meeting=meeting
            )
            form.is_valid()
            return render(
                request,
                "meetings/exception_report_form.html",
                {
                    **_report_context(report),
                    "form": form,
                    "conflict": [
                        {"label": label, "theirs": getattr(current, name), "yours": data[name]}
                        for name, label in (
                            ("concern", "Concern"),
                            ("explanation", "Explanation"),
                            ("outcome", "Outcome"),
                        )
                        if getattr(current, name) != data[name]
                    ],
                },
                status=409,
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, f"Exception report on {report.category_name} saved.")
            return redirect("meetings:exception-report-list", pk=meeting.pk)
    return render(
        request, "meetings/exception_report_form.html", {**_report_context(report), "form": form}
    )


def _report_context(report: ExceptionReport) -> dict:
    report = reports_with_plans(ExceptionReport.objects.filter(pk=report.pk)).get()
    return {
        "meeting": report.meeting,
        "report": report,
        "spell": red_spells([report]).get(report.pk),
        "plan_form": ActionPlanForm(),
        "deleted": exception_reports.deleted_action_plans(report=report),
    }


@login_required
@require_POST
def action_plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report_for_user(request, pk)
    if refusal := _not_editable(request, report.meeting):
        return refusal
    form = ActionPlanForm(request.POST)
    if form.is_valid():
        plan = exception_reports.action_plan_add(
            user=request.user,
            report=report,
            name=form.cleaned_data["name"],
            summary=form.cleaned_data["summary"],
            owner=form.cleaned_data["owner"],
            aims=form.aim_lines(),
        )
        messages.success(request, f"Action plan {plan.name} added.")
        return redirect("meetings:action-plan-update", pk=plan.pk)
    return render(
        request,
        "meetings/exception_report_form.html",
        {
            **_report_context(report),
            "plan_form": form,
            "form": ExceptionReportForm(
                meeting=report.meeting, initial=ExceptionReportForm.initial_for(report)
            ),
        },
    )


@login_required
def action_plan_update(request: HttpRequest, pk: int) -> HttpResponse:
    """An action plan with its numbered aims: edit, add, reorder and remove aims."""
    plan = _get_plan_for_user(request, pk)
    meeting = plan.report.meeting
    if refusal := _not_editable(request, meeting):
        return refusal
    initial = {
        "name": plan.name,
        "summary": plan.summary,
        "owner": plan.owner,
        "version": plan.version,
    }
    form = ActionPlanForm(request.POST or None, initial=initial)
    form.fields.pop("aims")
    if request.method == "POST" and form.is_valid():
        try:
            exception_reports.action_plan_update(
                user=request.user,
                plan=plan,
                expected_version=form.cleaned_data["version"],
                name=form.cleaned_data["name"],
                summary=form.cleaned_data["summary"],
                owner=form.cleaned_data["owner"],
            )
        except services.EditConflict:
            form.add_error(
                None,
                "Someone else changed this plan while you were editing it. Your text is kept "
                "below; the page now holds their version number, so saving again keeps yours.",
            )
            form.data = {
                **request.POST.dict(),
                "version": str(ActionPlan.objects.get(pk=plan.pk).version),
            }
        else:
            messages.success(request, f"Action plan {form.cleaned_data['name']} saved.")
            return redirect("meetings:exception-report-update", pk=plan.report_id)
    return render(
        request,
        "meetings/action_plan_form.html",
        {
            "meeting": meeting,
            "plan": plan,
            "report": plan.report,
            "form": form,
            "aims": list(plan.aims.order_by("position", "id")),
            "aim_form": AimForm(),
            "deleted": exception_reports.deleted_aims(plan=plan),
        },
    )


@login_required
def action_plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan_for_user(request, pk)
    meeting = plan.report.meeting
    if refusal := _not_editable(request, meeting):
        return refusal
    back = reverse("meetings:exception-report-update", args=[plan.report_id])
    if request.method == "POST":
        exception_reports.action_plan_delete(user=request.user, plan=plan)
        messages.success(request, f"Action plan {plan.name} deleted.")
        return HttpResponseRedirect(back)
    return render(
        request,
        "meetings/confirm_delete.html",
        {
            "meeting": meeting,
            "question": f"Delete the action plan {plan.name} and its aims?",
            "confirm_label": "Delete the plan",
            "cancel_url": back,
        },
    )


@login_required
@require_POST
def aim_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan_for_user(request, pk)
    if refusal := _not_editable(request, plan.report.meeting):
        return refusal
    form = AimForm(request.POST)
    if form.is_valid():
        exception_reports.aim_add(user=request.user, plan=plan, text=form.cleaned_data["text"])
        messages.success(request, "Aim added.")
    else:
        messages.error(request, "Write the aim before adding it.")
    return HttpResponseRedirect(reverse("meetings:action-plan-update", args=[plan.pk]) + "#aims")


@login_required
@require_POST
def aim_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    aim = _get_aim_for_user(request, pk)
    if refusal := _not_editable(request, aim.plan.report.meeting):
        return refusal
    exception_reports.aim_move(user=request.user, aim=aim, step=-1 if direction == "up" else 1)
    return HttpResponseRedirect(
        reverse("meetings:action-plan-update", args=[aim.plan_id]) + "#aims"
    )


@login_required
def aim_delete(request: HttpRequest, pk: int) -> HttpResponse:
    aim = _get_aim_for_user(request, pk)
    meeting = aim.plan.report.meeting
    if refusal := _not_editable(request, meeting):
        return refusal
    back = reverse("meetings:action-plan-update", args=[aim.plan_id]) + "#aims"
    if request.method == "POST":
        exception_reports.aim_delete(user=request.user, aim=aim)
        messages.success(request, "Aim deleted; the others are renumbered.")
        return HttpResponseRedirect(back)
    return render(
        request,
        "meetings/confirm_delete.html",
        {
            "meeting": meeting,
            "question": f"Delete the aim “{aim.text[:100]}”?",
            "confirm_label": "Delete the aim",
            "cancel_url": back,
        },
    )


# The Commissioner's review ----------------------------------------------------------------


def _chart_for(report: ExceptionReport, comparisons: dict):
    """The frozen comparison chart of the report's category, as an SVG document."""
    from performance import charts

    comparison = comparisons.get(report.meeting_id)
    if comparison is None:
        return None
    row = comparison.row(report.category_slug)
    if row is None or not row.is_complete:
        return None
    bars = charts.comparison_chart_rows(row, force_code=comparison.force.code)

    def draw() -> str:
        return charts.comparison_chart_svg(
            bars,
            title=f"{row.category_name}: {comparison.force.name} and its group, "
            f"{comparison.period.label}",
            chart_id=f"review-{report.pk}",
            group_rate=row.group_rate,
            red_from=row.red_from_rate,
        )

    # A frozen comparison's chart never changes (a refresh makes a new generated_at): drawing
    # it is most of the page's cost, so it is drawn once and kept.
    key = f"review-chart:{report.pk}:{comparison.generated_at}:{row.category_slug}"
    return {
        "svg": cache.get_or_set(key, draw, timeout=None),
        "alt": charts.comparison_chart_text(
            bars, group_rate=row.group_rate, red_from=row.red_from_rate
        ),
        "row": row,
        "period": comparison.period,
        "force": comparison.force,
    }


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """The Commissioner's review: open exception reports, how long each has been red, the
    force's account and plans, and a conclusion to record."""
    if not request.user.has_perm("meetings.view_meeting"):
        raise PermissionDenied
    reports = list(reports_for_review())
    spells = red_spells(reports)
    comparisons = {  # each frozen comparison read once, however many reports it serves
        frozen.meeting_id: frozen.comparison
        for frozen in FrozenComparison.objects.filter(
            meeting_id__in={report.meeting_id for report in reports}
        )
    }
    return render(
        request,
        "meetings/review.html",
        {
            "entries": [
                {
                    "report": report,
                    "spell": spells.get(report.pk),
                    "chart": _chart_for(report, comparisons),
                }
                for report in reports
            ],
            "can_conclude": request.user.has_perm(exception_reports.CONCLUSION_PERMISSION),
        },
    )


@login_required
def conclusion(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report_for_user(request, pk, edit=False)
    if not request.user.has_perm(exception_reports.CONCLUSION_PERMISSION):
        raise PermissionDenied
    initial = {
        "conclusion": report.conclusion,
        "comments": report.conclusion_comments,
        "return_requested": report.return_requested,
        "return_by": report.return_by,
    }
    form = ConclusionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exception_reports.conclusion_record(
                user=request.user,
                report=report,
                conclusion=data["conclusion"],
                comments=data["comments"],
                return_requested=data["return_requested"],
                return_by=data["return_by"],
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, f"Conclusion on {report.category_name} recorded.")
            return redirect("meetings:review")
    context = _report_context(report)
    return render(request, "meetings/conclusion_form.html", {**context, "form": form})


# The action log ---------------------------------------------------------------------------


@login_required
def action_log_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every action still open at this meeting, wherever it was raised, and a form to raise one."""
    meeting = _get_meeting_for_user(request, pk)
    can_edit = meeting.is_editable and request.user.has_perm(EDIT)
    form = ActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST":
        if not request.user.has_perm(EDIT):
            raise PermissionDenied
        if refusal := _not_editable(request, meeting):
            return refusal
        if form.is_valid():
            data = form.cleaned_data
            try:
                owners = _owners(request, data)
                action = action_log.action_raise(
                    user=request.user,
                    meeting=meeting,
                    description=data["description"],
                    owners=owners,
                    item=data["item"],
                    due=data["due"],
                )
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                messages.success(request, f"Action {action.number} added to the log.")
                return redirect("meetings:action-log", pk=meeting.pk)
    return render(
        request,
        "meetings/action_log.html",
        {
            "meeting": meeting,
            "form": form,
            "can_edit": can_edit,
            "actions": action_log.action_log_for(meeting=meeting),
            "deleted": action_log.deleted_actions(meeting=meeting) if can_edit else [],
        },
    )


def _owners(request: HttpRequest, data: dict) -> list:
    """The chosen owners, with the new one typed in added as a person."""
    owners = list(data["owners"])
    if data["new_owner"]:
        owners.append(services.person_create(user=request.user, name=data["new_owner"]))
    return owners


def _get_action_for_user(request: HttpRequest, pk: int) -> Action:
    action = get_object_or_404(Action.objects.select_related("raised_at"), pk=pk)
    _get_meeting_for_user(request, action.raised_at_id, edit=True)
    return action


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an action while the meeting that raised it is still a draft."""
    action = _get_action_for_user(request, pk)
    meeting = action.raised_at
    if refusal := _not_editable(request, meeting):
        return refusal
    form = ActionForm(request.POST or None, initial=ActionForm.initial_for(action), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action_log.action_edit(
                user=request.user,
                action=action,
                expected_version=data["version"],
                description=data["description"],
                owners=_owners(request, data),
                item=data["item"],
                due=data["due"],
            )
        except services.EditConflict:
            form.add_error(
                None,
                "Someone else changed this action while you were editing it. Your text is kept "
                "below; the page now holds their version number, so saving again keeps yours.",
            )
            form.data = {
                **request.POST.dict(),
                "version": str(Action.objects.get(pk=action.pk).version),
            }
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, f"Action {action.number} saved.")
            return redirect("meetings:action-log", pk=meeting.pk)
    return render(
        request, "meetings/action_form.html", {"meeting": meeting, "action": action, "form": form}
    )


@login_required
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    action = _get_action_for_user(request, pk)
    meeting = action.raised_at
    if refusal := _not_editable(request, meeting):
        return refusal
    back = reverse("meetings:action-log", args=[meeting.pk])
    if request.method == "POST":
        try:
            action_log.action_delete(user=request.user, action=action)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Action {action.number} deleted.")
        return HttpResponseRedirect(back)
    return render(
        request,
        "meetings/confirm_delete.html",
        {
            "meeting": meeting,
            "question": f"Delete action {action.number}, “{action.description[:80]}”?",
            "confirm_label": "Delete the action",
            "cancel_url": back,
        },
    )


@login_required
@require_POST
def action_restore(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk, edit=True)
    if refusal := _not_editable(request, meeting):
        return refusal
    try:
        action = action_log.action_restore(user=request.user, meeting=meeting, action_id=action_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Action {action.number} restored.")
    return redirect("meetings:action-log", pk=meeting.pk)


@login_required
def action_update(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """Record progress on an action at a meeting (closing it records when and where)."""
    meeting = _get_meeting_for_user(request, meeting_pk, edit=True)
    if refusal := _not_editable(request, meeting):
        return refusal
    action = get_object_or_404(
        Action.objects.select_related("raised_at", "item").prefetch_related("owners"), pk=pk
    )
    form = ActionUpdateForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        try:
            action_log.action_update_record(
                user=request.user,
                action=action,
                meeting=meeting,
                text=form.cleaned_data["text"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, f"Action {action.number} updated.")
            return HttpResponseRedirect(
                reverse("meetings:action-log", args=[meeting.pk]) + f"#action-{action.number}"
            )
    return render(
        request,
        "meetings/action_update_form.html",
        {"meeting": meeting, "action": action, "form": form},
    )


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/my_actions.html",
        {"actions": action_log.actions_owned_by(user=request.user)},
    )


# The next meeting of a series -------------------------------------------------------------


@login_required
def meeting_next(request: HttpRequest, pk: int) -> HttpResponse:
    previous = _get_meeting_for_user(request, pk, edit=True)
    form = NextMeetingForm(request.POST or None, initial={"venue": previous.venue})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = series.meeting_create_from_previous(
                user=request.user,
                previous=previous,
                start=data["start"],
                end=data["end"],
                venue=data["venue"] or previous.venue,
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{meeting} created from {previous}: check the attendance carried over, then "
                "write the note.",
            )
            return redirect(meeting)
    return render(request, "meetings/meeting_next.html", {"meeting": previous, "form": form})


@login_required
@require_POST
def action_plan_restore(request: HttpRequest, pk: int, plan_id: int) -> HttpResponse:
    report = _get_report_for_user(request, pk)
    if refusal := _not_editable(request, report.meeting):
        return refusal
    try:
        plan = exception_reports.action_plan_restore(
            user=request.user, report=report, plan_id=plan_id
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Action plan {plan.name} restored with its aims.")
    return redirect("meetings:exception-report-update", pk=report.pk)


@login_required
@require_POST
def aim_restore(request: HttpRequest, pk: int, aim_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, pk)
    if refusal := _not_editable(request, plan.report.meeting):
        return refusal
    try:
        exception_reports.aim_restore(user=request.user, plan=plan, aim_id=aim_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Aim restored at the end of the list.")
    return HttpResponseRedirect(reverse("meetings:action-plan-update", args=[plan.pk]) + "#aims")
