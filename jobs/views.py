from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .selectors import job_for_user

# Seconds between the page's refreshes while the job runs.
REFRESH_SECONDS = 2


@login_required
def job_detail(request, pk: int):
    """A job's progress, then its outcome: the page refreshes itself while the job runs (no
    JavaScript needed), unless asked not to (``?refresh=off``)."""
    job = job_for_user(user=request.user, pk=pk)
    if job is None:
        raise Http404("No such job.")
    refreshing = not job.is_finished and request.GET.get("refresh") != "off"
    return render(
        request,
        "jobs/job_detail.html",
        {"job": job, "refresh_seconds": REFRESH_SECONDS if refreshing else None},
    )
