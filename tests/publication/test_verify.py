"""Checking whether a PDF is a published note, and its digital signature."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import demo
from tests.factories import note_published

pytestmark = pytest.mark.django_db


def _verify(client, content: bytes, name="note.pdf"):
    return client.post(
        reverse("public:verify"), {"document": SimpleUploadedFile(name, content, "application/pdf")}
    )


def test_verifying_the_published_pdf_names_its_meeting(client, published):
    with published.pdf.open("rb") as stored:
        response = _verify(client, stored.read())
    page = response.content.decode()
    assert response.status_code == 200
    assert "This is the published note of the" in page
    assert "Strategic Scrutiny Meeting, Monday, 23 December 2013" in page
    assert "no digital signature" in page


def test_verifying_a_changed_pdf_says_it_is_not_published_here(client, published):
    with published.pdf.open("rb") as stored:
        content = bytearray(stored.read())
    content[-20] ^= 1
    page = _verify(client, bytes(content)).content.decode()
    assert "not a note published here" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "The file is empty."), (b"GIF89a not a pdf", "The file is not a PDF.")],
)
def test_bad_uploads_get_a_clear_message(client, content, message):
    response = _verify(client, content)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_too_large_uploads_are_refused(client, settings):
    settings.VERIFY_UPLOAD_FLOOR_BYTES = settings.VERIFY_UPLOAD_CEILING_BYTES = 1000
    response = _verify(client, b"%PDF-1.7 " + b"x" * 2000)
    assert response.status_code == 413
    assert "larger than 1000" in response.content.decode()


def test_a_truncated_pdf_gets_an_answer_not_an_error(client):
    response = _verify(client, b"%PDF-1.7\n1 0 obj\n<<")
    assert response.status_code == 200
    assert "not a note published here" in response.content.decode()


def test_the_verification_page_needs_no_sign_in(client):
    assert client.get(reverse("public:verify")).status_code == 200


def test_a_digitally_signed_note_verifies_as_genuine_and_trusted(
    client, staff, chief_executive, pki, settings
):
    settings.SIGNING_P12 = str(pki.p12)
    settings.SIGNING_PASSPHRASE_FILE = str(pki.passphrase_file)
    settings.SIGNING_TRUST_ROOTS = [str(pki.root_pem)]
    meeting, _ = demo.load_reference_meeting()
    published = note_published(meeting, staff=staff, chief_executive=chief_executive)
    assert published.pdf_digitally_signed
    with published.pdf.open("rb") as stored:
        content = stored.read()
    page = _verify(client, content).content.decode()
    assert "This is the published note of the" in page
    assert "has not been changed since, and the signer&#x27;s certificate is trusted" in page
    tampered = bytearray(content)
    tampered[len(tampered) // 3] ^= 1
    page = _verify(client, bytes(tampered)).content.decode()
    assert "not a note published here" in page
