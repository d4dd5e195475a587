"""The page of a job still running, in the browser: axe-clean (no meta refresh with JavaScript
on, WCAG 2.2.1), its status shown in place as the job moves on, and checking stoppable."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jobs.models import Job

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_running_job_is_followed_in_place_and_the_user_can_stop(page: Page, axe, sign_in, staff):
    job = Job.objects.create(
        kind=Job.Kind.IMPORT_CHECK,
        idempotency_key="e2e-job",
        state=Job.State.RUNNING,
        progress=20,
        message="Reading and checking extract.csv.",
        created_by=staff,
        result_url="/",
    )
    sign_in(staff)
    page.goto(job.get_absolute_url())
    expect(page.get_by_role("button", name="Stop checking")).to_be_visible()
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    axe(state="running, followed by its script")
    Job.objects.filter(pk=job.pk).update(progress=60, message="Working out what would change.")
    status = page.get_by_role("status")
    expect(status).to_have_text("Running: Working out what would change.", timeout=10_000)
    expect(page.locator("progress")).to_have_attribute("value", "60")
    page.get_by_role("button", name="Stop checking").click()
    expect(page.get_by_role("button", name="Start checking again")).to_be_visible()
    Job.objects.filter(pk=job.pk).update(state=Job.State.DONE, progress=100, message="Checked.")
    page.wait_for_timeout(3000)
    expect(status).to_have_text("Running: Working out what would change.")  # stopped
    page.get_by_role("button", name="Start checking again").click()
    expect(status).to_have_text("Done: Checked.", timeout=10_000)
    expect(page.get_by_role("link", name="See the outcome")).to_be_visible()
    axe(state="finished, seen in place")
