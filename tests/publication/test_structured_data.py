"""Each public note carries schema.org Event markup in a JSON-LD data block that no title can
break out of."""

import json
import re

import pytest
from django.urls import reverse

from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def _blocks(page: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)


def test_the_note_page_carries_an_event(client, published):
    page = client.get(reverse("public:note-detail", args=[published.pk])).content.decode()
    (block,) = _blocks(page)
    event = json.loads(block)
    assert event["@type"] == "Event" and event["@context"] == "https://schema.org"
    assert event["name"] == published.title
    assert event["startDate"] == published.start.isoformat()
    assert event["location"] == {"@type": "Place", "name": published.venue}
    assert event["url"].endswith(reverse("public:note-detail", args=[published.pk]))


def test_a_closing_script_tag_in_a_title_stays_inside_the_block(client, published):
    title = '</script><script>alert("x")</script> & <!--'
    Meeting._base_manager.filter(pk=published.pk).update(title=title)
    page = client.get(reverse("public:note-detail", args=[published.pk])).content.decode()
    (block,) = _blocks(page)
    assert "<" not in block and ">" not in block
    assert json.loads(block)["name"] == title
    assert '<script>alert("x")' not in page


def test_the_list_carries_one_event_per_note_of_the_page(client, published):
    page = client.get(reverse("public:note-list")).content.decode()
    (block,) = _blocks(page)
    events = json.loads(block)
    assert [e["url"].rsplit("/notes/", 1)[1] for e in events] == [f"{published.pk}/"]
    assert events[0]["organizer"]["name"] == published.body.name
