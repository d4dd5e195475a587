"""Stored files in S3-compatible object storage (STORAGE_S3_BUCKET): signed PDFs, their
download and check, the archive, and uploads waiting for their import, against a real S3 API
(moto's server mode) read back with boto3, never a mock of the client."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from meetings import demo
from meetings.models import Meeting
from tests.factories import note_published
from tests.services import s3_bucket_create, s3_storage_setting
from tests.settings_child import setting_from


def _storage_settings(env: dict[str, str]) -> dict:
    return setting_from(env, "settings.STORAGES['default']", unset=("STORAGE_", "AWS_"))


def test_without_a_bucket_files_are_stored_under_media_root():
    storage = _storage_settings({})
    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_puts_stored_files_in_object_storage_without_keeping_the_keys():
    storage = _storage_settings(
        {
            "STORAGE_S3_BUCKET": "opcc-notes",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
            "AWS_S3_REGION_NAME": "eu-west-2",
            "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "very-secret",
        }
    )
    expected = s3_storage_setting(endpoint_url="https://s3.example.org", bucket="opcc-notes")
    expected["OPTIONS"]["region_name"] = "eu-west-2"
    assert storage == expected
    assert "very-secret" not in json.dumps(storage)


# Against the S3 server (make test-scaleout) -------------------------------------------------

scaleout = pytest.mark.scaleout


def _object(s3, bucket: str, name: str) -> bytes:
    return s3.get_object(Bucket=bucket, Key=name)["Body"].read()


@pytest.fixture
def published_in_bucket(object_storage, staff, chief_executive):
    meeting, _ = demo.load_reference_meeting()
    return note_published(meeting, staff=staff, chief_executive=chief_executive)


@scaleout
@pytest.mark.django_db
def test_signing_stores_the_pdf_in_the_bucket_with_its_hash(object_storage, published_in_bucket):
    s3, bucket = object_storage
    meeting = published_in_bucket
    stored = _object(s3, bucket, meeting.pdf.name)
    assert stored.startswith(b"%PDF")
    assert hashlib.sha256(stored).hexdigest() == meeting.pdf_sha256


@scaleout
@pytest.mark.django_db
def test_the_public_download_serves_the_stored_object(client, published_in_bucket):
    meeting = published_in_bucket
    response = client.get(reverse("public:note-pdf", args=[meeting.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == meeting.pdf_sha256
    assert response["ETag"] == f'"{meeting.pdf_sha256}"'


@scaleout
@pytest.mark.django_db
def test_the_verify_page_recognises_the_stored_note(client, object_storage, published_in_bucket):
    s3, bucket = object_storage
    content = _object(s3, bucket, published_in_bucket.pdf.name)
    response = client.post(
        reverse("public:verify"),
        {"document": SimpleUploadedFile("note.pdf", content, "application/pdf")},
    )
    assert response.status_code == 200
    assert "This is the published note of the" in response.content.decode()


@scaleout
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_archive_restores_into_an_empty_bucket(
    s3_server, object_storage, published_in_bucket, settings, tmp_path
):
    s3, _ = object_storage
    published = published_in_bucket
    archive = tmp_path / "backup.zip"
    call_command("export_archive", str(archive), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    fresh = s3_bucket_create(s3_server.endpoint_url)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage_setting(endpoint_url=s3_server.endpoint_url, bucket=fresh),
    }
    out = io.StringIO()
    call_command("import_archive", str(archive), stdout=out)
    assert "every stored PDF matches its recorded hash" in out.getvalue()
    restored = Meeting.objects.get(pk=published.pk)
    stored = _object(s3, fresh, restored.pdf.name)
    assert hashlib.sha256(stored).hexdigest() == published.pdf_sha256
