"""Scrutinising performance at a meeting: the frozen comparison, the exception reports proposed
or added, and the force's action plans with their numbered aims."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from performance.models import Category
from performance.periods import Period

from .. import roles
from ..forms import (
    ActionPlanForm,
    AimForm,
    ComparisonPeriodForm,
    DismissForm,
    ExceptionReportAddForm,
    ExceptionReportForm,
)
from ..models import ExceptionReport
from ..selectors import history
from ..selectors.exception_reports import (
    frozen_comparison,
    meeting_reports,
    red_history,
    red_spells,
    reports_with_plans,
)
from ..services import exception_reports
from ..services.editing import EditConflict
from .access import (
    get_aim_for_user,
    get_meeting_for_user,
    get_plan_for_user,
    get_report_for_user,
    not_editable,
)
from .editing import (
    apply_service_errors,
    confirm_delete,
    conflict_response,
    keep_typed_over_newer_version,
    restore,
)


@login_required
def comparison(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the performance comparison to the meeting: choose the period, freeze, refresh."""
    meeting = get_meeting_for_user(request, pk)
    frozen = frozen_comparison(meeting=meeting)
    can_edit = meeting.is_editable and request.user.has_perm(roles.EDIT_NOTE)
    initial = {"period": frozen.requested_period} if frozen else {}
    form = ComparisonPeriodForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not request.user.has_perm(roles.EDIT_NOTE):
            raise PermissionDenied
        if refusal := not_editable(request, meeting):
            return refusal
        if form.is_valid():
            try:
                result = exception_reports.comparison_freeze(
                    user=request.user, meeting=meeting, period=form.cleaned_data["period"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
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
        "meetings/exception_reports/comparison.html",
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


def _category_choices() -> list[tuple[str, str]]:

    return list(Category.objects.order_by("name").values_list("slug", "name"))


@login_required
def exception_report_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's exception reports: proposals to accept or dismiss, and others to add."""
    meeting = get_meeting_for_user(request, pk)
    can_edit = meeting.is_editable and request.user.has_perm(roles.EDIT_NOTE)
    form = ExceptionReportAddForm(request.POST or None, categories=_category_choices())
    if request.method == "POST":
        if not request.user.has_perm(roles.EDIT_NOTE):
            raise PermissionDenied
        if refusal := not_editable(request, meeting):
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
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Exception report on {report.category_name} added.")
                return redirect("meetings:exception-report-update", pk=report.pk)
    reports = meeting_reports(meeting=meeting)
    spells = red_spells(reports)
    return render(
        request,
        "meetings/exception_reports/exception_report_list.html",
        {
            "meeting": meeting,
            "form": form,
            "can_edit": can_edit,
            "reports": [(report, red_history(report, spells)) for report in reports],
            "has_comparison": frozen_comparison(meeting=meeting) is not None,
        },
    )


@login_required
@require_POST
def exception_report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    if refusal := not_editable(request, report.meeting):
        return refusal
    exception_reports.exception_report_accept(user=request.user, report=report)
    messages.success(request, f"The report on {report.category_name} will be made.")
    return redirect("meetings:exception-report-update", pk=report.pk)


@login_required
def exception_report_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    if refusal := not_editable(request, report.meeting):
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
        "meetings/exception_reports/exception_report_dismiss.html",
        {"meeting": report.meeting, "report": report, "form": form},
    )


@login_required
def exception_report_update(request: HttpRequest, pk: int) -> HttpResponse:
    """One exception report: the concern, the force's account, its action plans, the outcome."""
    report = get_report_for_user(request, pk)
    meeting = report.meeting
    if refusal := not_editable(request, meeting):
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
        except EditConflict as conflict:
            current = conflict.current
            form = ExceptionReportForm(
                {**request.POST.dict(), "version": current.version}, meeting=meeting
            )
            form.is_valid()
            labels = {"concern": "Concern", "explanation": "Explanation", "outcome": "Conclusion"}
            return conflict_response(
                request,
                form=form,
                meeting=meeting,
                theirs={name: getattr(current, name) for name in labels},
                yours=data,
                labels=labels,
                template="meetings/exception_reports/exception_report_form.html",
                context=report_context(report),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Exception report on {report.category_name} saved.")
            return redirect("meetings:exception-report-list", pk=meeting.pk)
    return render(
        request,
        "meetings/exception_reports/exception_report_form.html",
        {**report_context(report), "form": form},
    )


def report_context(report: ExceptionReport) -> dict:
    report = reports_with_plans(ExceptionReport.objects.filter(pk=report.pk)).get()
    return {
        "meeting": report.meeting,
        "report": report,
        "spell": red_spells([report]).get(report.pk),
        "plan_form": ActionPlanForm(),
        "deleted": history.deleted_action_plans(report=report),
    }


@login_required
@require_POST
def action_plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    if refusal := not_editable(request, report.meeting):
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
        "meetings/exception_reports/exception_report_form.html",
        {
            **report_context(report),
            "plan_form": form,
            "form": ExceptionReportForm(
                meeting=report.meeting, initial=ExceptionReportForm.initial_for(report)
            ),
        },
    )


@login_required
def action_plan_update(request: HttpRequest, pk: int) -> HttpResponse:
    """An action plan with its numbered aims: edit, add, reorder and remove aims."""
    plan = get_plan_for_user(request, pk)
    meeting = plan.report.meeting
    if refusal := not_editable(request, meeting):
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
        except EditConflict as conflict:
            keep_typed_over_newer_version(
                request, form, what="plan", current_version=conflict.current.version
            )
        else:
            messages.success(request, f"Action plan {form.cleaned_data['name']} saved.")
            return redirect("meetings:exception-report-update", pk=plan.report_id)
    return render(
        request,
        "meetings/exception_reports/action_plan_form.html",
        {
            "meeting": meeting,
            "plan": plan,
            "report": plan.report,
            "form": form,
            "aims": list(plan.aims.order_by("position", "id")),
            "aim_form": AimForm(),
            "deleted": history.deleted_aims(plan=plan),
        },
    )


@login_required
def action_plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
    meeting = plan.report.meeting
    if refusal := not_editable(request, meeting):
        return refusal
    return confirm_delete(
        request,
        meeting=meeting,
        question=f"Delete the action plan {plan.name} and its aims?",
        confirm_label="Delete the plan",
        back=reverse("meetings:exception-report-update", args=[plan.report_id]),
        delete=lambda: exception_reports.action_plan_delete(user=request.user, plan=plan),
        done=f"Action plan {plan.name} deleted.",
    )


@login_required
@require_POST
def action_plan_restore(request: HttpRequest, pk: int, plan_id: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    if refusal := not_editable(request, report.meeting):
        return refusal
    return restore(
        request,
        restore=lambda: exception_reports.action_plan_restore(
            user=request.user, report=report, plan_id=plan_id
        ),
        done=lambda plan: f"Action plan {plan.name} restored with its aims.",
        back=reverse("meetings:exception-report-update", args=[report.pk]),
    )


@login_required
@require_POST
def aim_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
    if refusal := not_editable(request, plan.report.meeting):
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
    aim = get_aim_for_user(request, pk)
    if refusal := not_editable(request, aim.plan.report.meeting):
        return refusal
    exception_reports.aim_move(user=request.user, aim=aim, step=-1 if direction == "up" else 1)
    return HttpResponseRedirect(
        reverse("meetings:action-plan-update", args=[aim.plan_id]) + "#aims"
    )


@login_required
def aim_delete(request: HttpRequest, pk: int) -> HttpResponse:
    aim = get_aim_for_user(request, pk)
    meeting = aim.plan.report.meeting
    if refusal := not_editable(request, meeting):
        return refusal
    return confirm_delete(
        request,
        meeting=meeting,
        question=f"Delete the aim “{aim.text[:100]}”?",
        confirm_label="Delete the aim",
        back=reverse("meetings:action-plan-update", args=[aim.plan_id]) + "#aims",
        delete=lambda: exception_reports.aim_delete(user=request.user, aim=aim),
        done="Aim deleted; the others are renumbered.",
    )


@login_required
@require_POST
def aim_restore(request: HttpRequest, pk: int, aim_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
    if refusal := not_editable(request, plan.report.meeting):
        return refusal
    return restore(
        request,
        restore=lambda: exception_reports.aim_restore(user=request.user, plan=plan, aim_id=aim_id),
        done=lambda aim: "Aim restored at the end of the list.",
        back=reverse("meetings:action-plan-update", args=[plan.pk]) + "#aims",
    )
