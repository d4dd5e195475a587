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


# A board's note in its own style, with its actions ---------------------------------------------


@pytest.fixture
def board(staff, chief_executive):
    from tests.factories import executive_board_meetings

    _, march = executive_board_meetings(staff)
    return note_published(march, staff=staff, chief_executive=chief_executive)


def _text(html: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_published_board_note_prints_in_its_bodys_style_with_its_public_actions(client, board):
    page = client.get(reverse("public:note-detail", args=[board.pk])).content.decode()
    text = _text(page)
    for phrase in (
        "Minutes of the Executive Board, Tuesday, 11 March 2014",
        "In the Chair Police and Crime Commissioner Clive Grunshaw (CG)",
        "Minute taker Administrative Assistant Steve Southworth (SS)",
        "not approved (to be resubmitted)",
        "Circulate the budget timetable. Chief Constable Steve Finnigan Steve Southworth (SS), "
        "Miranda Carruthers-Watt (MCW) 30 April 2014 17. Action log",
    ):
        assert phrase in text
    assert "commencing" not in text
    assert "secret lease" not in page


def test_the_json_of_a_board_note_has_its_day_no_time_and_its_public_actions(client, board):
    data = client.get(reverse("public:note-json", args=[board.pk])).json()
    meeting = data["meeting"]
    assert [meeting[key] for key in ("body", "document", "date", "start")] == [
        "Executive Board",
        "Minutes",
        "2014-03-11",
        None,
    ]
    assert data["actions"] == [
        {
            "number": 1,
            "text": "Circulate the budget timetable.",
            "lead": "Chief Constable Steve Finnigan",
            "owners": ["Steve Southworth (SS)", "Miranda Carruthers-Watt (MCW)"],
            "due": "2014-04-30",
            "item": {"label": "17.", "title": "Action log"},
        }
    ]
    printed = {group["heading"]: group["people"] for group in data["attendance_as_printed"]}
    assert printed["In the Chair"][0]["printed"] == (
        "Police and Crime Commissioner Clive Grunshaw (CG)"
    )
    assert printed["In the Chair"][0]["initials"] == "CG"
    assert data["items"][1]["previous_minutes"]["outcome"] == "not_approved"
    assert "secret lease" not in json.dumps(data).lower()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Southworth", True),  # an attendee's name
        ("Administrative Assistant", True),  # an attendee's role
        ("budget timetable", True),  # an action's text
        ("lease", False),  # an action raised under a restricted item
        ("wombat", False),
    ],
)
def test_search_finds_attendees_and_actions_of_published_notes(client, board, query, found):
    page = client.get(reverse("public:note-list"), {"q": query}).content.decode()
    assert ("Executive Board, Tuesday, 11 March 2014" in page) is found


def test_search_finds_exception_report_text_but_not_a_restricted_items(
    client, staff, chief_executive
):
    from meetings.models import ExceptionReport

    meeting, _ = demo.load_reference_meeting()
    closed = AgendaItemFactory(
        meeting=meeting, position=7, title="Closed", is_restricted=True, exemption="s.40"
    )
    ExceptionReport.objects.create(
        meeting=meeting,
        category_slug="force-open",
        category_name="Open category",
        status="accepted",
        concern="The Commissioner noted the quokka problem.",
        conclusion="assured",
    )
    ExceptionReport.objects.create(
        meeting=meeting,
        category_slug="force-closed",
        category_name="Closed category",
        status="accepted",
        item=closed,
        concern="Secret okapi concern",
        conclusion="assured",
    )
    note_published(meeting, staff=staff, chief_executive=chief_executive)
    search = lambda q: client.get(reverse("public:note-list"), {"q": q}).content.decode()  # noqa: E731
    assert "Strategic Scrutiny Meeting, Monday" in search("quokka")
    assert "Strategic Scrutiny Meeting, Monday" not in search("okapi")
