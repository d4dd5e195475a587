"""After publishing, the message links staff to the note's public page."""

import pytest
from django.urls import reverse

from meetings import demo
from tests.factories import note_signed

pytestmark = pytest.mark.django_db


def test_the_published_message_links_to_the_public_page(client, staff, chief_executive):
    from meetings.services import sign_off

    meeting, _ = demo.load_reference_meeting()
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=meeting)
    client.force_login(staff)
    response = client.post(reverse("meetings:note-publish", args=[meeting.pk]), follow=True)
    page = response.content.decode()
    public = reverse("public:note-detail", args=[meeting.pk])
    assert f'The note is published on the <a href="{public}">public site</a>.' in page
    assert client.get(public).status_code == 200
