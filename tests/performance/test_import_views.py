"""Staff upload a file, see what it changes, then confirm or cancel."""

import pytest
from django.urls import reverse

from performance.models import CrimeCount, PendingImport, Release

from .raw import lines, text_of, upload

UPLOAD = reverse("performance:import-upload")
LIST = reverse("performance:import-list")
EXTRACT = lines("force,month,category,count", "Lancashire,2013-10,Arson,41")


def _upload(client, content: bytes = EXTRACT, kind: str = "monthly", **extra):
    return client.post(UPLOAD, {"kind": kind, "file": upload("extract.csv", content), **extra})


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


def test_an_upload_is_kept_in_the_database_and_previewed_before_anything_changes(
    reference, importer_client
):
    response = _upload(importer_client)
    pending = PendingImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("performance:import-preview", args=[pending.pk])
    assert bytes(pending.content) == EXTRACT
    preview = importer_client.get(response["Location"])
    page = text_of(preview)
    assert "1 figures for 1 force(s), October 2013 to October 2013: 1 new" in page
    assert "Lancashire, Arson, October 2013 none 41" in page
    assert CrimeCount.objects.count() == 0


def test_confirming_applies_the_import_and_records_who_did_it(reference, importer_client, importer):
    preview = _upload(importer_client)["Location"]
    response = importer_client.post(preview)
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert CrimeCount.objects.get().count == 41
    release = Release.objects.get(source__slug="force-extract")
    assert release.imported_by == importer
    assert not PendingImport.objects.exists()
    assert "extract.csv" in text_of(importer_client.get(LIST))


def test_a_preview_shows_revisions_of_figures_already_held(reference, importer_client):
    importer_client.post(_upload(importer_client)["Location"])
    preview = _upload(
        importer_client, lines("force,month,category,count", "Lancashire,2013-10,Arson,45")
    )["Location"]
    page = text_of(importer_client.get(preview))
    assert "1 changed" in page
    assert "Lancashire, Arson, October 2013 41 45" in page


def test_cancelling_discards_the_upload(reference, importer_client):
    preview = _upload(importer_client)["Location"]
    pending = PendingImport.objects.get()
    importer_client.post(reverse("performance:import-cancel", args=[pending.pk]))
    assert not PendingImport.objects.exists()
    assert CrimeCount.objects.count() == 0
    assert importer_client.get(preview).status_code == 404


def test_someone_else_cannot_see_or_confirm_an_upload(reference, importer_client, client):
    from .conftest import _user

    preview = _upload(importer_client)["Location"]
    client.force_login(_user("other-importer", "view_performance", "import_data"))
    assert client.get(preview).status_code == 404
    assert client.post(preview).status_code == 404
    assert CrimeCount.objects.count() == 0


def test_a_bad_file_lists_every_problem_and_keeps_nothing(reference, importer_client):
    response = _upload(
        importer_client,
        lines("force,month,category,count", "Nowhere,2013-10,Arson,1", "Lancashire,13,Arson,x"),
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Nothing was imported: 3 problems found" in page
    assert "extract.csv 2 force unknown force Nowhere" in page
    assert "extract.csv 3 month" in page
    assert "extract.csv 3 count not a whole number x" in page
    assert not PendingImport.objects.exists()


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
