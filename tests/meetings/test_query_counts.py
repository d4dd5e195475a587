"""Pages cost the same number of queries whatever the size of the meeting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AgendaItemFactory, AttendanceFactory, DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db

# Pinned ceilings: the user and permissions (the session comes from the cache), the
# navigation's counts of what waits (one query), then the page's own queries (the note page
# reads the actions raised and followed up at the meeting; the attendance editor the known
# people's usual roles for the form; the meeting list pages two lists: a count and a page each).
# As rendered, the first time after a change; each counts the notes' version (one query).
BUDGET = {
    "meetings:meeting-list": 7,
    "meetings:meeting-detail": 16,  # with the task list of its readiness
    "meetings:attendance-edit": 8,  # was 11: the items, and a count of the people per list
    "meetings:agenda-edit": 5,  # was 6: the attendance and the decisions
}


def _meeting_of_size(people: int, items: int):
    meeting = MeetingFactory()
    for position in range(1, people + 1):
        AttendanceFactory(
            meeting=meeting,
            position=position,
            kind=["present", "in_attendance", "apologies"][position % 3],
        )
    for position in range(1, items + 1):
        item = AgendaItemFactory(meeting=meeting, position=position)
        DecisionFactory(item=item)
    return meeting


def _count(client, url):
    client.get(reverse("public:note-list"))  # the session read once, then from the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", list(BUDGET))
def test_page_queries_do_not_grow_with_the_meeting(staff_client, name):
    small = _meeting_of_size(people=2, items=1)
    large = _meeting_of_size(people=20, items=12)
    if name == "meetings:meeting-list":
        url_small = url_large = reverse(name)
        small_count = _count(staff_client, url_small)
        for _ in range(10):
            _meeting_of_size(people=3, items=2)
        large_count = _count(staff_client, url_large)
    else:
        small_count = _count(staff_client, reverse(name, args=[small.pk]))
        large_count = _count(staff_client, reverse(name, args=[large.pk]))
    assert small_count == large_count
    assert large_count <= BUDGET[name]


def test_item_editor_queries_do_not_grow_with_decisions(staff_client):
    item = AgendaItemFactory()
    small = _count(staff_client, reverse("meetings:item-update", args=[item.pk]))
    for _ in range(10):
        DecisionFactory(item=item)
    assert _count(staff_client, reverse("meetings:item-update", args=[item.pk])) == small


def _reports_and_actions(meeting, size: int, *, returning: bool = False):
    """Reports with aims; actions with a lead, an item, owners and progress recorded at the
    meeting (the pages read only some columns of each: any other read would be a query).
    ``returning``: each report returns from one of an earlier meeting and is deferred to a
    later meeting (shown by their titles and dates, the rest of their rows not read)."""
    from meetings.models import ActionUpdate
    from tests.factories import ActionFactory, AimFactory, ExceptionReportFactory, PersonFactory

    for _ in range(size):
        links = {}
        if returning:
            links = {
                "returns_from": ExceptionReportFactory(meeting=MeetingFactory()),
                "deferred_to": MeetingFactory(),
            }
        report = ExceptionReportFactory(meeting=meeting, **links)
        for _ in range(2):
            AimFactory(plan__report=report)
        action = ActionFactory(
            raised_at=meeting,
            lead=PersonFactory(),
            item=AgendaItemFactory(meeting=meeting),
            owners=[PersonFactory(), PersonFactory()],
        )
        ActionUpdate.objects.create(action=action, meeting=meeting, text="Begun.", status="open")


@pytest.mark.parametrize(
    ("name", "budget"),
    [
        ("meetings:exception-report-list", 17),
        ("meetings:action-log", 13),
        ("meetings:meeting-detail", 19),
        ("meetings:comparison", 9),
    ],
)
def test_scrutiny_pages_do_not_grow_with_reports_or_actions(staff_client, name, budget):
    small, large = MeetingFactory(), MeetingFactory()
    _reports_and_actions(small, 1)
    _reports_and_actions(large, 8, returning=True)
    small_count = _count(staff_client, reverse(name, args=[small.pk]))
    large_count = _count(staff_client, reverse(name, args=[large.pk]))
    assert small_count == large_count
    assert large_count <= budget


def test_the_review_does_not_grow_with_reports(commissioner_client):
    _reports_and_actions(MeetingFactory(), 1)
    small = _count(commissioner_client, reverse("meetings:review"))
    _reports_and_actions(MeetingFactory(), 8, returning=True)
    assert _count(commissioner_client, reverse("meetings:review")) == small <= 10


def test_body_pages_do_not_grow_with_meetings_or_actions(staff_client):
    from tests.factories import ActionFactory, BodyFactory, PersonFactory

    body = BodyFactory(name="Executive Board")

    def grow(size: int) -> None:
        for _ in range(size):
            meeting = MeetingFactory(body=body)
            ActionFactory(raised_at=meeting, owners=[PersonFactory(), PersonFactory()])
            BodyFactory(name=f"Body {meeting.pk}")

    grow(1)
    small = [
        _count(staff_client, reverse("meetings:body-list")),
        _count(staff_client, reverse("meetings:body-detail", args=[body.pk])),
    ]
    grow(8)
    large = [
        _count(staff_client, reverse("meetings:body-list")),
        _count(staff_client, reverse("meetings:body-detail", args=[body.pk])),
    ]
    assert small == large
    assert large[0] <= 6 and large[1] <= 9
