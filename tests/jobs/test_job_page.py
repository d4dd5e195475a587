"""The page of a job: its progress while it runs (its script checks the job in place; without
JavaScript a <noscript> refresh, which the user can stop), then its outcome; only for whoever
asked for it."""

import pytest
from django.urls import reverse

from jobs.models import Job

pytestmark = pytest.mark.django_db


def _job(user, **fields) -> Job:
    return Job.objects.create(
        kind=Job.Kind.NOTE_PDF,
        idempotency_key=f"test:{Job.objects.count()}",
        created_by=user,
        result_url="/meetings/",
        **fields,
    )


def test_a_running_job_shows_its_progress_and_refreshes_itself(staff_client, staff):
    job = _job(staff, state=Job.State.RUNNING, progress=40, message="Rendering the note.")
    page = staff_client.get(job.get_absolute_url()).content.decode()
    # Only without JavaScript (WCAG 2.2.1: with it, the script checks and the user can stop).
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert page.count("http-equiv") == 1
    assert 'src="/static/js/job.js"' in page
    assert f'data-job-status-url="{job.get_absolute_url()}status/"' in page
    assert "Stop checking" in page and "Check again" in page
    assert '<progress id="job-progress" max="100" value="40">40%</progress>' in page
    assert '<label for="job-progress">Progress</label>' in page
    assert "Running: Rendering the note." in page
    assert "Stop refreshing" in page


def test_refreshing_can_be_stopped(staff_client, staff):
    job = _job(staff, state=Job.State.QUEUED)
    page = staff_client.get(job.get_absolute_url() + "?refresh=off").content.decode()
    assert "http-equiv" not in page
    assert "Check again" in page


def test_a_finished_job_stops_refreshing_and_leads_on(staff_client, staff):
    done = _job(staff, state=Job.State.DONE, progress=100, message="The signed PDF is stored.")
    page = staff_client.get(done.get_absolute_url()).content.decode()
    assert "http-equiv" not in page
    assert "Done: The signed PDF is stored." in page
    assert 'href="/meetings/"' in page
    failed = _job(staff, state=Job.State.FAILED, message="This could not be completed.")
    page = staff_client.get(failed.get_absolute_url()).content.decode()
    assert "http-equiv" not in page
    assert "Failed: This could not be completed." in page
    assert "Nothing was left half-done." in page


def test_someone_elses_job_is_not_found(client, staff, commissioner):
    job = _job(staff)
    client.force_login(commissioner)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("jobs:job-detail", args=[job.pk + 1])).status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(client, staff):
    response = client.get(_job(staff).get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_status_for_the_pages_script_says_what_the_page_says(staff_client, staff):
    from django.test import Client

    job = _job(staff, state=Job.State.RUNNING, progress=40, message="Rendering the note.")
    url = reverse("jobs:job-status", args=[job.pk])
    response = staff_client.get(url)
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {
        "state": "running",
        "status": "Running: Rendering the note.",
        "progress": 40,
        "finished": False,
    }
    Job.objects.filter(pk=job.pk).update(state=Job.State.DONE, progress=100, message="Stored.")
    assert staff_client.get(url).json()["finished"] is True
    assert Client().get(url).status_code == 302  # signed out


def test_a_finished_job_has_no_script_and_no_refresh(staff_client, staff):
    page = staff_client.get(_job(staff, state=Job.State.DONE).get_absolute_url()).content
    assert b"job.js" not in page and b"data-job-status-url" not in page
