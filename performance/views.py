"""Performance pages: the dashboard, a category against the group, CSV, and staff imports.

Views are thin: check the permission, read with a selector or act with a service, redirect
after a POST.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jobs.models import Job

from . import charts, services
from .comparison import Comparison
from .exports import comparison_csv
from .forms import ComparisonForm, ImportUploadForm, query_string
from .models import Category, Force, PendingImport, Release
from .selectors import comparison as comparisons
from .selectors import reference, trends

PROBLEMS_SHOWN = 500


def _check_access(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _data_version(request: HttpRequest) -> int:
    """The performance data version, read once per request."""
    if not hasattr(request, "performance_data_version"):
        request.performance_data_version = comparisons.data_version()
    return request.performance_data_version


def _get_comparison_for_user(
    request: HttpRequest, *, category_slugs: list[str] | None = None
) -> tuple[ComparisonForm, Force | None, Comparison | None]:
    """The force and period chosen in the query string (or the defaults) and their comparison.

    Defaults: the home force and the latest period its data cover completely.
    """
    _check_access(request, services.VIEW_PERMISSION)
    version = _data_version(request)
    chosen = {key: request.GET[key] for key in ("force", "month", "year") if key in request.GET}
    if chosen:
        form = ComparisonForm(chosen)
        if not form.is_valid():
            return form, None, None
        force, period = form.cleaned_data["force"], form.period
    else:
        force = reference.home_force()
        period = (
            comparisons.latest_complete_period_cached(force=force, version=version)
            if force
            else None
        )
        form = ComparisonForm(initial=ComparisonForm.initial_for(force=force, period=period))
        if force is None or period is None:
            return form, force, None
    comparison = comparisons.comparison_cached(
        force=force, period=period, category_slugs=category_slugs, version=version
    )
    return form, force, comparison


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form, _, comparison = _get_comparison_for_user(request)
    context = {
        "form": form,
        "comparison": comparison,
        "can_import": request.user.has_perm(services.IMPORT_PERMISSION),
        "data_version": _data_version(request),
        "cache_key_version": settings.CACHE_KEY_VERSION,
    }
    if comparison is not None:
        context["query"] = query_string(force=comparison.force.code, period=comparison.period)
        if comparison.nearest_complete_period:
            context["nearest_query"] = query_string(
                force=comparison.force.code, period=comparison.nearest_complete_period
            )
    return render(request, "performance/dashboard.html", context)


@login_required
def comparison_download(request: HttpRequest) -> HttpResponse:
    _, _, comparison = _get_comparison_for_user(request)
    if comparison is None:
        raise Http404("Choose a force and a period.")
    response = HttpResponse(comparison_csv(comparison), content_type="text/csv; charset=utf-8")
    name = f"comparison-{comparison.force.code}-{comparison.period.key}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    _check_access(request, services.VIEW_PERMISSION)
    category = get_object_or_404(Category, slug=slug)
    form, force, comparison = _get_comparison_for_user(request, category_slugs=[slug])
    row = comparison.row(slug) if comparison else None
    context = {
        "form": form,
        "category": category,
        "comparison": comparison,
        "row": row,
        "data_version": _data_version(request),
        "cache_key_version": settings.CACHE_KEY_VERSION,
    }
    if comparison is not None:
        context["query"] = query_string(force=comparison.force.code, period=comparison.period)
    if row is not None:
        context.update(
            comparisons.cached(
                "category-charts",
                force.pk,
                comparison.period.key,
                slug,
                version=_data_version(request),
                compute=lambda: _category_charts(category, force, comparison, row),
            )
        )
    return render(request, "performance/category_detail.html", context)


def _category_charts(category: Category, force: Force, comparison: Comparison, row) -> dict:
    """The category's comparison chart and its trend over every period: computed once per
    data version (the trend reads every period of the series)."""
    context: dict = {}
    slug = category.slug
    if row.is_complete:
        bars = charts.comparison_chart_rows(row, force_code=comparison.force.code)
        context["chart"] = charts.comparison_chart_svg(
            bars,
            title=f"{category.name}: {comparison.force.name} and its group, "
            f"{comparison.period.label}",
            chart_id=f"comparison-{slug}",
            group_rate=row.group_rate,
            red_from=row.red_from_rate,
        )
        context["chart_alt"] = charts.comparison_chart_text(
            bars, group_rate=row.group_rate, red_from=row.red_from_rate
        )
        context["shown_forces"] = sorted(
            (f for f in row.forces if f.in_group or f.code == comparison.force.code),
            key=lambda f: -(f.rate or 0),
        )
    if row.source_slug:
        trend = trends.category_trend(
            force=force, category=category, source_slug=row.source_slug, rule=comparison.rule
        )
        context["trend"] = trend
        context["trend_rows"], context["trend_notes"] = trends.trend_notes(trend)
        if trend:
            points = [
                charts.TrendPoint(
                    label=point.period.short_label,
                    value=point.rate,
                    group_value=point.group_rate,
                    national_value=point.national_rate,
                    is_red=point.is_red,
                    like_for_like=point.like_for_like,
                )
                for point in trend
            ]
            context["trend_chart"] = charts.trend_chart_svg(
                points,
                subject=comparison.force.name,
                title=f"{category.name}: {comparison.force.name}, rate per 1,000 over time",
                chart_id=f"trend-{slug}",
                selected=comparison.period.short_label,
            )
            context["trend_alt"] = charts.trend_chart_text(points, subject=comparison.force.name)
    return context


# Imports -------------------------------------------------------------------------------------


def _pending_for_user(request: HttpRequest, pk) -> PendingImport:
    _check_access(request, services.IMPORT_PERMISSION)
    return get_object_or_404(PendingImport, pk=pk, created_by=request.user)


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    _check_access(request, services.IMPORT_PERMISSION)
    releases = Release.objects.select_related("source", "imported_by")[:50]
    return render(request, "performance/import_list.html", {"releases": releases})


def _job_finished(job: Job) -> Job:
    """The job as it is now: finished already when jobs run in-process (no broker)."""
    job.refresh_from_db()
    return job


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    _check_access(request, services.IMPORT_PERMISSION)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    problems, problem_count = [], 0
    if request.method == "POST" and form.is_valid():
        try:
            pending = services.pending_import_store(
                user=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                options=form.options,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            job = _job_finished(services.import_check_enqueue(user=request.user, pending=pending))
            if job.state == Job.State.DONE:
                return redirect("performance:import-preview", pk=pending.pk)
            if job.state == Job.State.FAILED and "count" in job.result:
                problems, problem_count = job.result["problems"], job.result["count"]
            else:
                return redirect(job)
    return render(
        request,
        "performance/import_form.html",
        {
            "form": form,
            "problems": problems[:PROBLEMS_SHOWN],
            "problem_count": problem_count,
        },
    )


@login_required
def import_preview(request: HttpRequest, pk) -> HttpResponse:
    pending = _pending_for_user(request, pk)
    if request.method == "POST":
        job = _job_finished(services.import_apply_enqueue(user=request.user, pending=pending))
        if job.state == Job.State.DONE:
            if job.result.get("changed"):
                messages.success(request, job.message)
            else:
                messages.info(request, job.message)
            return redirect("performance:import-list")
        if job.state == Job.State.FAILED and "count" in job.result:
            messages.error(
                request,
                f"The file can no longer be imported ({job.result['count']} problem(s)); "
                "nothing was imported.",
            )
            return redirect("performance:import-upload")
        return redirect(job)
    check = _job_finished(services.import_check_enqueue(user=request.user, pending=pending))
    if check.state != Job.State.DONE:
        return redirect(check)
    return render(
        request,
        "performance/import_preview.html",
        {
            "pending": pending,
            "description": check.result["description"],
            "has_changes": check.result["has_changes"],
            "lines": check.result["lines"],
        },
    )


@login_required
@require_POST
def peer_groups_compute(request: HttpRequest) -> HttpResponse:
    """Compute the peer groups again, as a job (its page shows its progress)."""
    _check_access(request, services.IMPORT_PERMISSION)
    job = _job_finished(services.peer_groups_enqueue(user=request.user))
    if job.state == Job.State.DONE:
        messages.success(request, job.message)
        return redirect("performance:import-list")
    return redirect(job)


@login_required
@require_POST
def import_cancel(request: HttpRequest, pk) -> HttpResponse:
    pending = _pending_for_user(request, pk)
    services.pending_import_discard(user=request.user, pending=pending)
    messages.info(request, f"Cancelled: {pending.file_name} was not imported.")
    return redirect("performance:import-upload")
