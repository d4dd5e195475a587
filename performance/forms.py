"""Forms that choose what to compare and upload data files."""

from __future__ import annotations

from django import forms
from django.conf import settings

from scrutiny import widgets

from .models import Force, PendingImport
from .periods import MONTH_NAMES, Period


class ComparisonForm(forms.Form):
    """A force and the month a 12-month period ends in (read from the query string)."""

    force = forms.ModelChoiceField(
        queryset=Force.objects.order_by("name"),
        to_field_name="code",
        empty_label=None,
        widget=widgets.Select,  # the 43 forces: rendered once until a force or the choice changes
    )
    month = forms.TypedChoiceField(
        label="12 months ending in",
        choices=[(number, MONTH_NAMES[number]) for number in range(1, 13)],
        coerce=int,
    )
    year = forms.IntegerField(
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    @classmethod
    def initial_for(cls, *, force: Force | None, period: Period | None) -> dict:
        initial = {}
        if force is not None:
            initial["force"] = force.code
        if period is not None:
            initial.update(month=period.end_month, year=period.end_year)
        return initial

    @property
    def period(self) -> Period:
        return Period.ending(self.cleaned_data["year"], self.cleaned_data["month"])


def query_string(*, force: Force | str, period: Period) -> str:
    """The query string that selects ``force`` and ``period`` on the performance pages."""
    code = force if isinstance(force, str) else force.code
    return f"force={code}&month={period.end_month}&year={period.end_year}"


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=PendingImport.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the file holds"},
    )
    file = forms.FileField(
        error_messages={"required": "Select the file to import"},
        help_text="CSV, a gzipped CSV (.csv.gz) or, for police.uk, a zip of monthly CSVs.",
    )
    release_label = forms.CharField(
        label="Release",
        required=False,
        max_length=200,
        help_text='For crime figures: which release this is, e.g. "19 October 2023".',
    )
    vintage = forms.CharField(
        required=False,
        max_length=200,
        help_text='For populations: the edition of the estimates, e.g. "ONS MYE23 (July 2024)".',
    )
    create_categories = forms.BooleanField(
        label="Create force-defined categories for names not yet known",
        required=False,
        help_text="For a force monthly extract only.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.PERFORMANCE_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the largest accepted is "
                f"{limit / 1024 / 1024:.0f} MB."
            )
        return upload

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            cleaned.get("kind") == PendingImport.Kind.POPULATION
            and not (cleaned.get("vintage") or "").strip()
        ):
            self.add_error("vintage", "Say which edition of the estimates this is.")
        return cleaned

    @property
    def options(self) -> dict:
        return {
            "release_label": self.cleaned_data["release_label"].strip(),
            "vintage": self.cleaned_data["vintage"].strip(),
            "create_categories": self.cleaned_data["create_categories"],
        }
