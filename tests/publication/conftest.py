"""Published and draft notes for the public site's tests."""

import pytest

from meetings import demo
from tests.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory, note_published


@pytest.fixture
def published(staff, chief_executive):
    meeting, _ = demo.load_reference_meeting()
    AgendaItemFactory(
        meeting=meeting,
        position=7,
        title="Personnel matter",
        is_restricted=True,
        exemption="s.40 personal information",
        narrative="Secret zebra details",
    )
    return note_published(meeting, staff=staff, chief_executive=chief_executive)


@pytest.fixture
def draft():
    meeting = MeetingFactory(title="Draft scrutiny")
    AttendanceFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting, narrative="Unpublished giraffe text")
    return meeting


@pytest.fixture
def list_not_kept(monkeypatch):
    """The public list rendered afresh on every request (a timeout of 0 keeps nothing), for
    the tests that count what rendering it costs; the other caches (the browse counts) stay."""
    from publication import views

    monkeypatch.setattr(views, "NOTE_LIST_CACHE_SECONDS", 0)
