"""The stored PDF is served as a static file is: its size, hash and name from the row, an
ETag and Last-Modified, conditional requests answered 304 without opening the file, no query
once known, and in production the file handed to the front server."""

import hashlib
from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date

pytestmark = pytest.mark.django_db


def _url(meeting):
    return reverse("public:note-pdf", args=[meeting.pk])


def test_the_row_keeps_the_size_and_the_download_carries_etag_and_last_modified(client, published):
    response = client.get(_url(published))
    body = b"".join(response.streaming_content)
    assert published.pdf_size == len(body) == int(response["Content-Length"])
    assert hashlib.sha256(body).hexdigest() == published.pdf_sha256
    assert response["ETag"] == f'"{published.pdf_sha256}"'
    assert response["Last-Modified"] == http_date(published.signed_at.timestamp())
    assert 'filename="meeting-note-2013-12-23.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize("header", ["If-None-Match", "If-Modified-Since"])
def test_a_conditional_request_is_answered_304_without_opening_the_file(client, published, header):
    value = (
        f'"{published.pdf_sha256}"'
        if header == "If-None-Match"
        else http_date(published.signed_at.timestamp())
    )
    b"".join(client.get(_url(published)).streaming_content)  # known from then on
    with mock.patch.object(FileSystemStorage, "open", side_effect=AssertionError("opened")):
        response = client.get(_url(published), headers={header: value})
    assert response.status_code == 304
    assert response["ETag"] == f'"{published.pdf_sha256}"'


def test_another_etag_or_an_older_date_gets_the_file(client, published):
    other = client.get(_url(published), headers={"If-None-Match": '"0000"'})
    assert other.status_code == 200
    b"".join(other.streaming_content)
    older = client.get(_url(published), headers={"If-Modified-Since": http_date(0)})
    assert older.status_code == 200
    b"".join(older.streaming_content)


def test_once_known_the_download_costs_no_query(client, published):
    b"".join(client.get(_url(published)).streaming_content)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(published))
        b"".join(response.streaming_content)
    assert response.status_code == 200
    assert len(queries) == 0


def test_the_front_server_can_send_the_file(client, published, settings):
    settings.PDF_SENDFILE_HEADER = "X-Accel-Redirect"
    settings.PDF_SENDFILE_PREFIX = "/protected-media/"
    response = client.get(_url(published))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{published.pdf.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    settings.PDF_SENDFILE_HEADER = "X-Sendfile"
    response = client.get(_url(published))
    assert response["X-Sendfile"] == default_storage.path(published.pdf.name)


def test_a_number_no_published_note_has_is_not_found(client, published):
    assert client.get(reverse("public:note-pdf", args=[published.pk + 1000])).status_code == 404


def test_the_file_is_streamed_in_64_kib_blocks(client, published):
    """Not FileResponse's 4 KiB: each block costs a read and a trip through the server."""
    blocks = list(client.get(_url(published)).streaming_content)
    assert sum(map(len, blocks)) == published.pdf_size
    assert len(blocks) == -(-published.pdf_size // (64 * 1024))
