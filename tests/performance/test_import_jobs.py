"""Imports and the peer groups as jobs: safe to run again (a worker lost after the import was
applied leaves a job whose retry reports it, importing nothing twice), and the peer groups
computed from the import page with their progress on the job page."""

import pytest
from django.urls import reverse

from jobs.models import Job
from performance import tasks
from performance.models import CrimeCount, PendingImport, Release

from .raw import lines, upload

pytestmark = pytest.mark.django_db

EXTRACT = lines("force,month,category,count", "Lancashire,2013-10,Arson,41")


def _post(client, capture, path, data=None):
    with capture(execute=True):
        return client.post(path, data or {})


def test_an_apply_delivered_again_after_it_was_done_imports_nothing_twice(
    reference, importer_client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _post(
        importer_client,
        capture,
        reverse("performance:import-upload"),
        {"kind": "monthly", "file": upload("extract.csv", EXTRACT)},
    )
    preview = Job.objects.get(kind=Job.Kind.IMPORT_CHECK).result_url
    _post(importer_client, capture, preview)
    job = Job.objects.get(kind=Job.Kind.IMPORT_APPLY)
    assert job.state == "done" and not PendingImport.objects.exists()
    # The worker died after the import was applied, before the job was marked done.
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)
    tasks.import_apply.delay(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("done", 2)
    assert job.message.startswith("Imported extract.csv: ")
    assert Release.objects.filter(source__slug="force-extract").count() == 1
    assert CrimeCount.objects.get().count == 41


def test_a_check_whose_upload_is_gone_fails_with_a_reason(reference, importer):
    from django.core.files.base import ContentFile

    from performance import services

    pending = services.pending_import_store(
        user=importer, kind="monthly", upload=ContentFile(EXTRACT, name="x.csv"), options={}
    )
    job = Job.objects.create(
        kind=Job.Kind.IMPORT_CHECK,
        idempotency_key="check-gone",
        arguments={"pending": str(pending.pk)},
        created_by=importer,
    )
    PendingImport.objects.filter(pk=pending.pk).delete()
    tasks.import_check.delay(job.pk)
    job.refresh_from_db()
    assert (job.state, job.message) == ("failed", services.UPLOAD_GONE)


def test_the_peer_groups_are_computed_as_a_job_asked_for_once(
    reference, importer_client, django_capture_on_commit_callbacks
):
    from django.test import Client

    from .conftest import _user

    url = reverse("performance:peer-groups-compute")
    viewer = Client()
    viewer.force_login(_user("a-viewer", "view_performance"))
    assert viewer.post(url).status_code == 403
    assert (
        "Compute the peer groups again"
        in importer_client.get(reverse("performance:import-list")).content.decode()
    )
    first = _post(importer_client, django_capture_on_commit_callbacks, url)
    job = Job.objects.get(kind=Job.Kind.PEER_GROUPS)
    assert first["Location"] == job.get_absolute_url()
    assert (job.state, job.progress, job.result_url) == (
        "done",
        100,
        reverse("performance:import-list"),
    )
    assert job.message.startswith("Computed peer groups for ")
    # Asked for again with the data unchanged: the same job, not run again.
    _post(importer_client, django_capture_on_commit_callbacks, url)
    assert Job.objects.filter(kind=Job.Kind.PEER_GROUPS).count() == 1
