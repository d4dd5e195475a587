"""Every change to a note is recorded: who, when, what, with narrative differences."""

import pytest
from django.urls import reverse

from meetings.selectors.history import DiffSegment, narrative_diff
from meetings.services import note as services
from tests.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db


def test_the_diff_marks_removed_and_added_words():
    assert narrative_diff("The force was red.", "The force was amber.") == [
        DiffSegment("same", "The force was "),
        DiffSegment("removed", "red."),
        DiffSegment("added", "amber."),
    ]


def test_saving_an_item_records_who_changed_what(staff, staff_client):
    item = AgendaItemFactory(narrative="First draft of the note.")
    services.agenda_item_update(user=staff, item=item, narrative="Second draft of the note.")
    history = staff_client.get(reverse("meetings:meeting-history", args=[item.meeting_id]))
    page = history.content.decode()
    assert "Changed narrative of item" in page
    assert "test-staff" in page
    versions = item.history.all()
    assert versions.count() == 2
    assert versions.first().history_user == staff


def test_the_item_history_shows_the_differences_between_two_versions(staff, staff_client):
    item = AgendaItemFactory(narrative="Burglary was red in September.")
    services.agenda_item_update(
        user=staff, item=item, narrative="Burglary was still red in December."
    )
    response = staff_client.get(reverse("meetings:item-history", args=[item.pk]))
    page = response.content.decode()
    assert '<del><span class="visually-hidden">removed: </span>September.</del>' in page
    assert '<ins><span class="visually-hidden">added: </span>December.</ins>' in page


def test_edits_through_the_browser_record_the_user(staff, staff_client):
    item = AgendaItemFactory(narrative="Old")
    staff_client.post(
        reverse("meetings:item-update", args=[item.pk]),
        {
            "title": item.title,
            "narrative": "New",
            "version": item.version,
            "save": "",
        },
    )
    assert item.history.first().history_user == staff


def test_history_of_an_unknown_item_is_not_found(staff_client):
    assert staff_client.get(reverse("meetings:item-history", args=[999])).status_code == 404


def test_the_public_cannot_read_the_history(client):
    item = AgendaItemFactory()
    url = reverse("meetings:meeting-history", args=[item.meeting_id])
    assert client.get(url).status_code == 302
