"""An upload waits for its confirmation in object storage (STORAGE_S3_BUCKET), where any app
server can preview and apply it, and is deleted from the bucket once applied."""

import pytest
from django.urls import reverse

from performance.models import CrimeCount, PendingImport

from .raw import lines, upload

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db]

EXTRACT = lines("force,month,category,count", "Lancashire,2013-10,Arson,41")


def test_an_upload_waits_in_the_bucket_and_is_gone_once_applied(
    object_storage, reference, importer_client, django_capture_on_commit_callbacks
):
    s3, bucket = object_storage
    with django_capture_on_commit_callbacks(execute=True):  # the check's job, in-process
        response = importer_client.post(
            reverse("performance:import-upload"),
            {"kind": "monthly", "file": upload("extract.csv", EXTRACT)},
        )
    assert response.status_code == 302
    pending = PendingImport.objects.get()
    assert s3.get_object(Bucket=bucket, Key=pending.file.name)["Body"].read() == EXTRACT
    preview = reverse("performance:import-preview", args=[pending.pk])
    assert importer_client.get(preview).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        applied = importer_client.post(preview)
    assert applied.status_code == 302
    assert CrimeCount.objects.get().count == 41
    assert s3.list_objects_v2(Bucket=bucket, Prefix=pending.file.name)["KeyCount"] == 0
