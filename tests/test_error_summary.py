"""Every form of the portal, sent empty, answers in the GOV.UK pattern: "There is a problem" at
the top (role alert), each message once, linking to its field, in words for people."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.test_permission_matrix import PERSONAS, RULES, _args, _user

# Fields a person fills in (hidden fields and buttons are not theirs to get wrong).
FILLED = {
    "text",
    "textarea",
    "select",
    "checkbox",
    "radio",
    "file",
    "date",
    "time",
    "month",
    "number",
    "email",
    "password",
    "url",
    "search",
    "tel",
}


class _Forms(HTMLParser):
    """The page's POST forms with the fields people fill in, and every element id."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.ids: set[str] = set()
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": 0}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select"):
            kind = tag if tag != "input" else (attrs.get("type") or "text")
            if kind in FILLED:
                self._form["fields"] += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _parsed(html: str) -> _Forms:
    parser = _Forms()
    parser.feed(html)
    return parser


def _form_pages():
    """Each GET page of the portal with the first persona, in this order, that may see it."""
    preferred = ["admin", "staff", "chief_executive", "commissioner", "nobody", "anonymous"]
    for name, (method, target, outcomes) in sorted(RULES.items()):
        if method != "get" or name in ("home", "logout") or target == "home-force":
            continue
        for persona in preferred:
            if outcomes[PERSONAS.index(persona)] == 200:
                yield pytest.param(name, persona, id=name)
                break


# What a browser sends of a form left empty: at least its CSRF token (not checked by the test
# client), so that views reading ``request.POST or None`` see a bound form.
AS_SENT = {"csrfmiddlewaretoken": "sent-by-the-browser"}

ERROR_LINK = re.compile(r'<li><a href="#([^"]*)">([^<]+)</a></li>')


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona"), list(_form_pages()))
def test_every_form_sent_empty_has_the_error_summary(client, name, persona):
    _, target, _ = RULES[name]
    user = _user(persona)
    url = reverse(name, args=_args(target, user))
    if user is not None:
        client.force_login(user)
    page = client.get(url)
    if not page.get("Content-Type", "").startswith("text/html"):
        page.close()
        pytest.skip("not a page")
    forms = [form for form in _parsed(page.content.decode()).forms if form["fields"]]
    if not forms:
        pytest.skip("no form with fields to fill in")
    for form in forms:
        response = client.post(form["action"] or url, AS_SENT)
        if response.status_code in (302, 303):
            continue  # nothing was required: the form did what an empty one does
        html = response.content.decode()
        assert "This field is required." not in html, form
        if 'class="invalid-feedback' not in html and "There is a problem" not in html:
            continue  # another form of the page (e.g. a search) answered without errors
        assert 'role="alert"' in html and "There is a problem" in html, form
        assert html.count("There is a problem") == 1
        ids = _parsed(html).ids
        for field_id, message in ERROR_LINK.findall(html):
            assert field_id in ids, f"{message} links to #{field_id}, which is not on the page"
            assert "required" not in message
            assert not re.match(r"^[^:]{1,60}: ", message), f"label repeated in {message!r}"


@pytest.mark.django_db
def test_a_wrong_password_is_said_once(client, staff):
    response = client.post(reverse("login"), {"username": "test-staff", "password": "wrong"})
    assert response.content.decode().count("Please enter a correct username and password") == 1


@pytest.mark.django_db
def test_the_sign_off_forms_speak_to_people(client, chief_executive, commissioner):
    from meetings.services import sign_off
    from tests.factories import AgendaItemFactory, AttendanceFactory, ExceptionReportFactory
    from tests.test_permission_matrix import _user_with

    report = ExceptionReportFactory()
    client.force_login(commissioner)
    response = client.post(reverse("meetings:conclusion", args=[report.pk]), AS_SENT)
    assert "Select whether the Commissioner is assured" in response.content.decode()

    meeting = report.meeting
    AttendanceFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting)
    report.delete()
    staff = _user_with("Staff", "summary-staff")
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    client.force_login(chief_executive)
    response = client.post(
        reverse("meetings:note-sign", args=[meeting.pk]), {"read_sha256": "0" * 64}
    )
    page = response.content.decode()
    assert '<a href="#id_confirm">Confirm that you have read the note</a>' in page


@pytest.mark.django_db
def test_the_sign_form_is_not_shown_for_a_draft(chief_executive_client):
    from tests.factories import MeetingFactory

    meeting = MeetingFactory()
    page = chief_executive_client.get(reverse("meetings:note-sign", args=[meeting.pk]))
    html = page.content.decode()
    assert 'class="notification-banner' in html
    assert "only a note submitted for signature can be signed" in html
    assert 'name="confirm"' not in html
