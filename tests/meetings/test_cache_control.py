"""Pages for a signed-in user are never stored by a browser or a shared cache."""

import pytest
from django.urls import reverse

from tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("meetings:meeting-list"),
        lambda: reverse("meetings:meeting-detail", args=[MeetingFactory().pk]),
        lambda: reverse(
            "meetings:item-update",
            args=[AgendaItemFactory(is_restricted=True, exemption="s.40").pk],
        ),
        lambda: reverse("performance:dashboard"),
        lambda: reverse("public:note-list"),
    ],
    ids=["meeting-list", "meeting-detail", "restricted-item", "performance", "public-list"],
)
def test_signed_in_pages_are_not_stored(staff_client, url):
    response = staff_client.get(url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_a_redirect_for_a_signed_in_user_is_not_stored_either(staff_client):
    response = staff_client.get(reverse("home"))
    assert response["Cache-Control"] == "no-store, private"


def test_anonymous_public_pages_may_be_cached(client):
    response = client.get(reverse("public:note-list"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_stored_pdf_for_staff_keeps_its_own_private_caching(staff_client, published):
    response = staff_client.get(reverse("meetings:note-pdf", args=[published.pk]))
    b"".join(response.streaming_content)
    assert response["Cache-Control"].startswith("private")
    assert "public" not in response["Cache-Control"]
