"""Field lengths are checked by the forms, as the model says, whatever the database.

SQLite does not enforce a column's length and PostgreSQL does (with an error page): the form
must refuse an over-long value on both, with a message, before anything is saved.
"""

import pytest
from django import forms as django_forms
from django.contrib.auth.models import User
from django.urls import reverse

from meetings import forms
from meetings.models import (
    ActionPlan,
    AgendaItem,
    Attendance,
    Body,
    Decision,
    ExceptionReport,
    Meeting,
    Person,
)
from tests.factories import DecisionFactory

# (form, form field) -> (model, model field) it is saved into.
SAVED_INTO = {
    (forms.MeetingForm, "title"): (Meeting, "title"),
    (forms.MeetingForm, "venue"): (Meeting, "venue"),
    (forms.NextMeetingForm, "venue"): (Meeting, "venue"),
    (forms.AttendanceForm, "new_person_name"): (Person, "name"),
    (forms.AttendanceForm, "role"): (Attendance, "role"),
    (forms.AgendaItemAddForm, "title"): (AgendaItem, "title"),
    (forms.AgendaItemForm, "title"): (AgendaItem, "title"),
    (forms.AgendaItemForm, "exemption"): (AgendaItem, "exemption"),
    (forms.DecisionForm, "notice_reference"): (Decision, "notice_reference"),
    (forms.DecisionForm, "notice_url"): (Decision, "notice_url"),
    (forms.ExceptionReportAddForm, "other_category"): (ExceptionReport, "category_name"),
    (forms.ActionPlanForm, "name"): (ActionPlan, "name"),
    (forms.ActionPlanForm, "owner"): (ActionPlan, "owner"),
    (forms.MeetingForm, "new_body_name"): (Body, "name"),
    (forms.AttendanceForm, "initials"): (Person, "initials"),
    (forms.AttendanceForm, "on_behalf_of_new_name"): (Person, "name"),
    (forms.ActionForm, "lead"): (Person, "name"),
    (forms.BodyForm, "name"): (Body, "name"),
    (forms.BodyForm, "document_name"): (Body, "document_name"),
    (forms.BodyForm, "chair_heading"): (Body, "chair_heading"),
    (forms.BodyForm, "present_heading"): (Body, "present_heading"),
    (forms.BodyForm, "in_attendance_heading"): (Body, "in_attendance_heading"),
    (forms.BodyForm, "note_taker_heading"): (Body, "note_taker_heading"),
    (forms.BodyForm, "apologies_heading"): (Body, "apologies_heading"),
    (forms.UnsavedItemTextForm, "title"): (AgendaItem, "title"),
    (forms.SignForm, "corrected_name"): (Meeting, "signatory_name"),
    (forms.SignForm, "corrected_title"): (Meeting, "signatory_title"),
    (forms.UserCreateForm, "username"): (User, "username"),
    (forms.UserCreateForm, "first_name"): (User, "first_name"),
    (forms.UserCreateForm, "last_name"): (User, "last_name"),
    (forms.UserCreateForm, "email"): (User, "email"),
}


def _form_fields(form_class) -> dict:
    return form_class.base_fields


@pytest.mark.parametrize(
    ("form_class", "name"), list(SAVED_INTO), ids=lambda v: getattr(v, "__name__", v)
)
def test_each_form_field_has_its_models_length(form_class, name):
    model, model_field = SAVED_INTO[(form_class, name)]
    expected = model._meta.get_field(model_field).max_length
    assert expected is not None
    assert _form_fields(form_class)[name].max_length == expected


def test_every_text_field_of_the_meetings_forms_that_saves_into_a_limited_column_is_listed():
    """A new short-text field must say which column it fills (and so get its length)."""
    listed = {(form, name) for form, name in SAVED_INTO}
    not_saved_as_typed = {
        (forms.ComparisonPeriodForm, "period"),  # parsed into a YYYY-MM period
        (forms.RoleChangeForm, "role"),  # a role's name, checked against roles.ALL
        (forms.SignInForm, "username"),  # checked against the accounts, never saved
        (forms.SignInForm, "password"),
    }
    for form_class in vars(forms).values():
        if not (isinstance(form_class, type) and issubclass(form_class, django_forms.Form)):
            continue
        for name, field in _form_fields(form_class).items():
            if isinstance(field, django_forms.CharField) and not isinstance(
                field.widget, django_forms.Textarea | django_forms.HiddenInput
            ):
                assert (form_class, name) in listed | not_saved_as_typed, (
                    f"{form_class.__name__}.{name}"
                )


@pytest.mark.django_db
def test_an_over_long_link_is_a_form_error_on_every_database(staff_client):
    decision = DecisionFactory()
    too_long = "https://example.org/" + "a" * Decision._meta.get_field("notice_url").max_length
    response = staff_client.post(
        reverse("meetings:decision-update", args=[decision.pk]),
        {"text": "RESOLVED: noted.", "notice_url": too_long, "version": decision.version},
    )
    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()
    decision.refresh_from_db()
    assert decision.notice_url == ""


@pytest.mark.django_db
def test_an_over_long_title_is_a_form_error_on_every_database(staff_client):
    response = staff_client.post(
        reverse("meetings:meeting-create"),
        {
            "title": "T" * (Meeting._meta.get_field("title").max_length + 1),
            "date": "2013-12-23",
            "start_time": "14:00",
            "numbering": "letters",
        },
    )
    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()
    assert not Meeting.objects.exists()


def test_long_texts_have_a_limit_too():
    """Markdown text has no column limit, but a form takes no more than a note could need."""
    for form_class in (forms.AgendaItemForm, forms.UnsavedItemTextForm):
        for name in ("narrative", "assurance_statement"):
            assert form_class.base_fields[name].max_length == forms.LONG_TEXT_MAX_LENGTH
