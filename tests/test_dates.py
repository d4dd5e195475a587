"""Dates typed as day, month and year (GOV.UK's date input), with messages for people."""

import datetime as dt

import pytest
from django import forms
from django.urls import reverse

from scrutiny.dates import DateInputField


class WhenForm(forms.Form):
    date = DateInputField(
        label="Date", error_messages={"required": "Enter the date of the meeting"}
    )
    due = DateInputField(label="Due by", required=False)


def _errors(data: dict) -> dict:
    form = WhenForm(data)
    form.is_valid()
    return {name: list(errors) for name, errors in form.errors.items()}


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date of the meeting"),
        ("23", "", "2013", "The date must include a month"),
        ("", "", "2013", "The date must include a day and month"),
        ("23", "12", "", "The date must include a year"),
        ("23", "Dec", "2013", "The date must be in numbers, for example 23 12 2013"),
        ("23", "12", "13", "The year must include 4 numbers"),
        ("31", "2", "2014", "The date must be a real date"),
        ("0", "12", "2013", "The date must be a real date"),
        ("23", "13", "2013", "The date must be a real date"),
    ],
)
def test_each_mistake_has_its_own_message(day, month, year, message):
    data = {"date_day": day, "date_month": month, "date_year": year}
    assert _errors(data) == {"date": [message]}


def test_a_real_date_is_read_with_or_without_leading_zeros():
    form = WhenForm({"date_day": "03", "date_month": "2", "date_year": "2014", "due_day": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"date": dt.date(2014, 2, 3), "due": None}
    spaced = WhenForm({"date_day": " 23 ", "date_month": "12 ", "date_year": " 2013"})
    assert spaced.is_valid() and spaced.cleaned_data["date"] == dt.date(2013, 12, 23)


def test_the_date_can_still_be_sent_whole():
    form = WhenForm({"date": "2013-12-23", "due": "2014-01-31"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"date": dt.date(2013, 12, 23), "due": dt.date(2014, 1, 31)}
    assert _errors({"date": "23/12/2013"}) == {"date": ["The date must include a month and year"]}


def test_a_long_or_hostile_part_is_refused_without_work():
    assert _errors({"date_day": "9" * 10_000, "date_month": "1", "date_year": "2014"}) == {
        "date": ["The date must be in numbers, for example 23 12 2013"]
    }
    assert _errors({"date_day": "١٢", "date_month": "1", "date_year": "2014"}) == {
        "date": ["The date must be in numbers, for example 23 12 2013"]
    }


def test_the_boxes_keep_what_was_typed_in_a_fieldset_named_by_the_legend():
    form = WhenForm({"date_day": "23", "date_month": "", "date_year": "2013"})
    assert not form.is_valid()
    html = str(form["date"])
    assert 'name="date_day" value="23"' in html
    assert 'name="date_year" value="2013"' in html
    for part, box in (("Day", 0), ("Month", 1), ("Year", 2)):
        assert (
            f'<label class="form-label date-input__label" for="id_date_{box}">{part}</label>'
            in html
        )
    assert html.count('inputmode="numeric"') == 3
    assert form["date"].use_fieldset
    edit = WhenForm(initial={"date": dt.date(2013, 12, 23)})
    assert 'value="23"' in str(edit["date"]) and 'value="12"' in str(edit["date"])


@pytest.mark.django_db
def test_the_meeting_form_asks_for_day_month_and_year_and_links_the_error(staff_client):
    page = staff_client.get(reverse("meetings:meeting-create")).content.decode()
    assert "<legend" in page and 'name="date_day"' in page and 'type="date"' not in page
    response = staff_client.post(
        reverse("meetings:meeting-create"),
        {"date_day": "23", "date_month": "", "date_year": "2013", "start_time": "14:00"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_date_0">The date must include a month</a>' in page
    assert 'name="date_day" value="23"' in page
