"""``{{ form|crispy_once }}`` (``scrutiny/forms_once.py``): crispy-forms' own HTML of a form
nobody has submitted, rendered once per content, never stale when anything it prints
changes, and never kept once the form is submitted."""

import datetime as dt

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms

from meetings.forms import AgendaItemForm, AttendanceForm, DecisionForm, MeetingForm
from meetings.models import Person
from scrutiny import forms_once
from scrutiny.dates import DateInputField
from tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


class Sample(forms.Form):
    name = forms.CharField(max_length=20, help_text="As printed.")
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    chair = forms.BooleanField(required=False)
    day = DateInputField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


@pytest.fixture
def renders(monkeypatch) -> list:
    made = []
    original = forms_once.as_crispy_form

    def counted(form):
        made.append(form)
        return original(form)

    monkeypatch.setattr(forms_once, "as_crispy_form", counted)
    return made


def _forms():
    meeting = MeetingFactory()
    Person.objects.create(name="Ann <Example>", usual_role="Inspector")
    item = AgendaItemFactory(meeting=meeting, narrative="Discussed *at length* & agreed.")
    return [
        Sample(initial={"name": "Ann", "kind": "b", "chair": True, "day": dt.date(2013, 12, 23)}),
        AttendanceForm(meeting=meeting),
        AgendaItemForm(initial=AgendaItemForm.initial_for(item)),
        DecisionForm(),
        MeetingForm(),
    ]


def test_the_html_is_crispys_own():
    for form in _forms():
        expected = as_crispy_form(form)
        assert forms_once.crispy_once(form) == expected
        assert forms_once.crispy_once(form) == expected  # from the cache


def test_it_is_rendered_once_then_again_for_any_change(renders):
    base = {"name": "Ann", "kind": "b"}
    first = forms_once.crispy_once(Sample(initial=base))
    assert forms_once.crispy_once(Sample(initial=base)) == first and len(renders) == 1

    def changed(change):
        form = Sample(initial=base)
        change(form)
        return form

    changes = [
        lambda f: f.initial.update(name="Bob"),  # a value
        lambda f: f.initial.update(chair=True),  # a checkbox ticked
        lambda f: f.initial.update(day=dt.date(2014, 1, 6)),  # a date's three boxes
        lambda f: setattr(f.fields["name"], "label", "Full name"),
        lambda f: setattr(f.fields["name"], "help_text", "As the note prints it."),
        lambda f: setattr(f.fields["name"], "required", False),
        lambda f: setattr(f.fields["name"], "disabled", True),
        lambda f: f.fields["name"].widget.attrs.update(autocomplete="off"),
        lambda f: setattr(f.fields["kind"], "choices", [("a", "A"), ("b", "Bee")]),  # renamed
        lambda f: setattr(f.fields["kind"], "choices", [("a", "A"), ("b", "B"), ("c", "C")]),
        lambda f: setattr(f.fields["version"], "widget", forms.NumberInput()),  # shown now
        lambda f: setattr(f, "prefix", "other"),
        lambda f: setattr(f, "auto_id", "field_%s"),
    ]
    for number, change in enumerate(changes, start=2):
        form = changed(change)
        html = forms_once.crispy_once(form)
        assert html != first, f"change {number - 1} printed the same form"
        assert html == as_crispy_form(changed(change))
        assert len(renders) == number, f"change {number - 1} was served from the cache"


def test_a_person_added_is_a_new_list():
    meeting = MeetingFactory()
    Person.objects.create(name="Ann Example")
    assert "Ann Example" in forms_once.crispy_once(AttendanceForm(meeting=meeting))
    Person.objects.create(name="Zed Newcomer")
    assert "Zed Newcomer" in forms_once.crispy_once(AttendanceForm(meeting=meeting))


def test_a_submitted_form_is_rendered_each_time_and_never_kept(renders):
    for _ in range(2):
        form = Sample({"name": "x" * 30, "kind": "z"})
        html = forms_once.crispy_once(form)
        assert 'value="' + "x" * 30 + '"' in html and "is-invalid" in html
    assert len(renders) == 2
    # An unsubmitted form is kept, and the submitted ones did not disturb it.
    forms_once.crispy_once(Sample())
    forms_once.crispy_once(Sample())
    assert len(renders) == 3
