"""The public site's pages: only published notes, restricted items without content, search,
the stored PDF and the JSON."""

import hashlib
import json

import pytest
from django.urls import reverse

from meetings import demo
from meetings.services import sign_off
from tests.factories import AgendaItemFactory, note_published, note_signed

pytestmark = pytest.mark.django_db


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
    sign_off.note_submit(user=staff, meeting=draft, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=draft)
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


def test_a_superseded_note_says_so(client, published, staff, chief_executive):
    revision = sign_off.note_revise(user=staff, meeting=published)
    note_published(revision, staff=staff, chief_executive=chief_executive)
    page = client.get(reverse("public:note-detail", args=[published.pk])).content.decode()
    assert "superseded by a corrected version" in page
    assert (
        client.get(reverse("public:note-json", args=[published.pk])).json()["meeting"][
            "superseded_by"
        ]
        == revision.pk
    )


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
        conclusion="assured",
    )
    published = note_published(meeting, staff=staff, chief_executive=chief_executive)
    page = client.get(reverse("public:note-detail", args=[published.pk])).content.decode()
    assert "Closed category" in page and "Considered in closed session" in page
    assert "okapi" not in page
    assert "okapi" not in json.dumps(
        client.get(reverse("public:note-json", args=[published.pk])).json()
    )
