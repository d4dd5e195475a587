"""``scrutiny.widgets.Select``: the HTML of Django's own select, rendered once per
content, and never a stale list when a choice, the value or an attribute changes."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.forms import AttendanceForm
from meetings.models import Person
from scrutiny import widgets
from tests.factories import MeetingFactory

CHOICES = [("", "---------"), ("1", "Ann <Smith>"), ("2", "Bob & Co"), ("Group", [("3", "Cy")])]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [(None, None), ("2", {"id": "id_who", "required": True}), ("3", {"class": "form-select"})],
)
def test_the_html_is_djangos_own(value, attrs):
    expected = forms.Select(choices=CHOICES).render("who", value, attrs)
    assert widgets.Select(choices=CHOICES).render("who", value, attrs) == expected
    assert widgets.Select(choices=CHOICES).render("who", value, attrs) == expected  # cached


def test_it_is_rendered_once_and_again_for_any_change(monkeypatch):
    rendered = []
    original = forms.Select.render

    def counted(self, *args, **kwargs):
        if isinstance(self, widgets.Select):
            rendered.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(forms.Select, "render", counted)
    select = widgets.Select(choices=CHOICES)
    first = select.render("who", "1", {"id": "x"})
    assert select.render("who", "1", {"id": "x"}) == first and len(rendered) == 1
    changes = [
        (widgets.Select(choices=[*CHOICES, ("4", "Dee")]), "1", {"id": "x"}),  # a new choice
        (widgets.Select(choices=[("", "---------"), ("1", "Ann")]), "1", {"id": "x"}),  # renamed
        (select, "2", {"id": "x"}),  # another value
        (select, "1", {"id": "y"}),  # another attribute
        (select, "1", {"id": "x", "required": True}),  # a boolean attribute
        (select, "1", {"id": "x", "required": "True"}),  # not the same as its text
    ]
    for widget, value, attrs in changes:
        html = widget.render("who", value, attrs)
        assert html == forms.Select(choices=widget.choices).render("who", value, attrs)
    assert len(rendered) == 1 + len(changes)


@pytest.mark.django_db
def test_a_person_added_shows_in_the_attendance_forms_lists_at_once():
    meeting = MeetingFactory()
    Person.objects.create(name="Ann Example")
    assert "Ann Example" in str(AttendanceForm(meeting=meeting)["person"])
    Person.objects.create(name="Zed Newcomer")
    form = AttendanceForm(meeting=meeting)
    assert "Ann Example" in str(form["person"]) and "Zed Newcomer" in str(form["on_behalf_of"])
    assert isinstance(form.fields["person"].widget, widgets.Select)


@pytest.mark.django_db
def test_a_list_of_people_is_read_in_one_query_of_tuples():
    meeting = MeetingFactory()
    for name in ("Ann Example", "Bob Example"):
        Person.objects.create(name=name, usual_role="Inspector")
    form = AttendanceForm(meeting=meeting)
    with CaptureQueriesContext(connection) as queries:
        html = str(form["person"])
    assert "Ann Example (Inspector)" in html
    # No COUNT first (list() asks a ModelChoiceIterator for its length), no Person per option.
    assert len(queries) == 1
    columns = queries[0]["sql"].split(" FROM ")[0]
    assert "usual_role" in columns and "initials" not in columns
