"""The public site: only published notes, restricted items without content, feeds, search."""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import demo
from meetings.services import sign_off
from publication import feeds, forms
from tests.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory, note_signed

pytestmark = pytest.mark.django_db


def _publish(meeting, staff, chief_executive):
    sign_off.note_submit(user=staff, meeting=meeting)
    note_signed(
        user=chief_executive,
        meeting=meeting,
        signatory_name="Miranda Carruthers-Watt",
        signatory_title="Chief Executive",
    )
    return sign_off.note_publish(user=staff, meeting=meeting)


@pytest.fixture
def published(staff, chief_executive):
    meeting, _ = demo.load_reference_meeting()
    AgendaItemFactory(
        meeting=meeting,
        position=7,
        title="Personnel matter",
        is_restricted=True,
        exemption="s.40 personal information",
        narrative="Secret zebra details",
    )
    return _publish(meeting, staff, chief_executive)


@pytest.fixture
def draft():
    meeting = MeetingFactory(title="Draft scrutiny")
    AttendanceFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting, narrative="Unpublished giraffe text")
    return meeting


def test_the_public_list_shows_published_notes_only(client, published, draft):
    page = client.get(reverse("public:note-list")).content.decode()
    assert "Strategic Scrutiny Meeting, Monday, 23 December 2013" in page
    assert "Draft scrutiny" not in page


def test_the_home_page_is_the_public_list(client):
    response = client.get("/")
    assert response["Location"] == reverse("public:note-list")


def test_a_published_note_reads_as_the_pdf_does(client, published):
    page = client.get(reverse("public:note-detail", args=[published.pk])).content.decode()
    for text in (
        "Clive Grunshaw",
        "Police and Crime Commissioner",
        "Steve Southworth",
        "f)",
        "Resources and Value for Money",
        "Operation Vanquish",
        "Miranda Carruthers-Watt",
        published.pdf_sha256,
    ):
        assert text in page


def test_restricted_items_are_listed_with_their_exemption_and_no_content(client, published):
    page = client.get(reverse("public:note-detail", args=[published.pk])).content.decode()
    assert "Personnel matter" in page and "s.40 personal information" in page
    assert "Secret zebra details" not in page
    data = client.get(reverse("public:note-json", args=[published.pk])).json()
    restricted = data["items"][-1]
    assert restricted == {
        "label": "g)",
        "title": "Personnel matter",
        "restricted": True,
        "exemption": "s.40 personal information",
    }
    assert "zebra" not in json.dumps(data)


@pytest.mark.parametrize("name", ["public:note-detail", "public:note-pdf", "public:note-json"])
def test_drafts_and_signed_but_unpublished_notes_are_not_public(
    client, draft, name, staff, chief_executive
):
    assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    sign_off.note_submit(user=staff, meeting=draft)
    note_signed(user=chief_executive, meeting=draft, signatory_name="A", signatory_title="B")
    assert client.get(reverse(name, args=[draft.pk])).status_code == 404


def test_the_public_pdf_is_the_stored_file_with_long_caching(client, published):
    response = client.get(reverse("public:note-pdf", args=[published.pk]))
    body = b"".join(response.streaming_content)  # consuming it closes the file
    assert hashlib.sha256(body).hexdigest() == published.pdf_sha256
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{published.pdf_sha256}"'


def test_the_json_carries_meeting_attendance_items_and_decisions(client, published):
    data = client.get(reverse("public:note-json", args=[published.pk])).json()
    assert data["meeting"]["title"] == "Strategic Scrutiny Meeting"
    assert data["meeting"]["start"] == "2013-12-23T14:00:00+00:00"
    assert [p["name"] for p in data["attendance"]["present"]][:2] == [
        "Clive Grunshaw",
        "Ibby Master",
    ]
    assert len(data["attendance"]["in_attendance"]) == 2
    assert [i["label"] for i in data["items"]] == ["a)", "b)", "c)", "d)", "e)", "f)", "g)"]
    assert data["pdf"]["sha256"] == published.pdf_sha256


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Vanquish", True),
        ("burglary strategy", True),
        ("zebra", False),
        ("giraffe", False),
        ("Cabinet Room", True),
        ("unicorns", False),
    ],
)
def test_search_finds_published_text_but_never_restricted_or_draft_text(
    client, published, draft, query, found
):
    page = client.get(reverse("public:note-list"), {"q": query}).content.decode()
    assert ("Strategic Scrutiny Meeting, Monday, 23 December 2013" in page) is found
    assert "Draft scrutiny" not in page


def test_the_atom_feed_lists_published_notes(client, published, draft):
    response = client.get(reverse("public:note-feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Strategic Scrutiny Meeting, 23 December 2013" in body
    assert "Draft scrutiny" not in body


def test_the_calendar_lists_scheduled_meetings(client):
    import datetime as dt

    from tests.factories import LONDON

    MeetingFactory(
        title="Strategic Scrutiny Meeting, with a comma",
        start=dt.datetime(2099, 3, 2, 10, 0, tzinfo=LONDON),
        venue="Cabinet Room B, County Hall, Preston",
    )
    response = client.get(reverse("public:meetings-calendar"))
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20990302T100000Z" in body
    assert "SUMMARY:Strategic Scrutiny Meeting\\, with a comma" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_long_calendar_lines_are_folded():
    folded = feeds._ics_fold("LOCATION:" + "é" * 100)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "LOCATION:" + "é" * 100


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


def test_too_large_uploads_are_refused(client, monkeypatch):
    monkeypatch.setattr(forms, "MAX_VERIFY_UPLOAD", 10)
    response = _verify(client, b"%PDF-1.7 " + b"x" * 20)
    assert response.status_code == 400
    assert "larger than 20 MB" in response.content.decode()


def test_a_truncated_pdf_gets_an_answer_not_an_error(client):
    response = _verify(client, b"%PDF-1.7\n1 0 obj\n<<")
    assert response.status_code == 200
    assert "not a note published here" in response.content.decode()


def test_the_verification_page_needs_no_sign_in(client):
    assert client.get(reverse("public:verify")).status_code == 200


def test_a_superseded_note_says_so(client, published, staff, chief_executive):
    revision = sign_off.note_revise(user=staff, meeting=published)
    _publish(revision, staff, chief_executive)
    page = client.get(reverse("public:note-detail", args=[published.pk])).content.decode()
    assert "superseded by a corrected version" in page
    assert (
        client.get(reverse("public:note-json", args=[published.pk])).json()["meeting"][
            "superseded_by"
        ]
        == revision.pk
    )


def test_a_digitally_signed_note_verifies_as_genuine_and_trusted(
    client, staff, chief_executive, pki, settings
):
    settings.SIGNING_P12 = str(pki.p12)
    settings.SIGNING_PASSPHRASE_FILE = str(pki.passphrase_file)
    settings.SIGNING_TRUST_ROOTS = [str(pki.root_pem)]
    meeting, _ = demo.load_reference_meeting()
    published = _publish(meeting, staff, chief_executive)
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


def test_an_exception_report_discussed_in_closed_session_shows_nothing_of_its_content(
    client, staff, chief_executive
):
    from meetings.models import ExceptionReport

    meeting, _ = demo.load_reference_meeting()
    closed = AgendaItemFactory(
        meeting=meeting,
        position=7,
        title="Closed item",
        is_restricted=True,
        exemption="s.40 personal information",
    )
    ExceptionReport.objects.create(
        meeting=meeting,
        category_slug="force-x",
        category_name="Closed category",
        status="accepted",
        item=closed,
        concern="Secret okapi concern",
        explanation="Secret okapi account",
    )
    published = _publish(meeting, staff, chief_executive)
    page = client.get(reverse("public:note-detail", args=[published.pk])).content.decode()
    assert "Closed category" in page and "Considered in closed session" in page
    assert "okapi" not in page
    assert "okapi" not in json.dumps(
        client.get(reverse("public:note-json", args=[published.pk])).json()
    )
