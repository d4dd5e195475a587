"""Property-based: whatever is typed into the note's forms, nothing raises a server error and
nothing is half saved."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.models import AgendaItem, Attendance, Meeting, Person
from tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

HOSTILE_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "=cmd|' /C calc'!A0",
            "+SUM(A1:A9)",
            "-2+3",
            "@SUM(1)",
            "<script>alert(1)</script>",
            "\x00",
            "a\x00b",
            "\u202e\u0645\u0631\u062d\u0628\u0627",
            "😀" * 50,
            " " * 10,
            "",
            "'; DROP TABLE meetings_meeting; --",
            "x" * 5000,
        ]
    ),
)
DATES = st.one_of(
    st.dates().map(str),
    st.sampled_from(
        [
            "",
            "0000-00-00",
            "9999-12-31",
            "1-1-1",
            "2013-02-30",
            "yesterday",
            "2013-12-23T14:00",
            "-2013-12-23",
        ]
    ),
)
TIMES = st.one_of(
    st.times().map(lambda t: t.strftime("%H:%M")),
    st.sampled_from(["", "25:00", "14:60", "2pm", "-1:00", "14:00:00.000001"]),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["", "1e9", "NaN", "-0", "²", "٣"]),
)
RUN = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@RUN
@given(
    title=HOSTILE_TEXT,
    date=DATES,
    start=TIMES,
    end=TIMES,
    venue=HOSTILE_TEXT,
    numbering=st.sampled_from(["letters", "numbers", "minutes", "roman", ""]),
    first=NUMBERS,
)
def test_the_meeting_form_never_fails(
    staff_client, title, date, start, end, venue, numbering, first
):
    before = Meeting.objects.count()
    response = staff_client.post(
        reverse("meetings:meeting-create"),
        {
            "title": title,
            "date": date,
            "start_time": start,
            "end_time": end,
            "venue": venue,
            "numbering": numbering,
            "first_minute_number": first,
        },
    )
    assert response.status_code in (200, 302)
    created = Meeting.objects.count() - before
    assert created == (1 if response.status_code == 302 else 0)


@RUN
@given(
    name=HOSTILE_TEXT,
    role=HOSTILE_TEXT,
    kind=st.sampled_from(["present", "in_attendance", "apologies", "absent", ""]),
    chair=st.booleans(),
    note_taker=st.booleans(),
    person=NUMBERS,
)
def test_the_attendance_form_never_fails(staff_client, name, role, kind, chair, note_taker, person):
    meeting = MeetingFactory()
    data = {"new_person_name": name, "role": role, "kind": kind, "person": person}
    if chair:
        data["is_chair"] = "on"
    if note_taker:
        data["is_note_taker"] = "on"
    people_before = Person.objects.count()
    response = staff_client.post(reverse("meetings:attendance-edit", args=[meeting.pk]), data)
    assert response.status_code in (200, 302)
    listed = Attendance.objects.filter(meeting=meeting).count()
    if response.status_code == 200:
        assert listed == 0
        assert Person.objects.count() == people_before  # no orphan person either
    else:
        assert listed == 1


@RUN
@given(
    title=HOSTILE_TEXT,
    narrative=HOSTILE_TEXT,
    assurance=HOSTILE_TEXT,
    restricted=st.booleans(),
    exemption=HOSTILE_TEXT,
    version=NUMBERS,
)
def test_the_item_editor_never_fails(
    staff_client, title, narrative, assurance, restricted, exemption, version
):
    item = AgendaItemFactory(title="Before", narrative="Before")
    data = {
        "title": title,
        "narrative": narrative,
        "assurance_statement": assurance,
        "exemption": exemption,
        "version": version,
        "save": "",
    }
    if restricted:
        data["is_restricted"] = "on"
    response = staff_client.post(reverse("meetings:item-update", args=[item.pk]), data)
    assert response.status_code in (200, 302, 409)
    stored = AgendaItem.objects.get(pk=item.pk)
    if response.status_code == 302:
        assert stored.narrative == narrative
    else:
        assert (stored.title, stored.narrative) == ("Before", "Before")
    page = staff_client.get(item.meeting.get_absolute_url())
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.content.decode()


@RUN
@given(version=st.one_of(NUMBERS, st.just("99999999999999999999")))
def test_autosave_and_saves_never_fail_on_a_bad_version(staff_client, version):
    item = AgendaItemFactory()
    autosave = staff_client.post(
        reverse("meetings:item-autosave", args=[item.pk]),
        {"title": item.title, "narrative": "x", "version": version},
    )
    assert autosave.status_code == 200
    save = staff_client.post(
        reverse("meetings:item-update", args=[item.pk]),
        {"title": item.title, "narrative": "x", "version": version, "save": ""},
    )
    assert save.status_code in (200, 302, 409)


@RUN
@given(
    period=st.one_of(
        DATES.map(lambda d: d[:7]), st.sampled_from(["0000-05", "0001-01", "9999-12", "2013-13"])
    )
)
def test_the_comparison_form_never_fails(staff_client, period):
    meeting = MeetingFactory()
    response = staff_client.post(
        reverse("meetings:comparison", args=[meeting.pk]), {"period": period}
    )
    assert response.status_code in (200, 302)
