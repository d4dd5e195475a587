"""Forms validate and normalise what staff type; services do the saving."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone

from .models import AgendaItem, Attendance, Decision, Meeting, Person


class VersionedForm(forms.Form):
    """Carries the version of the object the user loaded, to detect concurrent edits."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MeetingForm(VersionedForm):
    title = forms.CharField(
        max_length=200,
        help_text='For example "Strategic Scrutiny Meeting".',
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(
        label="Start time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label="End time",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    venue = forms.CharField(max_length=300, required=False)
    numbering = forms.ChoiceField(
        label="Item numbering",
        choices=Meeting.Numbering.choices,
        widget=forms.RadioSelect,
        initial=Meeting.Numbering.LETTERS,
    )
    first_minute_number = forms.IntegerField(
        label="First minute number",
        required=False,
        min_value=1,
        help_text="Only for minute numbering: the number of this meeting's first item.",
    )

    field_order = [
        "title",
        "date",
        "start_time",
        "end_time",
        "venue",
        "numbering",
        "first_minute_number",
    ]

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        start = timezone.localtime(meeting.start)
        end = timezone.localtime(meeting.end) if meeting.end else None
        return {
            "title": meeting.title,
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time() if end else None,
            "venue": meeting.venue,
            "numbering": meeting.numbering,
            "first_minute_number": meeting.first_minute_number,
            "version": meeting.version,
        }

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        date, start_time, end_time = (
            cleaned.get("date"),
            cleaned.get("start_time"),
            cleaned.get("end_time"),
        )
        if date and start_time:
            zone = ZoneInfo(settings.TIME_ZONE)
            cleaned["start"] = dt.datetime.combine(date, start_time, tzinfo=zone)
            cleaned["end"] = dt.datetime.combine(date, end_time, tzinfo=zone) if end_time else None
            if end_time and end_time <= start_time:
                self.add_error("end_time", "The meeting must end after it starts.")
        if cleaned.get("numbering") == Meeting.Numbering.MINUTES and not cleaned.get(
            "first_minute_number"
        ):
            self.add_error(
                "first_minute_number",
                "Give the number of the first item when numbering by minute numbers.",
            )
        return cleaned

    def meeting_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "start": data["start"],
            "end": data["end"],
            "venue": data["venue"].strip(),
            "numbering": data["numbering"],
            "first_minute_number": data["first_minute_number"],
        }


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        return f"{person.name} ({person.usual_role})" if person.usual_role else person.name


class AttendanceForm(VersionedForm):
    person = PersonChoiceField(
        queryset=Person.objects.order_by("name", "id"),
        required=False,
        label="Person",
        empty_label="Choose someone already known…",
    )
    new_person_name = forms.CharField(
        max_length=200,
        required=False,
        label="Or add a new person",
        help_text='Their name as the note should show it, e.g. "Superintendent Paul Wilson".',
    )
    kind = forms.ChoiceField(
        label="Listed as",
        choices=Attendance.Kind.choices,
        widget=forms.RadioSelect,
        initial=Attendance.Kind.PRESENT,
    )
    role = forms.CharField(
        max_length=300,
        required=False,
        label="Role at this meeting",
        help_text='For example "Chief Constable, Lancashire Constabulary".',
    )
    is_chair = forms.BooleanField(required=False, label="Chaired the meeting")
    is_note_taker = forms.BooleanField(required=False, label="Took the note")
    on_behalf_of = PersonChoiceField(
        queryset=Person.objects.order_by("name", "id"),
        required=False,
        label="Attending on behalf of",
        empty_label="Nobody",
    )

    field_order = [
        "person",
        "new_person_name",
        "kind",
        "role",
        "is_chair",
        "is_note_taker",
        "on_behalf_of",
    ]

    def __init__(self, *args, meeting: Meeting, attendance: Attendance | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.attendance = attendance

    @classmethod
    def initial_for(cls, attendance: Attendance) -> dict:
        return {
            "person": attendance.person_id,
            "kind": attendance.kind,
            "role": attendance.role,
            "is_chair": attendance.is_chair,
            "is_note_taker": attendance.is_note_taker,
            "on_behalf_of": attendance.on_behalf_of_id,
            "version": attendance.version,
        }

    def clean_new_person_name(self) -> str:
        return " ".join(self.cleaned_data["new_person_name"].split())

    def clean_role(self) -> str:
        return self.cleaned_data["role"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        person, new_name = cleaned.get("person"), cleaned.get("new_person_name")
        if person and new_name:
            self.add_error("new_person_name", "Choose a known person or type a new name, not both.")
        elif not person and not new_name and "person" not in self.errors:
            self.add_error("person", "Choose a person, or type the name of a new person.")
        if person:
            listed = Attendance.objects.filter(meeting=self.meeting, person=person)
            if self.attendance is not None:
                listed = listed.exclude(pk=self.attendance.pk)
            if listed.exists():
                self.add_error("person", f"{person} is already listed at this meeting.")
            if cleaned.get("on_behalf_of") == person:
                self.add_error("on_behalf_of", "A person cannot attend on their own behalf.")
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


class AgendaItemAddForm(forms.Form):
    title = forms.CharField(max_length=300, label="Title of the new item")

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the item a title.")
        return title


class AgendaItemForm(VersionedForm):
    title = forms.CharField(max_length=300)
    narrative = forms.CharField(
        required=False,
        label="Note of the discussion",
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=AgendaItem._meta.get_field("narrative").help_text,
    )
    assurance_statement = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=AgendaItem._meta.get_field("assurance_statement").help_text,
    )
    is_restricted = forms.BooleanField(
        required=False,
        label="Restricted (held in closed session)",
        help_text="The public note will show only that the item was considered.",
    )
    exemption = forms.CharField(
        max_length=300,
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


class DecisionForm(VersionedForm):
    text = forms.CharField(
        label="Decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='As recorded, e.g. "RESOLVED: That the report be noted."',
    )
    notice_reference = forms.CharField(
        max_length=100, required=False, label="Decision notice reference"
    )
    notice_url = forms.URLField(required=False, label="Decision notice link", assume_scheme="https")

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


class SignForm(forms.Form):
    signatory_name = forms.CharField(
        max_length=200,
        label="Name as it will be printed",
        help_text="Printed in capitals in the signature block of the note.",
    )
    signatory_title = forms.CharField(max_length=200, label="Title", initial="Chief Executive")
    confirm = forms.BooleanField(
        label="I have read the note and sign it as a true record. Once signed it cannot change.",
    )


class ReturnForm(forms.Form):
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
