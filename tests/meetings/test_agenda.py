"""The agenda editor and the narrative editor of each item, with decisions."""

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Decision, Meeting
from meetings.services import note as services
from tests.factories import AgendaItemFactory, DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _titles(meeting):
    return list(meeting.items.order_by("position").values_list("title", flat=True))


def _item_data(item, **changes):
    return {
        "title": item.title,
        "narrative": item.narrative,
        "assurance_statement": item.assurance_statement,
        "exemption": item.exemption,
        "version": item.version,
        "save": "",
        **changes,
    }


def test_staff_add_items_in_order(staff_client):
    meeting = MeetingFactory()
    url = reverse("meetings:agenda-edit", args=[meeting.pk])
    for title in ("Constabulary Performance", "Frontline Policing"):
        assert staff_client.post(url, {"title": title}).status_code == 302
    assert _titles(meeting) == ["Constabulary Performance", "Frontline Policing"]
    page = staff_client.get(url).content.decode()
    first = page.index("a)</span> <strong>Constabulary Performance</strong>")
    assert first < page.index("b)</span> <strong>Frontline Policing</strong>")


def test_an_empty_item_title_is_refused(staff_client):
    meeting = MeetingFactory()
    response = staff_client.post(
        reverse("meetings:agenda-edit", args=[meeting.pk]), {"title": "   "}
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not meeting.items.exists()


def test_items_reorder_with_buttons_and_labels_follow(staff_client):
    meeting = MeetingFactory()
    first, _second, third = (
        AgendaItemFactory(meeting=meeting, title=t, position=p)
        for p, t in enumerate(["One", "Two", "Three"], start=1)
    )
    staff_client.post(reverse("meetings:item-move", args=[third.pk, "up"]))
    assert _titles(meeting) == ["One", "Three", "Two"]
    staff_client.post(reverse("meetings:item-move", args=[first.pk, "down"]))
    assert _titles(meeting) == ["Three", "One", "Two"]
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert page.index("a)</span> Three") < page.index("b)</span> One")


@pytest.mark.parametrize(
    ("numbering", "first_minute", "expected"),
    [("numbers", None, "2.</span> Two"), ("minutes", 57, "58.</span> Two")],
)
def test_numbering_schemes_label_the_items(staff_client, numbering, first_minute, expected):
    meeting = MeetingFactory(numbering=numbering, first_minute_number=first_minute)
    AgendaItemFactory(meeting=meeting, title="One", position=1)
    AgendaItemFactory(meeting=meeting, title="Two", position=2)
    assert expected in staff_client.get(meeting.get_absolute_url()).content.decode()


def test_deleting_an_item_asks_for_confirmation_and_renumbers(staff_client):
    meeting = MeetingFactory()
    items = [
        AgendaItemFactory(meeting=meeting, title=t, position=p)
        for p, t in enumerate(["One", "Two", "Three"], start=1)
    ]
    url = reverse("meetings:item-delete", args=[items[0].pk])
    assert "Delete the item “One”" in staff_client.get(url).content.decode()
    assert meeting.items.count() == 3
    staff_client.post(url)
    assert list(meeting.items.order_by("position").values_list("title", "position")) == [
        ("Two", 1),
        ("Three", 2),
    ]


def test_staff_write_the_note_of_an_item(staff_client, staff):
    item = AgendaItemFactory(narrative="")
    url = reverse("meetings:item-update", args=[item.pk])
    narrative = "Generally, performance was being sustained.\n\n1. Community Engagement"
    response = staff_client.post(
        url, _item_data(item, narrative=narrative, assurance_statement="Assured.")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.narrative == narrative
    assert item.assurance_statement == "Assured."
    assert item.version == 2


def test_preview_renders_the_note_without_saving_it(staff_client):
    item = AgendaItemFactory(narrative="Saved text")
    url = reverse("meetings:item-update", args=[item.pk])
    data = _item_data(item, narrative="**Bold** <script>alert(1)</script>", preview="")
    del data["save"]
    response = staff_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page  # what was typed stays in the textarea, escaped
    item.refresh_from_db()
    assert item.narrative == "Saved text"


def test_save_and_next_opens_the_following_item(staff_client):
    meeting = MeetingFactory()
    first = AgendaItemFactory(meeting=meeting, position=1)
    second = AgendaItemFactory(meeting=meeting, position=2)
    data = _item_data(first, save_and_next="")
    del data["save"]
    response = staff_client.post(reverse("meetings:item-update", args=[first.pk]), data)
    assert response["Location"] == reverse("meetings:item-update", args=[second.pk])


def test_a_restricted_item_needs_an_exemption(staff_client):
    item = AgendaItemFactory()
    response = staff_client.post(
        reverse("meetings:item-update", args=[item.pk]),
        _item_data(item, is_restricted="on", exemption=""),
    )
    assert response.context["form"].errors["exemption"] == [
        "Give the exemption the item was held under."
    ]


def test_two_people_editing_one_item_lose_nothing(client, staff):
    item = AgendaItemFactory(narrative="Original note")
    url = reverse("meetings:item-update", args=[item.pk])
    client.force_login(staff)
    loaded = item.version
    client.post(url, _item_data(item, narrative="Their note", version=loaded))
    response = client.post(url, _item_data(item, narrative="My note", version=loaded))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Their note" in page and "My note" in page
    item.refresh_from_db()
    assert item.narrative == "Their note"
    # Saving the merged text again, with the version now shown, succeeds.
    merged = client.post(
        url,
        _item_data(
            item, narrative="Their note. My note", version=response.context["form"].data["version"]
        ),
    )
    assert merged.status_code == 302
    item.refresh_from_db()
    assert item.narrative == "Their note. My note"


def test_staff_record_edit_and_delete_decisions(staff_client):
    item = AgendaItemFactory()
    staff_client.post(
        reverse("meetings:decision-create", args=[item.pk]),
        {"text": "RESOLVED: That the report be noted.", "notice_reference": "2013/45"},
    )
    decision = item.decisions.get()
    assert decision.notice_reference == "2013/45"
    staff_client.post(
        reverse("meetings:decision-update", args=[decision.pk]),
        {"text": "RESOLVED: That the plan be approved.", "version": decision.version},
    )
    decision.refresh_from_db()
    assert decision.text == "RESOLVED: That the plan be approved."
    page = staff_client.get(item.meeting.get_absolute_url()).content.decode()
    assert "RESOLVED: That the plan be approved." in page
    staff_client.post(reverse("meetings:decision-delete", args=[decision.pk]))
    assert not Decision.objects.exists()


def test_an_empty_decision_or_bad_link_is_refused(staff_client):
    item = AgendaItemFactory()
    response = staff_client.post(
        reverse("meetings:decision-create", args=[item.pk]),
        {"text": " ", "notice_url": "not a link"},
    )
    assert response.status_code == 200
    assert {"text", "notice_url"} <= set(response.context["form"].errors)
    assert not Decision.objects.exists()


def test_nothing_in_a_submitted_note_can_be_changed_through_the_editors(staff_client):
    decision = DecisionFactory()
    item = decision.item
    Meeting.objects.filter(pk=item.meeting_id).update(status=Meeting.Status.SUBMITTED)
    posts = [
        (reverse("meetings:agenda-edit", args=[item.meeting_id]), {"title": "New"}),
        (reverse("meetings:item-update", args=[item.pk]), _item_data(item, title="Changed")),
        (reverse("meetings:item-move", args=[item.pk, "up"]), {}),
        (reverse("meetings:item-delete", args=[item.pk]), {}),
        (reverse("meetings:decision-create", args=[item.pk]), {"text": "RESOLVED: x"}),
        (reverse("meetings:decision-update", args=[decision.pk]), {"text": "RESOLVED: y"}),
        (reverse("meetings:decision-delete", args=[decision.pk]), {}),
    ]
    for url, data in posts:
        assert staff_client.post(url, data).status_code == 302, url
    item.refresh_from_db()
    assert item.title != "Changed"
    assert AgendaItem.objects.count() == 1
    assert Decision.objects.get().text == decision.text


def test_reviewers_cannot_edit_items(commissioner_client):
    item = AgendaItemFactory()
    assert (
        commissioner_client.get(reverse("meetings:item-update", args=[item.pk])).status_code == 403
    )


def test_an_item_saved_from_a_stale_page_keeps_the_order_someone_else_set(staff):
    meeting = MeetingFactory()
    first = AgendaItemFactory(meeting=meeting, position=1, title="First")
    AgendaItemFactory(meeting=meeting, position=2, title="Second")
    stale = type(first).objects.get(pk=first.pk)
    services.agenda_item_move(user=staff, item=first, step=1)
    services.agenda_item_update(
        user=staff, item=stale, expected_version=stale.version, narrative="Edited"
    )
    assert list(meeting.items.order_by("position").values_list("title", "position")) == [
        ("Second", 1),
        ("First", 2),
    ]


def test_the_primary_button_is_writing_the_first_unwritten_note_then_adding_an_item(client, staff):
    import re

    meeting = MeetingFactory()
    written = AgendaItemFactory(meeting=meeting, title="Written", position=1, narrative="Done")
    unwritten = AgendaItemFactory(meeting=meeting, title="Unwritten", position=2, narrative="")
    later = AgendaItemFactory(meeting=meeting, title="Later", position=3, narrative="")
    client.force_login(staff)
    url = reverse("meetings:agenda-edit", args=[meeting.pk])
    page = client.get(url).content.decode()

    def button(item):
        url = reverse("meetings:item-update", args=[item.pk])
        return re.search(rf'<a class="([^"]+)" href="{url}">Write the note', page).group(1)

    def add_item():
        return re.search(r'<button type="submit" class="([^"]+)">Add item', page).group(1)

    assert "btn-outline-secondary" in button(written) and "btn-primary" not in button(written)
    assert "btn-primary" in button(unwritten)  # one primary button a page: the first to write
    assert "btn-outline-secondary" in button(later) and "btn-primary" not in add_item()
    AgendaItemFactory._meta.model.objects.filter(meeting=meeting).update(narrative="Done")
    page = client.get(url).content.decode()
    assert "btn-primary" not in button(unwritten) and "btn-primary" in add_item()


def test_the_agenda_editor_links_each_item_and_marks_those_without_a_note(staff_client):
    meeting = MeetingFactory()
    written = AgendaItemFactory(meeting=meeting, position=1, narrative="Discussed.")
    empty = AgendaItemFactory(meeting=meeting, position=2, narrative="")
    page = staff_client.get(reverse("meetings:agenda-edit", args=[meeting.pk])).content.decode()
    rows = {
        item: page.split(f'id="item-{item.pk}"')[1].split("</li>")[0] for item in (written, empty)
    }
    assert "(no note yet)" not in rows[written] and "(no note yet)" in rows[empty]
    for item, moves in ((written, ["down"]), (empty, ["up"])):
        for name in ("meetings:item-update", "meetings:item-delete"):
            assert f'href="{reverse(name, args=[item.pk])}"' in rows[item]
        for direction in moves:
            assert (
                f'action="{reverse("meetings:item-move", args=[item.pk, direction])}"' in rows[item]
            )
    # The first item without a note is the page's one primary button.
    assert 'btn-primary" href="' + reverse("meetings:item-update", args=[empty.pk]) in rows[empty]
