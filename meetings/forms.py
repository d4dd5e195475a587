"""Forms validate and normalise what staff type; services do the saving."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import User
from django.forms.utils import pretty_name
from django.utils import timezone

from scrutiny import widgets
from scrutiny.dates import DateInputField

from .attendance_list import MAX_CHARACTERS
from .models import (
    ActionPlan,
    AgendaItem,
    Attendance,
    Body,
    Decision,
    ExceptionReport,
    Meeting,
    NotificationKind,
    Person,
)
from .selectors.action_log import MAX_PEOPLE_TYPED, people_matching
from .selectors.series import later_meetings
from .services.bodies import BODY_FIELDS
from .services.note import NewPerson

# Markdown text has no column limit; a form still takes no more than a long note could need
# (about 15,000 words in one field), so that no request can store megabytes of it.
LONG_TEXT_MAX_LENGTH = 100_000

OUT_OF_DATE = "This page is out of date: reload it."


# Messages written for people: a required field left empty says what to do, in the GOV.UK
# style ("Enter the venue", "Select the body"), never Django's "This field is required.".
_DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])


def _lowered(label: str) -> str:
    """The label inside a sentence: "Venue" → "venue", "PDF file" stays."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def required_message(name: str, field: forms.Field) -> str:
    label = str(field.label or pretty_name(name)).rstrip(":.")
    if isinstance(field, forms.BooleanField):
        return f"Tick the box to confirm: {_lowered(label)}"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.FileField):
        return f"Select {_lowered(label)}"
    return f"Enter {_lowered(label)}"


class PeopleForm(forms.Form):
    """A form whose required fields, left empty, say what to do (``required_message``) unless
    the form gives its own words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if str(field.error_messages.get("required")) == _DJANGO_REQUIRED:
                field.error_messages["required"] = required_message(name, field)


def max_length_of(model, field: str) -> int:
    """The column's length, so that a form refuses what the database would (PostgreSQL) or
    would silently keep (SQLite)."""
    return model._meta.get_field(field).max_length


class VersionedForm(PeopleForm):
    """Carries the version of the object the user loaded, to detect concurrent edits.

    A form that edits an existing object is given its version (``initial_for``); a post of it
    without a valid version is refused as out of date, never saved over whatever is there now.
    A form that creates an object has no version to carry.
    """

    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.edits_existing = "version" in self.initial

    def clean(self) -> dict:
        cleaned = super().clean()
        if "version" in self.errors or (self.edits_existing and cleaned.get("version") is None):
            # Said once, at the top of the form: the field itself is hidden.
            self.errors.pop("version", None)
            cleaned.pop("version", None)
            self.add_error(None, OUT_OF_DATE)
        return cleaned


class MeetingTimesForm(PeopleForm):
    """When a meeting is held: a date and, if the record gives them, UK times, combined into
    aware datetimes (a meeting without a start time starts at midnight of its day)."""

    date = DateInputField(error_messages={"required": "Enter the date of the meeting"})
    start_time = forms.TimeField(
        label="Start time",
        required=False,
        help_text="Leave empty if the record gives none: the note then prints the day only.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end_time = forms.TimeField(
        label="End time",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        date, start_time, end_time = (
            cleaned.get("date"),
            cleaned.get("start_time"),
            cleaned.get("end_time"),
        )
        if date and "start_time" not in self.errors:
            zone = ZoneInfo(settings.TIME_ZONE)
            cleaned["has_start_time"] = start_time is not None
            cleaned["start"] = dt.datetime.combine(date, start_time or dt.time(0), tzinfo=zone)
            cleaned["end"] = dt.datetime.combine(date, end_time, tzinfo=zone) if end_time else None
            if end_time and start_time is None:
                self.add_error("end_time", "Give the start time with the end time.")
            elif end_time and end_time <= start_time:
                self.add_error("end_time", "The meeting must end after it starts.")
        return cleaned

    def times(self) -> dict:
        data = self.cleaned_data
        return {
            "start": data["start"],
            "has_start_time": data["has_start_time"],
            "end": data["end"],
        }


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, body: Body) -> str:
        return body.name


class MeetingForm(VersionedForm, MeetingTimesForm):
    body = BodyChoiceField(
        queryset=Body.objects.order_by("name", "id"),
        required=False,
        label="Body",
        empty_label="Choose the board or meeting series…",
        help_text="Its numbering, action log and print style apply to the meeting.",
    )
    new_body_name = forms.CharField(
        max_length=max_length_of(Body, "name"),
        required=False,
        label="Or a new body",
        help_text='Its name, e.g. "Strategic Scrutiny Meeting"; set its style later on its page.',
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    title = forms.CharField(
        max_length=max_length_of(Meeting, "title"),
        required=False,
        help_text="Leave empty to use the body's name.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    venue = forms.CharField(max_length=max_length_of(Meeting, "venue"), required=False)
    numbering = forms.ChoiceField(
        label="Item numbering",
        choices=[("", "As the body numbers its items"), *Meeting.Numbering.choices],
        widget=forms.RadioSelect,
        required=False,
        initial="",
    )
    first_minute_number = forms.IntegerField(
        label="First minute number",
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Only for minute numbering: the number of this meeting's first item. Leave "
        "empty to run on from the body's previous meeting.",
    )

    field_order = [
        "body",
        "new_body_name",
        "title",
        "date",
        "start_time",
        "end_time",
        "venue",
        "numbering",
        "first_minute_number",
    ]

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if meeting is not None:
            # A meeting keeps its own numbering; its body is chosen, not created, here.
            self.fields["numbering"].choices = Meeting.Numbering.choices
            self.fields["numbering"].required = True
            self.fields["body"].required = True
            self.fields["body"].empty_label = None
            del self.fields["new_body_name"]

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        start = timezone.localtime(meeting.start)
        end = timezone.localtime(meeting.end) if meeting.end else None
        return {
            "body": meeting.body_id,
            "title": meeting.title,
            "date": start.date(),
            "start_time": start.time() if meeting.has_start_time else None,
            "end_time": end.time() if end else None,
            "venue": meeting.venue,
            "numbering": meeting.numbering,
            "first_minute_number": meeting.first_minute_number,
            "version": meeting.version,
        }

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean_new_body_name(self) -> str:
        return " ".join(self.cleaned_data["new_body_name"].split())

    def clean(self) -> dict:
        cleaned = super().clean()
        body, new_name = cleaned.get("body"), cleaned.get("new_body_name")
        if body and new_name:
            self.add_error("new_body_name", "Choose a body or name a new one, not both.")
        elif not body and not new_name and "body" not in self.errors:
            self.add_error("body", "Choose the body the meeting belongs to, or name a new one.")
        elif new_name and Body.objects.filter(name__iexact=new_name).exists():
            self.add_error(
                "new_body_name",
                f"A body called “{new_name}” already exists: choose it from the list.",
            )
        return cleaned

    def meeting_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            **self.times(),
            "venue": data["venue"].strip(),
            "numbering": data["numbering"] or None,
            "first_minute_number": data["first_minute_number"],
        }


def _person_label(name: str, usual_role: str) -> str:
    return f"{name} ({usual_role})" if usual_role else name


class _PersonChoices(forms.models.ModelChoiceIterator):
    """Every known person as ``(id, label)``, from one query of tuples: a ``Person`` made per
    option was most of the cost of the attendance form's two lists of every person."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name, usual_role in self.queryset.values_list("pk", "name", "usual_role"):
            yield (pk, _person_label(name, usual_role))


class PersonChoiceField(forms.ModelChoiceField):
    widget = widgets.Select  # every known person: rendered once until the list or value changes
    iterator = _PersonChoices

    def label_from_instance(self, person: Person) -> str:
        return _person_label(person.name, person.usual_role)


def _kinds_as_headed(style) -> list[tuple[str, str]]:
    """The attendance kinds under the body's headings for them."""
    return [(kind, style.kind_label(kind)) for kind in Attendance.Kind.values]


class AttendanceForm(VersionedForm):
    person = PersonChoiceField(
        queryset=Person.objects.order_by("name", "id"),
        required=False,
        label="Person",
        empty_label="Choose someone already known…",
        help_text="Their usual role and initials are filled in: change them if they differ.",
    )
    new_person_name = forms.CharField(
        max_length=max_length_of(Person, "name"),
        required=False,
        label="Or add a new person",
        help_text='Their name as the note should show it, e.g. "Superintendent Paul Wilson".',
    )
    initials = forms.CharField(
        max_length=max_length_of(Person, "initials"),
        required=False,
        label="Initials",
        help_text='As the note refers to them, e.g. "CG"; kept for this person.',
    )
    kind = forms.ChoiceField(
        label="Listed as",
        choices=Attendance.Kind.choices,
        widget=forms.RadioSelect,
        initial=Attendance.Kind.PRESENT,
    )
    role = forms.CharField(
        max_length=max_length_of(Attendance, "role"),
        required=False,
        label="Role at this meeting",
        help_text='For example "Chief Constable, Lancashire Constabulary". Left empty, a known '
        "person's usual role is used.",
    )
    is_chair = forms.BooleanField(required=False, label="Chaired the meeting")
    is_note_taker = forms.BooleanField(required=False, label="Took the note")
    on_behalf_of = PersonChoiceField(
        queryset=Person.objects.order_by("name", "id"),
        required=False,
        label="Attending on behalf of",
        empty_label="Nobody",
    )
    on_behalf_of_new_name = forms.CharField(
        max_length=max_length_of(Person, "name"),
        required=False,
        label="Or on behalf of someone not yet known",
        help_text="Their name: they are added to the portal with this entry.",
    )

    field_order = [
        "person",
        "new_person_name",
        "initials",
        "kind",
        "role",
        "is_chair",
        "is_note_taker",
        "on_behalf_of",
        "on_behalf_of_new_name",
    ]

    def __init__(self, *args, meeting: Meeting, attendance: Attendance | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.attendance = attendance
        style = meeting.style
        self.fields["kind"].choices = _kinds_as_headed(style)
        if style.note_taker_heading:
            self.fields["is_note_taker"].label = f"Listed as {style.note_taker_heading.lower()}"

    @classmethod
    def initial_for(cls, attendance: Attendance) -> dict:
        return {
            "person": attendance.person_id,
            "initials": attendance.person.initials,
            "kind": attendance.kind,
            "role": attendance.role,
            "is_chair": attendance.is_chair,
            "is_note_taker": attendance.is_note_taker,
            "on_behalf_of": attendance.on_behalf_of_id,
            "version": attendance.version,
        }

    def clean_new_person_name(self) -> str:
        return " ".join(self.cleaned_data["new_person_name"].split())

    def clean_on_behalf_of_new_name(self) -> str:
        return " ".join(self.cleaned_data["on_behalf_of_new_name"].split())

    def clean_initials(self) -> str:
        return "".join(self.cleaned_data["initials"].split())

    def clean_role(self) -> str:
        return self.cleaned_data["role"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        person, new_name = cleaned.get("person"), cleaned.get("new_person_name")
        if person and new_name:
            self.add_error("new_person_name", "Choose a known person or type a new name, not both.")
        elif not person and not new_name and "person" not in self.errors:
            self.add_error("person", "Choose a person, or type the name of a new person.")
        substitute, substitute_name = (
            cleaned.get("on_behalf_of"),
            cleaned.get("on_behalf_of_new_name"),
        )
        if substitute and substitute_name:
            self.add_error(
                "on_behalf_of_new_name", "Choose a known person or type a new name, not both."
            )
        if person:
            listed = Attendance.objects.filter(meeting=self.meeting, person=person)
            if self.attendance is not None:
                listed = listed.exclude(pk=self.attendance.pk)
            if listed.exists():
                self.add_error("person", f"{person} is already listed at this meeting.")
            if substitute == person:
                self.add_error("on_behalf_of", "A person cannot attend on their own behalf.")
        if new_name and substitute_name and new_name.lower() == substitute_name.lower():
            self.add_error("on_behalf_of_new_name", "A person cannot attend on their own behalf.")
        if person and substitute_name and person.name.lower() == substitute_name.lower():
            self.add_error(
                "on_behalf_of_new_name",
                f"{person} is the person attending: choose whom they stood in for.",
            )
        if cleaned.get("kind") == Attendance.Kind.APOLOGIES:
            if cleaned.get("is_chair"):
                self.add_error("is_chair", "Someone who sent apologies cannot chair the meeting.")
            if cleaned.get("is_note_taker"):
                self.add_error("is_note_taker", "Someone who sent apologies cannot take the note.")
        if cleaned.get("is_chair"):
            chair = Attendance.objects.filter(meeting=self.meeting, is_chair=True)
            if self.attendance is not None:
                chair = chair.exclude(pk=self.attendance.pk)
            chair = chair.select_related("person").first()
            if chair is not None:
                self.add_error("is_chair", f"{chair.person} already chairs this meeting.")
        return cleaned


class AttendanceListForm(PeopleForm):
    """A list of attendees pasted from a document, previewed before it is added."""

    text = forms.CharField(
        label="The list, one person a line",
        max_length=MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(
        label="List the lines before any heading as",
        choices=Attendance.Kind.choices,
        widget=forms.RadioSelect,
        initial=Attendance.Kind.PRESENT,
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        style = meeting.style
        self.fields["kind"].choices = _kinds_as_headed(style)
        example = (
            "Police and Crime Commissioner – Clive Grunshaw (CG)"
            if style.role_first
            else "Clive Grunshaw (CG) – Police and Crime Commissioner"
        )
        headings = [
            heading
            for heading in (
                style.chair_heading,
                style.present_heading,
                style.in_attendance_heading,
                style.note_taker_heading,
                style.apologies_heading,
            )
            if heading
        ]
        self.fields["text"].help_text = (
            f"As the {style.document_name.lower()} prints them, e.g. “{example}”: a dash, a tab "
            "or two spaces between role and name; initials in brackets. A line holding a "
            f"heading ({', '.join(headings)}) lists the lines after it there. End a line with "
            "“(Chair)”, “(Note taker)” or “(on behalf of Name)” where needed."
        )


class AgendaItemAddForm(PeopleForm):
    title = forms.CharField(
        max_length=max_length_of(AgendaItem, "title"), label="Title of the new item"
    )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the item a title.")
        return title


class AgendaItemForm(VersionedForm):
    title = forms.CharField(max_length=max_length_of(AgendaItem, "title"))
    narrative = forms.CharField(
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        label="Note of the discussion",
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=AgendaItem._meta.get_field("narrative").help_text,
    )
    assurance_statement = forms.CharField(
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=AgendaItem._meta.get_field("assurance_statement").help_text,
    )
    is_restricted = forms.BooleanField(
        required=False,
        label="Restricted (held in closed session)",
        help_text="The public note will show only that the item was considered.",
    )
    exemption = forms.CharField(
        max_length=max_length_of(AgendaItem, "exemption"),
        required=False,
        help_text=AgendaItem._meta.get_field("exemption").help_text,
    )

    field_order = ["title", "narrative", "assurance_statement", "is_restricted", "exemption"]

    @classmethod
    def initial_for(cls, item: AgendaItem) -> dict:
        return {
            "title": item.title,
            "narrative": item.narrative,
            "assurance_statement": item.assurance_statement,
            "is_restricted": item.is_restricted,
            "exemption": item.exemption,
            "version": item.version,
        }

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the item a title.")
        return title

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["exemption"] = (cleaned.get("exemption") or "").strip()
        if cleaned.get("is_restricted") and not cleaned["exemption"]:
            self.add_error("exemption", "Give the exemption the item was held under.")
        return cleaned

    def item_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.field_order}


class UnsavedItemTextForm(PeopleForm):
    """What the item editor keeps of a note posted after the session expired: the typed text
    only, within the editor's own limits (a title may be empty: it is not saved yet)."""

    title = forms.CharField(required=False, max_length=max_length_of(AgendaItem, "title"))
    narrative = forms.CharField(
        required=False, max_length=LONG_TEXT_MAX_LENGTH, strip=False, widget=forms.Textarea
    )
    assurance_statement = forms.CharField(
        required=False, max_length=LONG_TEXT_MAX_LENGTH, strip=False, widget=forms.Textarea
    )
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class DecisionForm(VersionedForm):
    text = forms.CharField(
        label="Decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='As recorded, e.g. "RESOLVED: That the report be noted."',
    )
    notice_reference = forms.CharField(
        max_length=max_length_of(Decision, "notice_reference"),
        required=False,
        label="Decision notice reference",
    )
    notice_url = forms.URLField(
        max_length=max_length_of(Decision, "notice_url"),
        required=False,
        label="Decision notice link",
        assume_scheme="https",
    )

    @classmethod
    def initial_for(cls, decision: Decision) -> dict:
        return {
            "text": decision.text,
            "notice_reference": decision.notice_reference,
            "notice_url": decision.notice_url,
            "version": decision.version,
        }

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the decision.")
        return text


class SubmitForm(PeopleForm):
    """Submitting for signature, with the warnings of the task list confirmed if there are any."""

    warnings_confirmed = forms.BooleanField(
        required=False,
        label="I have checked the points above: the note is complete as it stands.",
    )

    def __init__(self, *args, warnings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings = list(warnings)
        if not self.warnings:
            del self.fields["warnings_confirmed"]

    def clean_warnings_confirmed(self) -> bool:
        if self.warnings and not self.cleaned_data["warnings_confirmed"]:
            raise forms.ValidationError("Confirm that the note is complete as it stands.")
        return True


class SignForm(PeopleForm):
    """Signing what was read: the fingerprint of the note as shown travels with the form."""

    read_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=64)
    confirm = forms.BooleanField(
        label="I have read the note and sign it as a true record. Once signed it cannot change.",
        error_messages={"required": "Confirm that you have read the note"},
    )
    correct = forms.BooleanField(
        required=False, label="The name or title printed under my signature is wrong"
    )
    corrected_name = forms.CharField(
        max_length=200, required=False, label="Name as it should be printed"
    )
    corrected_title = forms.CharField(
        max_length=200, required=False, label="Title as it should be printed"
    )
    correction_reason = forms.CharField(
        required=False,
        label="Why the correction",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded with the note's history.",
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("correct"):
            cleaned["corrected_name"] = cleaned["corrected_title"] = ""
            cleaned["correction_reason"] = ""
        elif not (cleaned.get("correction_reason") or "").strip():
            self.add_error("correction_reason", "Say why the printed name or title is corrected.")
        return cleaned


class ReturnForm(PeopleForm):
    comment = forms.CharField(
        label="What needs changing",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Staff will see this comment with the returned draft.",
    )

    def clean_comment(self) -> str:
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError("Say what needs changing.")
        return comment


# Performance scrutiny ---------------------------------------------------------------------


class ComparisonPeriodForm(PeopleForm):
    period = forms.CharField(
        label="Period the meeting considered: 12 months ending",
        error_messages={"required": "Enter the last month of the 12 the meeting considered"},
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
        help_text='The last month of the 12, e.g. "2013-10" for 12 months ending October 2013. '
        "Where the data cover only whole quarters, the nearest complete period is used and "
        "the page says so.",
    )

    def clean_period(self):
        from performance.periods import Period

        try:
            period = Period.parse(self.cleaned_data["period"])
        except ValueError as error:
            raise forms.ValidationError("Give a month written YYYY-MM, e.g. 2013-10.") from error
        if not 1990 <= period.end_year <= 2100:
            raise forms.ValidationError("Give a month between 1990 and 2100.")
        return period


class ExceptionReportAddForm(PeopleForm):
    category = forms.ChoiceField(
        label="Category of concern",
        required=False,
        help_text="A category that is not red but concerns the Commissioner.",
    )
    other_category = forms.CharField(
        label="Or a category the force defines",
        max_length=max_length_of(ExceptionReport, "category_name"),
        required=False,
        help_text='For example "Non domestic serious violent crime" or "Rural crime".',
    )

    def __init__(self, *args, categories: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Choose a category…"), *categories]
        self.category_names = dict(categories)

    def clean(self):
        from django.utils.text import slugify

        cleaned = super().clean()
        slug, other = cleaned.get("category"), (cleaned.get("other_category") or "").strip()
        if slug and other:
            self.add_error("other_category", "Choose a category or type one, not both.")
        elif not slug and not other:
            self.add_error("category", "Choose a category, or type the name of one.")
        elif other:
            cleaned["slug"] = f"force-{slugify(other, allow_unicode=True)[:100]}"
            cleaned["name"] = other
        else:
            cleaned["slug"], cleaned["name"] = slug, self.category_names[slug]
        return cleaned


class DismissForm(PeopleForm):
    reason = forms.CharField(
        label="Why is no exception report needed?", widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason for dismissing the proposal.")
        return reason


class ExceptionReportForm(VersionedForm):
    concern = forms.CharField(
        label="The Commissioner's concern",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In Markdown.",
    )
    explanation = forms.CharField(
        label="The force's explanation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="In Markdown.",
    )
    item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        label="Discussed under the item",
        empty_label="Not linked to an item",
    )
    outcome = forms.CharField(
        label="Conclusion, as the note records it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The note prints it as the conclusion when the Commissioner has recorded "
        "none on the Review tab (their conclusion there wins).",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.order_by("position", "id")
        self.fields["item"].label_from_instance = lambda item: item.title

    @classmethod
    def initial_for(cls, report) -> dict:
        return {
            "concern": report.concern,
            "explanation": report.explanation,
            "item": report.item_id,
            "outcome": report.outcome,
            "version": report.version,
        }


class ActionPlanForm(VersionedForm):
    name = forms.CharField(
        max_length=max_length_of(ActionPlan, "name"), help_text='For example "Operation Vanquish".'
    )
    summary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="In Markdown."
    )
    owner = forms.CharField(
        max_length=max_length_of(ActionPlan, "owner"),
        required=False,
        help_text='Who leads it, e.g. "Lancashire Constabulary".',
    )
    aims = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One aim per line, in order; they are numbered 1, 2, 3 …",
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the plan a name.")
        return name

    def aim_lines(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data.get("aims", "").splitlines() if line.strip()
        ]


class AimForm(PeopleForm):
    text = forms.CharField(label="New aim", widget=forms.Textarea(attrs={"rows": 2}))

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the aim.")
        return text


class ConclusionForm(PeopleForm):
    DEFER = "deferred"

    conclusion = forms.ChoiceField(
        label="The Commissioner's conclusion",
        widget=forms.RadioSelect,
        choices=[
            ("assured", "Assured"),
            ("partly_assured", "Partly assured"),
            ("not_assured", "Not assured"),
            (DEFER, "No conclusion yet: it returns to a later meeting"),
        ],
        error_messages={"required": "Select whether the Commissioner is assured"},
    )
    comments = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when not assured.",
    )
    return_requested = forms.BooleanField(
        required=False, label="Ask for this category to return at a later meeting as well"
    )
    return_by = DateInputField(
        required=False,
        label="Return by",
        hint="Optional: the date of the meeting it should return to, for example 23 12 2013.",
    )
    deferred_to = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        label="The meeting it returns to",
        help_text="A later meeting of this series (start it first if it is not yet arranged).",
    )
    deferral_reason = forms.CharField(
        required=False, label="Why it returns", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        if report is not None:
            self.fields["deferred_to"].queryset = later_meetings(meeting=report.meeting)

    def clean(self):
        cleaned = super().clean()
        conclusion = cleaned.get("conclusion")
        if conclusion == "not_assured" and not (cleaned.get("comments") or "").strip():
            self.add_error("comments", "Say why the Commissioner is not assured.")
        if conclusion == self.DEFER and not cleaned.get("deferred_to"):
            self.add_error("deferred_to", "Select the meeting the report returns to.")
        return cleaned


class ActionForm(VersionedForm):
    """An action with its lead and owners typed as names or initials (a type-ahead list offers
    the people known; one owner a line, in order), matched to people when the form is checked.
    Names nobody has are offered as new people, added only once the user confirms them."""

    number = forms.IntegerField(
        label="Number",
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Leave empty for the next number of the body's action log.",
    )
    description = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead = forms.CharField(
        max_length=max_length_of(Person, "name"),
        required=False,
        label="Lead",
        help_text="Who answers for it: a name or initials. Need not have attended.",
        widget=forms.TextInput(attrs={"list": "known-people", "autocomplete": "off"}),
    )
    owners = forms.CharField(
        required=False,
        max_length=MAX_PEOPLE_TYPED * (max_length_of(Person, "name") + 2),
        label="Owners",
        help_text="One a line, in the order the note gives them: a name or initials. Owners "
        "need not have attended.",
        widget=forms.Textarea(
            attrs={"rows": 3, "data-people-picker": "known-people", "spellcheck": "false"}
        ),
    )
    confirm_new_people = forms.BooleanField(
        required=False, label="Add the people named above who are not known yet"
    )
    item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        label="Raised under the item",
        empty_label="Not under a particular item",
    )
    due = DateInputField(label="Due by", required=False)

    field_order = [
        "number",
        "description",
        "lead",
        "owners",
        "confirm_new_people",
        "item",
        "due",
    ]

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["item"].queryset = meeting.items.order_by("position", "id")
        self.fields["item"].label_from_instance = lambda item: item.title
        self.new_people: list[str] = []

    @classmethod
    def initial_for(cls, action) -> dict:
        return {
            "number": action.number,
            "description": action.description,
            "lead": action.lead.name if action.lead_id else "",
            "owners": "\n".join(o.person.name for o in action.ownerships.all()),
            "item": action.item_id,
            "due": action.due,
            "version": action.version,
        }

    def _people(self, field: str, lines: list[str]) -> list:
        found = []
        for typed in people_matching(typed=lines, meeting=self.meeting):
            if typed.error:
                self.add_error(field, f"“{typed.typed}”: {typed.error}")
            elif typed.person is not None:
                found.append(typed.person)
            else:
                self.new_people.append(typed.new_name)
                found.append(NewPerson(name=typed.new_name))
        return found

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("description") or "").strip():
            self.add_error("description", "Describe the action.")
        lines = (cleaned.get("owners") or "").splitlines()
        if len([line for line in lines if line.strip()]) > MAX_PEOPLE_TYPED:
            self.add_error("owners", f"Give at most {MAX_PEOPLE_TYPED} owners.")
            lines = []
        lead = self._people("lead", [cleaned.get("lead") or ""])
        owners = self._people("owners", lines)
        cleaned["lead_person"] = lead[0] if lead else None
        cleaned["owner_people"] = owners
        if not lead and not owners and not self.has_error("lead") and not self.has_error("owners"):
            self.add_error("owners", "Give the action a lead or at least one owner.")
        if self.new_people and not cleaned.get("confirm_new_people"):
            names = ", ".join(dict.fromkeys(self.new_people))
            label = f"Add as new people: {names}"
            self.fields["confirm_new_people"].label = label
            self["confirm_new_people"].label = label  # its bound field is made already
            self.add_error(
                "confirm_new_people",
                f"No one known is called {names}: tick the box to add them as new people, "
                "or correct the names.",
            )
        return cleaned

    def action_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "description": data["description"],
            "lead": data["lead_person"],
            "owners": data["owner_people"],
            "item": data["item"],
            "due": data["due"],
            "number": data["number"],
        }


class ActionUpdateForm(PeopleForm):
    text = forms.CharField(
        label="Progress",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What has happened since the action was raised or last updated.",
    )
    status = forms.ChoiceField(
        choices=[
            ("open", "Open"),
            ("in_progress", "In progress"),
            ("closed", "Closed"),
        ],
        widget=forms.RadioSelect,
    )


class NextMeetingForm(MeetingTimesForm):
    venue = forms.CharField(
        max_length=max_length_of(Meeting, "venue"),
        required=False,
        help_text="Leave empty to keep the previous venue.",
    )


# Accounts and roles -----------------------------------------------------------------------


class UserCreateForm(PeopleForm):
    """A new account: who it is for and the roles the person creating it may grant."""

    username = forms.CharField(
        max_length=max_length_of(User, "username"),
        help_text="Letters, digits and @/./+/-/_ only, e.g. “bev.wood”. They sign in with it.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    first_name = forms.CharField(
        max_length=max_length_of(User, "first_name"), required=False, label="First name"
    )
    last_name = forms.CharField(
        max_length=max_length_of(User, "last_name"), required=False, label="Last name"
    )
    email = forms.EmailField(
        max_length=max_length_of(User, "email"), required=False, label="Email address"
    )
    roles = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The roles you may grant. Others are granted by a superuser.",
    )

    def __init__(self, *args, grantable: frozenset[str], **kwargs):
        from django.contrib.auth.validators import UnicodeUsernameValidator

        from . import roles

        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(UnicodeUsernameValidator())
        self.fields["roles"].choices = [(role, role) for role in roles.ALL if role in grantable]

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()


class RoleChangeForm(PeopleForm):
    """Grant or revoke one role (the buttons of the account page)."""

    role = forms.CharField(max_length=50)
    change = forms.ChoiceField(choices=[("grant", "Grant"), ("revoke", "Revoke")])


class AccountActiveForm(PeopleForm):
    active = forms.TypedChoiceField(
        choices=[("0", "Deactivate"), ("1", "Reactivate")], coerce=lambda value: value == "1"
    )


# Bodies and the previous meeting's record ----------------------------------------------------


class BodyForm(VersionedForm):
    """A body's name, numbering, standard items, usual attendance and print style."""

    name = forms.CharField(
        max_length=max_length_of(Body, "name"), help_text=Body._meta.get_field("name").help_text
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=Body._meta.get_field("description").help_text,
    )
    document_name = forms.CharField(
        label="Name of its record",
        max_length=max_length_of(Body, "document_name"),
        initial="Note",
        help_text=Body._meta.get_field("document_name").help_text,
    )
    numbering = forms.ChoiceField(
        label="Item numbering",
        choices=Meeting.Numbering.choices,
        widget=forms.RadioSelect,
        initial=Meeting.Numbering.LETTERS,
        help_text=Body._meta.get_field("numbering").help_text,
    )
    first_action_number = forms.IntegerField(
        label="First action number",
        min_value=1,
        max_value=2**31 - 1,
        initial=1,
        help_text=Body._meta.get_field("first_action_number").help_text,
    )
    standard_items = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        initial=Body._meta.get_field("standard_items").default,
        help_text=Body._meta.get_field("standard_items").help_text,
    )
    attendee_order = forms.ChoiceField(
        label="Print attendees as",
        choices=Body._meta.get_field("attendee_order").choices,
        widget=forms.RadioSelect,
        initial="name_role",
    )
    show_initials = forms.BooleanField(
        required=False,
        label="Print initials after names",
        help_text=Body._meta.get_field("show_initials").help_text,
    )
    chair_heading = forms.CharField(
        required=False,
        max_length=max_length_of(Body, "chair_heading"),
        label="Heading for the chair",
        help_text=Body._meta.get_field("chair_heading").help_text,
    )
    present_heading = forms.CharField(
        max_length=max_length_of(Body, "present_heading"),
        initial="Present",
        label="Heading for those present",
    )
    in_attendance_heading = forms.CharField(
        max_length=max_length_of(Body, "in_attendance_heading"),
        initial="In attendance",
        label="Heading for those in attendance",
    )
    note_taker_heading = forms.CharField(
        required=False,
        max_length=max_length_of(Body, "note_taker_heading"),
        label="Heading for the note taker",
        help_text=Body._meta.get_field("note_taker_heading").help_text,
    )
    apologies_heading = forms.CharField(
        max_length=max_length_of(Body, "apologies_heading"),
        initial="Apologies",
        label="Heading for apologies",
    )
    usual_attendance = forms.CharField(
        required=False,
        max_length=MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=Body._meta.get_field("usual_attendance").help_text,
    )

    field_order = list(BODY_FIELDS)

    @classmethod
    def initial_for(cls, body: Body) -> dict:
        return {name: getattr(body, name) for name in cls.field_order} | {"version": body.version}

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and name not in {"standard_items", "usual_attendance"}:
                cleaned[name] = " ".join(value.split()) if name != "description" else value.strip()
        return cleaned

    def body_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.field_order}


class PreviousMinutesForm(VersionedForm):
    """Whether the record of an earlier meeting of the body was approved under this item."""

    previous_meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        label="The meeting whose record it approves",
        empty_label="Not a meeting recorded in the portal",
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Not recorded"), *AgendaItem.PreviousOutcome.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(
        label="Amendments or reasons",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The amendments made, or why the record was not approved (printed with it).",
    )

    def __init__(self, *args, item: AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = item.meeting
        self.fields["previous_meeting"].queryset = Meeting.objects.filter(
            body_id=meeting.body_id, start__lt=meeting.start
        ).order_by("-start", "-revision_number")
        self.fields["previous_meeting"].label_from_instance = lambda m: (
            f"{m}" + (f" (revision {m.revision_number})" if m.revision_number > 1 else "")
        )

    @classmethod
    def initial_for(cls, item: AgendaItem) -> dict:
        return {
            "previous_meeting": item.previous_meeting_id,
            "outcome": item.previous_outcome,
            "note": item.previous_outcome_note,
            "version": item.version,
        }


# Emails ---------------------------------------------------------------------------------------


class NotificationPreferencesForm(PeopleForm):
    receives = forms.MultipleChoiceField(
        label="Send me an email when",
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Only the emails your roles concern are sent: a Chief Executive is not told "
        "of reports awaiting the Commissioner's conclusion, whatever is ticked here.",
    )


class SignInForm(PeopleForm, auth_forms.AuthenticationForm):
    """Django's sign-in form, its empty fields saying what to enter."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
