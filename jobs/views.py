from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .selectors import job_for_user

# Seconds between the page's refreshes (without JavaScript) or its checks (with it).
REFRESH_SECONDS = 2


def _job(request, pk: int):
    job = job_for_user(user=request.user, pk=pk)
    if job is None:
        raise Http404("No such job.")
    return job


@login_required
def job_detail(request, pk: int):
    """A job's progress, then its outcome. While it runs, the page checks the job's state with
    a script and shows it in place, stopped at the user's word; without JavaScript it refreshes
    itself (a <noscript> refresh), unless asked not to (``?refresh=off``)."""
    job = _job(request, pk)
    refreshing = not job.is_finished and request.GET.get("refresh") != "off"
    problems = job.result.get("problems", [])[:500] if isinstance(job.result, dict) else []
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "refresh_seconds": REFRESH_SECONDS if refreshing else None,
            "poll_seconds": REFRESH_SECONDS,
            "problems": problems,
        },
    )


@never_cache
@login_required
def job_status(request, pk: int):
    """The job's state for the page's script: no more than the page shows."""
    job = _job(request, pk)
    status = job.get_state_display() + (f": {job.message}" if job.message else "")
    return JsonResponse(
        {
            "state": job.state,
            "status": status,
            "progress": job.progress,
            "finished": job.is_finished,
        }
    )
