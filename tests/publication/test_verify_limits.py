"""The limits of the public PDF check: size (refused before it is read), rate per address,
checks at once, and bounded work for hostile files."""

from __future__ import annotations

import io
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.urls import reverse

from publication import verification
from tests.publication.pdfs import incremental_updates, object_stream_bomb, slow_to_parse

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def _verify(client, content: bytes, **extra):
    return client.post(
        reverse("public:verify"),
        {"document": SimpleUploadedFile("note.pdf", content, "application/pdf")},
        **extra,
    )


class CountingInput:
    """A request body of ``size`` bytes that is made as it is read, counting what is read."""

    def __init__(self, prefix: bytes, size: int):
        self.prefix, self.size, self.read_bytes = prefix, size, 0

    def read(self, n: int = -1) -> bytes:
        left = self.size - self.read_bytes
        n = left if n is None or n < 0 else min(n, left)
        start = self.read_bytes
        self.read_bytes += n
        head = self.prefix[start : start + n]
        return head + b"x" * (n - len(head))

    def readline(self, limit: int = -1) -> bytes:
        return self.read(limit if limit and limit > 0 else 64 * 1024)


def _multipart(size: int) -> tuple[CountingInput, dict]:
    boundary = "BoUnDaRy"
    prefix = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="document"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    ).encode()
    body = CountingInput(prefix, size)
    return body, {
        "wsgi.input": body,
        "CONTENT_LENGTH": str(size),
        "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
    }


# Size --------------------------------------------------------------------------------------


def test_the_limit_is_the_largest_published_note_plus_a_margin(published, settings):
    settings.VERIFY_UPLOAD_FLOOR_BYTES = 1
    settings.VERIFY_UPLOAD_MARGIN_BYTES = 1000
    size = published.pdf.size
    assert verification.upload_limit() == size + 1000
    settings.VERIFY_UPLOAD_CEILING_BYTES = size
    assert verification.upload_limit() == size
    settings.VERIFY_UPLOAD_FLOOR_BYTES = settings.VERIFY_UPLOAD_CEILING_BYTES = 5 * MB
    assert verification.upload_limit() == 5 * MB


def test_with_nothing_published_the_floor_applies(settings):
    settings.VERIFY_UPLOAD_MARGIN_BYTES = 1000
    settings.VERIFY_UPLOAD_FLOOR_BYTES = 123_456
    assert verification.upload_limit() == 123_456


def test_a_request_declaring_an_oversized_body_is_refused_before_it_is_read(client, settings):
    settings.VERIFY_UPLOAD_FLOOR_BYTES = settings.VERIFY_UPLOAD_CEILING_BYTES = 2 * MB
    body, environ = _multipart(30 * MB)
    response = client.generic("POST", reverse("public:verify"), **environ)
    assert response.status_code == 413
    assert "larger than 2.0" in response.content.decode()
    assert body.read_bytes == 0


def test_a_file_larger_than_it_claims_is_not_read_beyond_the_limit(client, settings):
    """The request's length fits the envelope's allowance, the file does not: reading stops."""
    limit = 64 * 1024
    settings.VERIFY_UPLOAD_FLOOR_BYTES = settings.VERIFY_UPLOAD_CEILING_BYTES = limit
    body, environ = _multipart(limit + verification.MULTIPART_OVERHEAD)
    response = client.generic("POST", reverse("public:verify"), **environ)
    assert response.status_code == 413
    assert body.read_bytes <= limit + verification.MULTIPART_OVERHEAD


def test_the_upload_handler_keeps_no_more_than_the_limit_in_memory():
    handler = verification.LimitedUploadHandler(1000)
    handler.new_file("document", "a.pdf", "application/pdf", None)
    handler.receive_data_chunk(b"x" * 600, 0)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 600, 600)
    assert handler.exceeded
    assert handler.buffer.getbuffer().nbytes == 0


# Rate --------------------------------------------------------------------------------------


def test_too_many_checks_a_minute_from_one_address_get_429_with_retry_after(client, settings):
    settings.VERIFY_RATE_PER_MINUTE = 3
    for _ in range(3):
        assert _verify(client, b"%PDF-1.7 x").status_code == 200
    refused = _verify(client, b"%PDF-1.7 x")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert "too many checks from your address" in refused.content.decode()
    other = _verify(client, b"%PDF-1.7 x", REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200


def test_the_hourly_limit_holds_too(client, settings):
    settings.VERIFY_RATE_PER_MINUTE = 100
    settings.VERIFY_RATE_PER_HOUR = 2
    assert _verify(client, b"%PDF-1.7 x").status_code == 200
    assert _verify(client, b"%PDF-1.7 x").status_code == 200
    refused = _verify(client, b"%PDF-1.7 x")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3601


def test_an_ipv6_network_counts_as_one_address(client, settings):
    settings.VERIFY_RATE_PER_MINUTE = 1
    assert _verify(client, b"%PDF-1.7 x", REMOTE_ADDR="2001:db8::1").status_code == 200
    assert _verify(client, b"%PDF-1.7 x", REMOTE_ADDR="2001:db8::2").status_code == 429
    assert _verify(client, b"%PDF-1.7 x", REMOTE_ADDR="2001:db8:1::1").status_code == 200


def test_looking_at_the_page_is_not_counted(client, settings):
    settings.VERIFY_RATE_PER_MINUTE = 1
    for _ in range(3):
        assert client.get(reverse("public:verify")).status_code == 200
    assert _verify(client, b"%PDF-1.7 x").status_code == 200


# Concurrency -------------------------------------------------------------------------------


def test_when_every_slot_is_busy_a_check_is_refused_with_503_not_queued(client, settings):
    settings.VERIFY_MAX_CONCURRENT = 1
    with verification.verification_slot() as taken:
        assert taken
        started = time.monotonic()
        busy = _verify(client, b"%PDF-1.7 x")
        assert time.monotonic() - started < 5
    assert busy.status_code == 503
    assert int(busy["Retry-After"]) > 0
    assert "busy" in busy.content.decode()
    assert _verify(client, b"%PDF-1.7 x").status_code == 200
    assert verification.SLOTS.running == 0


def test_slots_are_given_back_when_a_check_fails(settings, monkeypatch):
    settings.VERIFY_MAX_CONCURRENT = 1
    with pytest.raises(RuntimeError), verification.verification_slot():
        raise RuntimeError("pyHanko fell over")
    assert verification.SLOTS.running == 0


# Bounded work ------------------------------------------------------------------------------


def _hostile_files(signed_note: bytes, size: int) -> dict[str, bytes]:
    spaces = b"%PDF-1.7\n" + b" " * (size - 9)
    return {
        "spaces": spaces,
        "spaces-with-a-trailer": spaces[:-40] + b"\ntrailer\n<<>>\nstartxref\n9\n%%EOF\n",
        "note-with-junk-appended": signed_note
        + b"%"
        + b"j" * (size - len(signed_note) - 40)
        + b"\nstartxref\n9\n%%EOF\n",
        "many-updates": incremental_updates(signed_note, count=200),
        "many-signature-fields": signed_note + b"/ByteRange [0 1 2 3]\n" * 100,
        "object-stream-bomb": object_stream_bomb(decoded_size=200 * MB),
        # Well formed: only the time limit stops pyHanko (it takes 4 to 8 s on each).
        "spaces-before-the-catalog": slow_to_parse(padding=size - 200),
        "a-huge-string": slow_to_parse(string_length=size - 200),
    }


def test_hostile_files_at_the_size_limit_are_answered_in_bounded_time(client, settings, published):
    settings.VERIFY_UPLOAD_FLOOR_BYTES = settings.VERIFY_UPLOAD_CEILING_BYTES = 19 * MB
    settings.VERIFY_RATE_PER_MINUTE = settings.VERIFY_RATE_PER_HOUR = 1000
    # Half a second of checking, and two more for reading the 19 MB upload on a loaded machine;
    # without the limit, the last two files take 4 to 8 s each.
    settings.VERIFY_TIME_LIMIT_SECONDS = 0.5
    with published.pdf.open("rb") as stored:
        note = stored.read()
    for name, content in _hostile_files(note, 19 * MB - 64 * 1024).items():
        assert len(content) <= 19 * MB, name
        started = time.monotonic()
        response = _verify(client, content)
        spent = time.monotonic() - started
        assert response.status_code == 200, name
        assert "not a note published here" in response.content.decode(), name
        assert spent < 2.5, f"{name}: {spent:.2f} s"


def test_a_check_that_takes_too_long_says_so(client, settings):
    settings.VERIFY_UPLOAD_FLOOR_BYTES = settings.VERIFY_UPLOAD_CEILING_BYTES = 19 * MB
    settings.VERIFY_TIME_LIMIT_SECONDS = 0.5
    page = _verify(client, slow_to_parse(string_length=18 * MB)).content.decode()
    assert "took too long to read" in page


def test_a_plausible_unsigned_pdf_is_checked_in_the_child(client):
    page = _verify(client, slow_to_parse()).content.decode()
    assert "This PDF has no digital signature." in page


def test_only_a_plausible_pdf_is_given_to_pyhanko(client, monkeypatch, published):
    called = []
    monkeypatch.setattr(verification, "bounded_signature_check", lambda c: called.append(c))
    for content in (
        b"%PDF-1.7\n" + b" " * 5000,
        b"%PDF-1.7\n1 0 obj\n<<",
        b"%PDF-1.7\n" + b" " * 5000 + b"\nstartxref\n9\n%%EOF\n",
    ):
        page = _verify(client, content).content.decode()
        assert "not checked, because" in page
    assert called == []


def test_a_pdf_with_two_signatures_is_not_validated(pki, published):
    """pyHanko's own count, for signatures the byte scan cannot see."""
    from meetings import signing

    with published.pdf.open("rb") as stored:
        note = stored.read()
    twice = _sign(_sign(note, pki.signer, "First"), pki.signer, "Second")
    check = signing.check_signature(twice, max_signatures=1, max_revisions=5)
    assert check.present and not check.valid
    assert "2 digital signatures" in check.summary
    assert (
        "2 digital signatures"
        in signing.check_signature_within(
            twice, seconds=30, max_signatures=1, max_revisions=5
        ).summary
    )


def test_too_many_revisions_are_not_validated(published):
    from meetings import signing

    with published.pdf.open("rb") as stored:
        note = stored.read()
    check = signing.check_signature(incremental_updates(note, count=5), max_revisions=3)
    assert "revisions" in check.summary
    assert not check.present


def _sign(pdf: bytes, signer, field: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return (
        PdfSigner(PdfSignatureMetadata(field_name=field), signer=signer).sign_pdf(writer).getvalue()
    )


def test_the_bomb_really_expands():
    """The object stream bomb of the time test decompresses to far more than the cap."""
    bomb = object_stream_bomb(decoded_size=200 * MB)
    stream = bomb[bomb.index(b"stream\n") + 7 : bomb.index(b"\nendstream")]
    assert len(zlib.decompress(stream)) == 200 * MB
    assert len(bomb) < 2 * MB
