"""Nothing typed is lost: autosave, and a note submitted after the session expired."""

import pytest
from django.urls import reverse

from meetings.models import NarrativeDraft
from tests.factories import AgendaItemFactory, sessions_expire

pytestmark = pytest.mark.django_db


def _autosave(client, item, narrative, **extra):
    return client.post(
        reverse("meetings:item-autosave", args=[item.pk]),
        {
            "title": item.title,
            "narrative": narrative,
            "assurance_statement": "",
            "version": item.version,
            **extra,
        },
    )


def test_autosave_keeps_the_text_without_changing_the_note(staff_client, staff):
    item = AgendaItemFactory(narrative="Saved note")
    response = _autosave(staff_client, item, "Half-typed sentence about burglary")
    assert response.status_code == 200
    assert response.json()["saved"] is True
    item.refresh_from_db()
    assert item.narrative == "Saved note"
    assert NarrativeDraft.objects.get(item=item, author=staff).narrative == (
        "Half-typed sentence about burglary"
    )


def test_opening_the_editor_again_offers_the_autosaved_text(staff_client):
    item = AgendaItemFactory(narrative="Saved note")
    _autosave(staff_client, item, "Half-typed sentence about burglary")
    response = staff_client.get(reverse("meetings:item-update", args=[item.pk]))
    page = response.content.decode()
    assert "kept by autosave" in page
    assert response.context["form"].initial["narrative"] == "Half-typed sentence about burglary"


def test_saving_removes_the_autosaved_text(staff_client):
    item = AgendaItemFactory(narrative="Saved note")
    _autosave(staff_client, item, "New text")
    staff_client.post(
        reverse("meetings:item-update", args=[item.pk]),
        {
            "title": item.title,
            "narrative": "New text",
            "version": item.version,
            "save": "",
        },
    )
    assert not NarrativeDraft.objects.exists()


def test_unsaved_text_can_be_discarded(staff_client):
    item = AgendaItemFactory(narrative="Saved note")
    _autosave(staff_client, item, "Abandoned idea")
    staff_client.post(reverse("meetings:item-draft-discard", args=[item.pk]))
    assert not NarrativeDraft.objects.exists()
    page = staff_client.get(reverse("meetings:item-update", args=[item.pk])).content.decode()
    assert "Abandoned idea" not in page


def test_autosaved_text_typed_over_an_old_version_leads_to_a_conflict_not_a_loss(
    staff_client,
):
    from django.contrib.auth.models import Group, User

    from meetings import roles
    from meetings.services import note as services

    colleague = User.objects.create_user("colleague")
    colleague.groups.add(Group.objects.get(name=roles.STAFF))
    item = AgendaItemFactory(narrative="Saved note")
    _autosave(staff_client, item, "My unsaved text")
    services.agenda_item_update(user=colleague, item=item, narrative="Someone else's change")
    form = staff_client.get(reverse("meetings:item-update", args=[item.pk])).context["form"]
    response = staff_client.post(
        reverse("meetings:item-update", args=[item.pk]),
        {
            "title": item.title,
            "narrative": form.initial["narrative"],
            "version": form.initial["version"],
            "save": "",
        },
    )
    assert response.status_code == 409
    assert "My unsaved text" in response.content.decode()
    assert "Someone else" in response.content.decode()


def test_a_note_saved_after_the_session_expired_is_restored_after_signing_in(client, staff):

    item = AgendaItemFactory(narrative="Saved note")
    url = reverse("meetings:item-update", args=[item.pk])
    client.force_login(staff)
    client.get(url)  # the browser is signed in (and gets the signed marker) …
    sessions_expire()  # … until its session expires on the server
    response = client.post(
        url,
        {
            "title": item.title,
            "narrative": "Typed while signed out",
            "version": item.version,
            "save": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    item.refresh_from_db()
    assert item.narrative == "Saved note"
    signed_in = client.post(
        reverse("login") + f"?next={url}",
        {
            "username": "test-staff",
            "password": "a-test-password",
            "next": url,
        },
    )
    assert signed_in["Location"] == url
    page = client.get(url)
    assert page.context["form"].initial["narrative"] == "Typed while signed out"
    assert "before your session expired" in page.content.decode()


def test_autosave_is_refused_to_reviewers_and_on_signed_out_sessions(client, commissioner_client):
    item = AgendaItemFactory()
    assert _autosave(commissioner_client, item, "x").status_code == 403
    client.logout()
    assert _autosave(client, item, "x").status_code == 302
    assert not NarrativeDraft.objects.exists()
