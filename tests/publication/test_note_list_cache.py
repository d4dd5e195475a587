"""The public list below its search box is rendered once per published version, address,
search, choices and page, then served from the cache; a publication shows at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publication import views
from tests.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory, note_published

pytestmark = pytest.mark.django_db
URL = reverse("public:note-list")


def _publish(staff, chief_executive, title: str):
    meeting = MeetingFactory(title=title, venue="Hall")
    AttendanceFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting, narrative=f"Wombats at the {title}")
    note_published(meeting, staff=staff, chief_executive=chief_executive)
    return meeting


def _without_nonce(html: str) -> str:
    import re

    return re.sub(r'nonce="[^"]*"', "", html)


def test_a_page_seen_before_is_served_without_reading_the_notes(client, staff, chief_executive):
    _publish(staff, chief_executive, "Board A")
    first = client.get(URL, {"q": "wombats"}).content.decode()
    assert "Board A" in first and "<mark>Wombats</mark>" in first
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL, {"q": "wombats"}).content.decode()
    assert _without_nonce(again) == _without_nonce(first)
    assert not [q for q in queries if "meetings_meeting" in q["sql"]], queries.captured_queries


def test_a_publication_shows_at_once(client, staff, chief_executive):
    _publish(staff, chief_executive, "Board A")
    assert "Board B" not in client.get(URL, {"q": "wombats"}).content.decode()
    _publish(staff, chief_executive, "Board B")
    page = client.get(URL, {"q": "wombats"}).content.decode()
    assert "Board A" in page and "Board B" in page


def test_each_search_choice_page_and_address_has_its_own_entry(
    client, staff, chief_executive, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "notes.example.org"]
    meeting = _publish(staff, chief_executive, "Board A")
    client.get(URL, {"q": "wombats"})
    assert "No published note matches" in client.get(URL, {"q": "okapis"}).content.decode()
    assert "Board A" in client.get(URL, {"q": "wombats", "page": "1"}).content.decode()
    other = client.get(URL, {"q": "wombats"}, HTTP_HOST="notes.example.org").content.decode()
    assert f"http://notes.example.org/notes/{meeting.pk}/" in other  # its JSON-LD


def test_a_page_given_as_anything_but_a_number_is_not_kept(
    client, staff, chief_executive, monkeypatch
):
    _publish(staff, chief_executive, "Board A")
    kept = []
    monkeypatch.setattr(views.cache, "set", lambda key, *args, **kwargs: kept.append(key))
    for page in ("x" * 50, "-1", "1" * 7, "²"):
        assert client.get(URL, {"page": page}).status_code == 200
    assert not [key for key in kept if "public-note-list" in key]
    client.get(URL, {"page": "2"})
    assert [key for key in kept if "public-note-list" in key]
    cache.clear()
