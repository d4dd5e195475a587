"""Staff upload a file, see what it changes, then confirm or cancel. The check and the apply
run as jobs, in-process here (no broker): each request's jobs run once it commits."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from jobs.models import Job
from performance.models import CrimeCount, PendingImport, Release

from .raw import lines, text_of, upload

UPLOAD = reverse("performance:import-upload")
LIST = reverse("performance:import-list")
EXTRACT = lines("force,month,category,count", "Lancashire,2013-10,Arson,41")


_jobs = {}


@pytest.fixture(autouse=True)
def _jobs_run_as_requests_commit(django_capture_on_commit_callbacks):
    _jobs["capture"] = django_capture_on_commit_callbacks
    yield
    _jobs.clear()


def _post(client, path, data=None):
    """A POST whose jobs run once it commits, as they do in-process outside a test."""
    with _jobs["capture"](execute=True):
        return client.post(path, data or {})


def _upload(client, content: bytes = EXTRACT, kind: str = "monthly", **extra):
    return _post(client, UPLOAD, {"kind": kind, "file": upload("extract.csv", content), **extra})


def _followed(response) -> Job:
    """The job a request handed its work to, finished once the request committed: the
    request leads to its page."""
    job = Job.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    return job


def _preview(client, content: bytes = EXTRACT) -> str:
    check = _followed(_upload(client, content))
    assert check.state == "done"
    return check.result_url


@pytest.mark.parametrize("path", [UPLOAD, LIST])
def test_anonymous_people_are_sent_to_sign_in(client, db, path):
    assert client.get(path).status_code == 302


@pytest.mark.parametrize("path", [UPLOAD, LIST])
def test_viewing_performance_is_not_enough_to_import(viewer_client, path):
    assert viewer_client.get(path).status_code == 403
    assert _upload(viewer_client).status_code == 403


@pytest.mark.parametrize("path", [UPLOAD, LIST])
def test_a_user_with_the_import_permission_may_import(importer_client, path):
    assert importer_client.get(path).status_code == 200


def test_an_upload_is_kept_in_storage_and_previewed_before_anything_changes(
    reference, importer_client
):
    check = _followed(_upload(importer_client))
    pending = PendingImport.objects.get()
    assert (check.kind, check.state, check.progress) == ("import_check", "done", 100)
    assert check.message == (
        "extract.csv was checked: 1 figures for 1 force(s), October 2013 to October 2013: "
        "1 new, 0 changed, 0 removed, 0 unchanged."
    )
    assert check.result_url == reverse("performance:import-preview", args=[pending.pk])
    job_page = text_of(importer_client.get(check.get_absolute_url()))
    assert "Done: extract.csv was checked" in job_page and "Continue" in job_page
    assert pending.file.name == f"performance/pending-imports/{pending.pk}.upload"
    with default_storage.open(pending.file.name, "rb") as stored:
        assert stored.read() == EXTRACT
    assert (pending.file_name, pending.size) == ("extract.csv", len(EXTRACT))
    preview = importer_client.get(check.result_url)
    page = text_of(preview)
    assert "1 figures for 1 force(s), October 2013 to October 2013: 1 new" in page
    assert "Lancashire, Arson, October 2013 none 41" in page
    assert CrimeCount.objects.count() == 0


def test_confirming_applies_the_import_and_records_who_did_it(
    reference, importer_client, importer, django_capture_on_commit_callbacks
):
    preview = _preview(importer_client)
    job = _followed(_post(importer_client, preview))
    assert (job.kind, job.state, job.result_url) == ("import_apply", "done", LIST)
    assert job.message.startswith("Imported extract.csv: ")
    assert CrimeCount.objects.get().count == 41
    release = Release.objects.get(source__slug="force-extract")
    assert release.imported_by == importer
    assert not PendingImport.objects.exists()
    assert not default_storage.listdir("performance/pending-imports")[1]
    assert "extract.csv" in text_of(importer_client.get(LIST))


def test_a_preview_shows_revisions_of_figures_already_held(reference, importer_client):
    _post(importer_client, _preview(importer_client))
    preview = _preview(
        importer_client, lines("force,month,category,count", "Lancashire,2013-10,Arson,45")
    )
    page = text_of(importer_client.get(preview))
    assert "1 changed" in page
    assert "Lancashire, Arson, October 2013 41 45" in page


def test_cancelling_discards_the_upload(
    reference, importer_client, django_capture_on_commit_callbacks
):
    preview = _preview(importer_client)
    pending = PendingImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        importer_client.post(reverse("performance:import-cancel", args=[pending.pk]))
    assert not PendingImport.objects.exists()
    assert not default_storage.exists(pending.file.name)
    assert CrimeCount.objects.count() == 0
    assert importer_client.get(preview).status_code == 404


def test_someone_else_cannot_see_or_confirm_an_upload(reference, importer_client, client):
    from .conftest import _user

    preview = _preview(importer_client)
    client.force_login(_user("other-importer", "view_performance", "import_data"))
    assert client.get(preview).status_code == 404
    assert client.post(preview).status_code == 404
    assert CrimeCount.objects.count() == 0


def test_a_bad_file_lists_every_problem_and_keeps_nothing(reference, importer_client):
    job = _followed(
        _upload(
            importer_client,
            lines("force,month,category,count", "Nowhere,2013-10,Arson,1", "Lancashire,13,Arson,x"),
        )
    )
    assert (job.state, job.result_url, job.result["count"]) == ("failed", UPLOAD, 3)
    page = text_of(importer_client.get(job.get_absolute_url()))
    assert "Failed: Nothing was imported: 3 problems found in the file." in page
    assert "Problems in the file: 3" in page
    assert "extract.csv 2 force unknown force Nowhere" in page
    assert "extract.csv 3 month" in page
    assert "extract.csv 3 count not a whole number x" in page
    assert not PendingImport.objects.exists()
    assert not default_storage.listdir("performance/pending-imports")[1]


def test_a_file_over_the_size_limit_is_refused(reference, importer_client, settings):
    settings.PERFORMANCE_UPLOAD_MAX_BYTES = 10
    response = _upload(importer_client)
    assert "the largest accepted is" in text_of(response)
    assert not PendingImport.objects.exists()


def test_populations_need_their_vintage(reference, importer_client):
    response = _upload(
        importer_client, lines("pfa_code,year,population", "E23000003,2030,1"), kind="population"
    )
    assert "Say which edition of the estimates this is." in text_of(response)


def test_the_stored_file_is_deleted_only_once_the_deletion_is_committed(
    reference, importer, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from performance import services

    pending = services.pending_import_create(
        user=importer, kind="monthly", upload=ContentFile(EXTRACT, name="extract.csv"), options={}
    )
    with django_capture_on_commit_callbacks() as callbacks:
        services.pending_import_apply(user=importer, pending=pending)
        assert default_storage.exists(pending.file.name)
    assert callbacks
    for callback in callbacks:
        callback()
    assert not default_storage.exists(pending.file.name)


def test_uploads_left_for_a_day_are_discarded_with_their_files(
    reference, importer, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from performance import services

    def upload():
        return services.pending_import_create(
            user=importer,
            kind="monthly",
            upload=ContentFile(EXTRACT, name="extract.csv"),
            options={},
        )

    old = upload()
    PendingImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        new = upload()
    assert list(PendingImport.objects.all()) == [new]
    assert not default_storage.exists(old.file.name)
    assert default_storage.exists(new.file.name)


def test_a_stored_file_gone_missing_is_a_problem_not_an_error(reference, importer_client):
    preview = _preview(importer_client)
    default_storage.delete(PendingImport.objects.get().file.name)
    job = _followed(_post(importer_client, preview))
    assert (job.state, job.result_url) == ("failed", UPLOAD)
    assert job.message == "Nothing was imported: 1 problem found in the file."
    page = text_of(importer_client.get(job.get_absolute_url()))
    assert "Failed: Nothing was imported: 1 problem found in the file." in page
    assert "cannot be read" in page and "Nothing was left half-done." in page
    assert CrimeCount.objects.count() == 0 and not PendingImport.objects.exists()
