"""A signed-out post stores nothing in the session, except one item's text for a browser whose
sign-in has just expired (the signed marker cookie), within the form's own limits."""

from __future__ import annotations

import base64
import random

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings import forms
from meetings.middleware import SIGNED_IN_MARKER_COOKIE
from meetings.views.agenda import UNSAVED_KEY
from tests.factories import AgendaItemFactory, sessions_expire

pytestmark = pytest.mark.django_db


def _incompressible(length: int) -> str:
    return base64.b64encode(random.Random(length).randbytes(length)).decode()[:length]


def _session_bytes() -> int:
    return sum(len(data) for data in Session.objects.values_list("session_data", flat=True))


def _expire_session(client) -> None:
    """The server-side session ends (as after SESSION_COOKIE_AGE): the browser keeps cookies."""
    sessions_expire()


def _save(client, pk: int, narrative: str, **extra):
    return client.post(
        reverse("meetings:item-update", args=[pk]),
        {"title": "Title", "narrative": narrative, "version": "1", "save": "", **extra},
    )


def test_four_big_anonymous_posts_leave_the_session_table_almost_empty(client):
    """The reproduction: four 4 MB posts for items that do not exist grew it by 17 MB."""
    before = _session_bytes()
    for pk in (999_001, 999_002, 999_003, 999_004):
        # Random text: the session store compresses, so a run of one letter would prove nothing.
        response = _save(client, pk, _incompressible(4 * 1024 * 1024 - 1000))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert _session_bytes() - before < 4 * 1024


def test_without_the_marker_nothing_is_kept_even_for_a_real_item(client):
    item = AgendaItemFactory()
    response = _save(client, item.pk, "Typed by someone never signed in")
    assert response.status_code == 302
    assert not Session.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "sign in again" in page


def test_a_forged_marker_keeps_nothing(client):
    item = AgendaItemFactory()
    client.cookies[SIGNED_IN_MARKER_COOKIE] = "1"
    _save(client, item.pk, "Typed with a forged marker")
    assert not Session.objects.exists()


def test_signing_in_sets_the_marker(client, staff):
    client.force_login(staff)
    client.get(reverse("meetings:meeting-list"))
    assert client.cookies[SIGNED_IN_MARKER_COOKIE].value
    assert client.cookies[SIGNED_IN_MARKER_COOKIE]["httponly"]


def test_with_the_marker_only_an_existing_item_is_kept(client, staff):
    client.force_login(staff)
    client.get(reverse("meetings:meeting-list"))
    _expire_session(client)
    _save(client, 999_999, "For an item that does not exist")
    assert _session_bytes() < 1024
    assert all(UNSAVED_KEY not in s.get_decoded() for s in Session.objects.all())


def test_with_the_marker_text_beyond_the_forms_limits_is_not_kept(client, staff):
    item = AgendaItemFactory()
    client.force_login(staff)
    client.get(reverse("meetings:meeting-list"))
    _expire_session(client)
    response = _save(client, item.pk, _incompressible(forms.LONG_TEXT_MAX_LENGTH + 1))
    assert response.status_code == 302
    assert _session_bytes() < 1024
    assert "too long" in client.get(response["Location"]).content.decode()


def test_one_item_at_a_time_the_newer_text_replaces_the_older(client, staff):
    first, second = AgendaItemFactory(), AgendaItemFactory()
    client.force_login(staff)
    client.get(reverse("meetings:meeting-list"))
    _expire_session(client)
    _save(client, first.pk, _incompressible(50_000))
    _save(client, second.pk, "Second item's text")
    kept = [s.get_decoded() for s in Session.objects.all()]
    assert len(kept) == 1
    assert kept[0][UNSAVED_KEY]["item"] == second.pk
    assert kept[0][UNSAVED_KEY]["narrative"] == "Second item's text"
    assert _session_bytes() < 2048


def test_the_kept_text_is_offered_only_to_the_user_who_typed_it(client, staff, django_user_model):
    from django.contrib.auth.models import Group

    from meetings import roles

    other = django_user_model.objects.create_user("other-staff", password="a-test-password")
    other.groups.add(Group.objects.get(name=roles.STAFF))
    item = AgendaItemFactory(narrative="Saved note")
    url = reverse("meetings:item-update", args=[item.pk])
    client.force_login(staff)
    client.get(reverse("meetings:meeting-list"))
    _expire_session(client)
    _save(client, item.pk, "Staff's unsaved text")
    client.post(reverse("login"), {"username": "other-staff", "password": "a-test-password"})
    page = client.get(url)
    assert "Staff&#x27;s unsaved text" not in page.content.decode()
    assert page.context["form"].initial["narrative"] == "Saved note"


FIELDS = st.dictionaries(
    st.sampled_from(["title", "narrative", "assurance_statement", "version", "extra", "item"]),
    st.one_of(
        st.text(max_size=200),
        st.sampled_from(["x" * 400, "\x00", "-1", str(2**63), "😀" * 300, ""]),
    ),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(fields=FIELDS, pk=st.integers(min_value=1, max_value=2**31 - 1), marked=st.booleans())
def test_whatever_a_signed_out_browser_posts_at_most_one_bounded_entry_is_kept(
    client, staff, fields, pk, marked
):
    sessions_expire()
    client.cookies.clear()
    item = AgendaItemFactory()
    target = item.pk if pk % 2 else pk + 10**6
    if marked:
        client.force_login(staff)
        client.get(reverse("meetings:meeting-list"))
        _expire_session(client)
    response = client.post(reverse("meetings:item-update", args=[target]), fields)
    assert response.status_code == 302
    sessions = [s.get_decoded() for s in Session.objects.all()]
    kept = [s[UNSAVED_KEY] for s in sessions if UNSAVED_KEY in s]
    if not marked or target != item.pk:
        assert kept == []
    assert len(kept) <= 1
    for entry in kept:
        assert entry["item"] == item.pk
        assert set(entry) <= {
            "item",
            "user",
            "title",
            "narrative",
            "assurance_statement",
            "version",
        }
        assert len(entry["title"]) <= forms.max_length_of(type(item), "title")
    assert _session_bytes() < 8 * 1024
