"""Meetings list, create, edit and the read-only note page."""

import datetime as dt

import pytest
from django.urls import reverse

from meetings.models import AuditEvent, Meeting
from tests.factories import LONDON, AgendaItemFactory, AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db

VALID = {
    "new_body_name": "Strategic Scrutiny Meeting",
    "title": "",
    "date": "2013-12-23",
    "start_time": "14:00",
    "end_time": "16:30",
    "venue": "Cabinet Room B, County Hall, Preston",
    "numbering": "letters",
    "first_minute_number": "",
}


@pytest.mark.parametrize("name", ["meetings:meeting-list", "meetings:meeting-create"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_anonymous_visitors_cannot_read_a_draft_note(client):
    meeting = MeetingFactory()
    response = client.get(reverse("meetings:meeting-detail", args=[meeting.pk]))
    assert response.status_code == 302


def test_a_user_without_a_role_is_refused(client, nobody):
    client.force_login(nobody)
    assert client.get(reverse("meetings:meeting-list")).status_code == 403


def test_staff_see_upcoming_and_past_meetings_with_their_status(staff_client):
    past = MeetingFactory(title="Past scrutiny")
    upcoming = MeetingFactory(
        title="Next scrutiny", start=dt.datetime(2099, 3, 1, 10, tzinfo=LONDON)
    )
    page = staff_client.get(reverse("meetings:meeting-list")).content.decode()
    assert page.index("Next scrutiny") < page.index("Past scrutiny")
    assert page.index("Upcoming") < page.index(upcoming.title) < page.index("Past")
    assert past.get_status_display() in page


def test_staff_create_a_meeting(staff_client, staff):
    response = staff_client.post(reverse("meetings:meeting-create"), VALID)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:attendance-edit", args=[meeting.pk])
    assert meeting.start == dt.datetime(2013, 12, 23, 14, 0, tzinfo=LONDON)
    assert meeting.end == dt.datetime(2013, 12, 23, 16, 30, tzinfo=LONDON)
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.created_by == staff
    assert AuditEvent.objects.filter(verb="meeting.create", meeting=meeting, actor=staff).exists()


def test_a_meeting_in_summer_is_stored_in_british_summer_time(staff_client):
    staff_client.post(reverse("meetings:meeting-create"), {**VALID, "date": "2014-07-01"})
    assert Meeting.objects.get().start == dt.datetime(2014, 7, 1, 13, 0, tzinfo=dt.UTC)


def test_a_meeting_needs_a_body_and_a_date(staff_client):
    response = staff_client.post(
        reverse("meetings:meeting-create"), {**VALID, "new_body_name": "  ", "date": ""}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "body" in form.errors and "date" in form.errors
    assert not Meeting.objects.exists()


def test_an_end_before_the_start_is_refused_and_what_was_typed_is_kept(staff_client):
    response = staff_client.post(reverse("meetings:meeting-create"), {**VALID, "end_time": "13:00"})
    page = response.content.decode()
    assert response.context["form"].errors["end_time"] == ["The meeting must end after it starts."]
    assert "There is a problem" in page  # the error summary
    assert 'href="#id_end_time"' in page  # linked to its field
    assert 'value="Cabinet Room B, County Hall, Preston"' in page
    assert 'value="13:00"' in page
    assert not Meeting.objects.exists()


def test_minute_numbering_asks_for_the_first_number(staff_client):
    response = staff_client.post(
        reverse("meetings:meeting-create"), {**VALID, "numbering": "minutes"}
    )
    assert "first_minute_number" in response.context["form"].errors


def test_reviewers_can_read_but_not_create_or_edit(commissioner_client):
    meeting = MeetingFactory()
    assert commissioner_client.get(reverse("meetings:meeting-list")).status_code == 200
    detail = commissioner_client.get(reverse("meetings:meeting-detail", args=[meeting.pk]))
    assert detail.status_code == 200
    assert reverse("meetings:meeting-update", args=[meeting.pk]) not in detail.content.decode()
    assert commissioner_client.get(reverse("meetings:meeting-create")).status_code == 403
    assert (
        commissioner_client.post(
            reverse("meetings:meeting-update", args=[meeting.pk]), VALID
        ).status_code
        == 403
    )


def test_staff_edit_a_meeting(staff_client):
    meeting = MeetingFactory(title="Old title")
    url = reverse("meetings:meeting-update", args=[meeting.pk])
    form = staff_client.get(url).context["form"]
    assert form.initial["title"] == "Old title"
    response = staff_client.post(
        url, {**VALID, "body": meeting.body_id, "title": "", "version": meeting.version}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Strategic Scrutiny Meeting"  # the body's name
    assert meeting.version == 2


def test_a_conflicting_edit_is_refused_and_both_versions_are_shown(staff_client):
    meeting = MeetingFactory(title="Original")
    url = reverse("meetings:meeting-update", args=[meeting.pk])
    loaded_version = meeting.version
    # Someone else saves first.
    edit = {**VALID, "body": meeting.body_id}
    staff_client.post(url, {**edit, "title": "Their title", "version": loaded_version})
    response = staff_client.post(url, {**edit, "title": "My title", "version": loaded_version})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Their title" in page and "My title" in page
    meeting.refresh_from_db()
    assert meeting.title == "Their title"
    # The re-shown form carries the new version, so saving again is a deliberate overwrite.
    assert response.context["form"].data["version"] == meeting.version


def test_edit_pages_of_a_note_that_is_no_longer_a_draft_send_staff_back(staff_client):
    meeting = MeetingFactory(status=Meeting.Status.SUBMITTED)
    for name in ("meetings:meeting-update", "meetings:attendance-edit", "meetings:agenda-edit"):
        response = staff_client.get(reverse(name, args=[meeting.pk]))
        assert response.status_code == 302
        assert response["Location"] == meeting.get_absolute_url()


def test_unknown_meetings_are_not_found(staff_client):
    assert staff_client.get(reverse("meetings:meeting-detail", args=[999])).status_code == 404


def test_the_note_page_reads_as_the_note(staff_client):
    meeting = MeetingFactory()
    AttendanceFactory(
        meeting=meeting,
        person__name="Clive Grunshaw",
        role="Police and Crime Commissioner",
        position=1,
    )
    AttendanceFactory(
        meeting=meeting,
        person__name="Bev Wood",
        kind="in_attendance",
        role="Policy and Performance Officer",
        position=1,
    )
    AttendanceFactory(
        meeting=meeting,
        person__name="Absent Person",
        kind="apologies",
        role="Assistant Commissioner",
        position=1,
    )
    AgendaItemFactory(
        meeting=meeting,
        title="Constabulary Performance",
        position=1,
        narrative="Generally, performance was being sustained.",
    )
    AgendaItemFactory(meeting=meeting, title="Frontline Policing", position=2, narrative="")
    page = staff_client.get(reverse("meetings:meeting-detail", args=[meeting.pk])).content.decode()
    page = page.split('<article class="note"', 1)[1]  # the note itself, after the task list
    order = [
        "Present",
        "Clive Grunshaw",
        "Police and Crime Commissioner",
        "In attendance",
        "Bev Wood",
        "Apologies",
        "Absent Person",
        "The following items were considered in detail.",
        "a)",
        "Constabulary Performance",
        "b)",
        "Frontline Policing",
        "Generally, performance was being sustained.",
    ]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)


def test_a_restricted_item_is_marked_and_kept_apart_for_signed_in_readers(staff_client):
    item = AgendaItemFactory(
        title="Personnel matter",
        is_restricted=True,
        exemption="s.40 personal information",
        narrative="Confidential details",
    )
    page = staff_client.get(
        reverse("meetings:meeting-detail", args=[item.meeting.pk])
    ).content.decode()
    assert "s.40 personal information" in page
    restricted = page.split('class="restricted-content', 1)[1]
    assert "never in the published note or PDF" in restricted
    assert "Confidential details" in restricted


def test_the_list_counts_each_meetings_people_and_items(staff_client):
    meeting = MeetingFactory(title="Counted")
    for position in range(3):
        AttendanceFactory(meeting=meeting, position=position)
    AgendaItemFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting)
    page = staff_client.get(reverse("meetings:meeting-list")).context["past"]
    [listed] = [each for each in page if each.pk == meeting.pk]
    assert (listed.attendance_count, listed.item_count) == (3, 2)
    empty = MeetingFactory()
    page = staff_client.get(reverse("meetings:meeting-list")).context["past"]
    [listed] = [each for each in page if each.pk == empty.pk]
    assert (listed.attendance_count, listed.item_count) == (0, 0)


# A note in its body's style ------------------------------------------------------------------


def _text(html: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_meeting_without_a_start_time_prints_no_time(staff_client):
    response = staff_client.post(
        reverse("meetings:meeting-create"), {**VALID, "start_time": "", "end_time": ""}
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert (meeting.has_start_time, meeting.start_time, meeting.date) == (
        False,
        None,
        dt.date(2013, 12, 23),
    )
    assert meeting.start == dt.datetime(2013, 12, 23, 0, 0, tzinfo=LONDON)
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    heading = page.split('id="note-title"', 1)[1].split("</h1>", 1)[0]
    assert "commencing" not in heading and "am" not in _text(heading).split()
    listed = staff_client.get(reverse("meetings:meeting-list")).content.decode()
    assert "Monday, 23 December 2013</td>" in listed
    form = staff_client.get(reverse("meetings:meeting-update", args=[meeting.pk]))
    assert form.context["form"].initial["start_time"] is None


def test_an_end_time_needs_a_start_time(staff_client):
    response = staff_client.post(
        reverse("meetings:meeting-create"), {**VALID, "start_time": "", "end_time": "16:00"}
    )
    assert response.context["form"].errors["end_time"] == ["Give the start time with the end time."]
    assert not Meeting.objects.exists()


def test_a_meeting_without_a_start_time_keeps_its_day_at_midnight(db):
    from django.core.exceptions import ValidationError

    meeting = MeetingFactory.build(
        start=dt.datetime(2014, 1, 14, 9, 30, tzinfo=LONDON), has_start_time=False
    )
    with pytest.raises(ValidationError, match="midnight"):
        meeting.full_clean()


def test_the_board_note_reads_in_its_bodys_style(staff, staff_client):
    from tests.factories import executive_board_meetings

    _, march = executive_board_meetings(staff)
    page = staff_client.get(march.get_absolute_url()).content.decode()
    text = _text(page.split('id="note-title"', 1)[1])
    heading = _text(page.split('id="note-title"', 1)[1].split("</h1>", 1)[0])
    assert heading.endswith("Executive Board Tuesday, 11 March 2014 County Hall, Preston")
    order = [
        "MINUTES",
        "In the Chair",
        "Police and Crime Commissioner Clive Grunshaw (CG)",
        "Members",
        "Assistant Police and Crime Commissioner (on behalf of Ibby Master) Bruce Jassi (BJ)",
        "Officers",
        "Chief Executive Miranda Carruthers-Watt (MCW)",
        "Minute taker",
        "Administrative Assistant Steve Southworth (SS)",
        "Apologies",
        "Deputy Police and Crime Commissioner Ibby Master (IM)",
        "15. Apologies",
        "16. Minutes of the previous meeting",
        "17. Action log",
        "The minutes of the meeting held on Tuesday, 14 January 2014: not approved (to be "
        "resubmitted)",
        "Minute 13 to be redrafted.",
        "Actions",
        "Circulate the budget timetable. Chief Constable Steve Finnigan Steve Southworth (SS), "
        "Miranda Carruthers-Watt (MCW) 30 April 2014 17. Action log",
    ]
    positions = [text.upper().index(phrase.upper()) for phrase in order]
    assert positions == sorted(positions)
    assert "role-first" in page
    # Signed-in readers see the restricted item's action, marked; the public never do.
    assert "Negotiate the secret lease. Restricted: not in the published minutes" in text


def test_the_previous_minutes_link_offers_only_earlier_meetings_of_the_body(staff, staff_client):
    from tests.factories import BodyFactory, executive_board_meetings

    january, march = executive_board_meetings(staff)
    MeetingFactory(
        body=BodyFactory(name="Other body"), start=dt.datetime(2014, 2, 1, tzinfo=LONDON)
    )
    item = march.items.get(title="Minutes of the previous meeting")
    form = staff_client.get(reverse("meetings:item-previous-minutes", args=[item.pk]))
    assert list(form.context["form"].fields["previous_meeting"].queryset) == [january]
    response = staff_client.post(
        reverse("meetings:item-previous-minutes", args=[item.pk]),
        {
            "previous_meeting": january.pk,
            "outcome": "approved",
            "note": "",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.get_previous_outcome_display() == "Approved"


def test_the_previous_minutes_must_be_an_earlier_meeting_of_the_same_body(staff):
    from django.core.exceptions import ValidationError

    from meetings.services import series
    from tests.factories import BodyFactory

    later = MeetingFactory(start=dt.datetime(2014, 3, 1, tzinfo=LONDON))
    item = AgendaItemFactory(meeting=later)
    other = MeetingFactory(
        body=BodyFactory(name="Other"), start=dt.datetime(2014, 1, 1, tzinfo=LONDON)
    )
    after = MeetingFactory(body=later.body, start=dt.datetime(2014, 6, 1, tzinfo=LONDON))
    for previous, message in ((other, "same body"), (after, "held before"), (later, "held before")):
        with pytest.raises(ValidationError, match=message):
            series.agenda_item_previous_minutes_record(
                user=staff, item=item, previous_meeting=previous, outcome="approved"
            )
    item.refresh_from_db()
    assert item.previous_meeting is None
