"""One primary button a page (GOV.UK: "use one primary button on a page"; the others are
secondary, or a warning for what destroys). Every page of the permission matrix that a role
gets with 200 is fetched as that role and its main content counted; and the pages that list
things (items, exception reports, the review) are fetched again with two of them, where a
button repeated per row would show."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from meetings.models import ExceptionReport
from tests.factories import AgendaItemFactory, ExceptionReportFactory, MeetingFactory
from tests.test_permission_matrix import PERSONAS, RULES, _args, _user

PRIMARY = "btn-primary"


class _PrimaryButtons(HTMLParser):
    """The text of each element marked primary inside ``<main>``."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # inside <main> when > 0
        self.found: list[str] = []
        self._open: list[str] | None = None
        self._tag = ""
        self._nesting = 0

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
            return
        if not self.depth:
            return
        if self._open is not None:
            self._nesting += tag == self._tag
            return
        classes = (dict(attrs).get("class") or "").split()
        if PRIMARY in classes:
            self._open, self._tag, self._nesting = [], tag, 0

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        elif self._open is not None and tag == self._tag:
            if self._nesting:
                self._nesting -= 1
            else:
                self.found.append(" ".join("".join(self._open).split()))
                self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)


def primary_buttons(html: str) -> list[str]:
    parser = _PrimaryButtons()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_counter_sees_every_primary_button_in_the_main_content_only():
    html = (
        '<header><a class="btn btn-primary">Outside</a></header><main>'
        '<button class="btn btn-primary">Save <span>it</span></button>'
        '<a class="btn btn-outline-secondary">Cancel</a>'
        '<form><button class="btn btn-sm btn-primary">Accept</button></form></main>'
    )
    assert primary_buttons(html) == ["Save it", "Accept"]


PAGES = [
    (name, persona)
    for name, (method, _target, outcomes) in sorted(RULES.items())
    if method == "get"
    for persona, outcome in zip(PERSONAS, outcomes, strict=True)
    if outcome == 200
]


def _html(response) -> str | None:
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona"), PAGES)
def test_each_page_of_the_matrix_has_at_most_one_primary_button(client, name, persona):
    _method, target, _outcomes = RULES[name]
    user = _user(persona)
    url = reverse(name, args=_args(target, user))
    if target == "home-force":
        url += "?force=E23000003&month=9&year=2013"
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)  # consuming it closes the file
    html = _html(response)
    if html is None:
        pytest.skip("not a page")
    buttons = primary_buttons(html)
    assert len(buttons) <= 1, f"{persona} GET {url}: {buttons}"


def _page_as(client, persona: str, url: str) -> list[str]:
    client.force_login(_user(persona))
    response = client.get(url)
    assert response.status_code == 200
    return primary_buttons(response.content.decode())


@pytest.mark.django_db
def test_the_items_page_with_two_items_without_a_note_has_one_primary_button(client):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, narrative="")
    AgendaItemFactory(meeting=meeting, narrative="")
    buttons = _page_as(client, "staff", reverse("meetings:agenda-edit", args=[meeting.pk]))
    assert len(buttons) == 1, buttons


@pytest.mark.django_db
def test_the_exception_reports_with_two_proposals_have_one_primary_button(client):
    meeting = MeetingFactory()
    for category in ("Burglary", "Robbery"):
        ExceptionReportFactory(
            meeting=meeting, category_name=category, status=ExceptionReport.Status.PROPOSED
        )
    url = reverse("meetings:exception-report-list", args=[meeting.pk])
    buttons = _page_as(client, "staff", url)
    assert len(buttons) == 1, buttons


@pytest.mark.django_db
def test_the_review_of_two_reports_has_at_most_one_primary_button(client):
    meeting = MeetingFactory()
    for category in ("Burglary", "Robbery"):
        ExceptionReportFactory(meeting=meeting, category_name=category)
    buttons = _page_as(client, "commissioner", reverse("meetings:review"))
    assert len(buttons) <= 1, buttons
