"""The public list's cached counts follow bulk writes too: ``update()`` sends no
``post_save``, so the bodies' and meetings' querysets announce it (``bulk_written``)."""

import pytest
from django.urls import reverse

from meetings.models import Body, Meeting
from tests.factories import executive_board_meetings, note_published

pytestmark = pytest.mark.django_db


def _list(client) -> str:
    return client.get(reverse("public:note-list")).content.decode()


def test_a_body_renamed_in_bulk_shows_at_once(client, published, staff, chief_executive):
    _, march = executive_board_meetings(staff)
    board = note_published(march, staff=staff, chief_executive=chief_executive)
    facet = f'href="?body={board.body_id}">'
    assert facet + "Executive Board" in _list(client)  # the counts are cached from here on
    Body.objects.filter(pk=board.body_id).update(name="Police and Crime Panel")
    assert facet + "Police and Crime Panel" in _list(client)
    # A bulk write of a meeting's too (published_at: a published note may still change it).
    Meeting.objects.filter(pk=board.pk).update(published_at=board.published_at)
    assert facet + "Police and Crime Panel" in _list(client)


def test_a_bulk_write_that_changes_nothing_sends_nothing(published):
    from meetings.models.bulk import bulk_written

    sent = []

    def receiver(sender, **kwargs):
        sent.append(sender)

    bulk_written.connect(receiver)
    try:
        Body.objects.filter(pk=-1).update(name="Nobody")
        Body.objects.filter(pk=published.body_id).update(name="Strategic Scrutiny Meeting")
    finally:
        bulk_written.disconnect(receiver)
    assert sent == [Body]
