"""Dates as GOV.UK asks for them: three boxes, day, month and year, in a fieldset whose legend
names the date, with messages that say what is missing ("The date must include a month").

Why not ``<input type="date">``: browsers lay its parts out by their own language, not the
page's (Chromium without its locale packs shows mm/dd/yyyy to a British user), some screen
readers announce it poorly, and a half-typed date is sent as nothing at all, so what was typed
is lost. Three numeric boxes keep every keystroke and read the same everywhere.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

PARTS = ("day", "month", "year")


class DatePartsWidget(forms.MultiWidget):
    """Day, month and year boxes (``<name>_day``, ``<name>_month``, ``<name>_year``).

    A form may still be sent the date whole as ``<name>=YYYY-MM-DD`` (a script, an older page
    open in a tab): it is read as its three parts."""

    template_name = "widgets/date_parts.html"
    use_fieldset = True

    def __init__(self, attrs: dict | None = None):
        def box(width: int) -> forms.TextInput:
            return forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "maxlength": str(width),
                    "size": str(width),
                    "autocomplete": "off",
                    "spellcheck": "false",
                }
            )

        super().__init__({"day": box(2), "month": box(2), "year": box(4)}, attrs)

    def decompress(self, value):
        if isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return [value[:10], None, None]
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name) -> list[str]:
        parts = super().value_from_datadict(data, files, name)
        whole = data.get(name)
        if not any(parts) and isinstance(whole, str) and whole:
            return [part or "" for part in self.decompress(whole)]
        return parts

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for sub, part in zip(context["widget"]["subwidgets"], PARTS, strict=True):
            sub["part"] = part.capitalize()
            if context["widget"]["attrs"].get("aria-invalid"):
                sub["attrs"]["aria-invalid"] = "true"
        return context


class DateInputField(forms.Field):
    """A date typed as day, month and year, each checked with a message written for people."""

    widget = DatePartsWidget
    default_error_messages = {
        "required": "Enter the date",
        "incomplete": "The date must include a {missing}",
        "not_numbers": "The date must be in numbers, for example 23 12 2013",
        "year": "The year must include 4 numbers",
        "invalid": "The date must be a real date",
    }

    def __init__(self, *, hint: str = "For example, 23 12 2013", **kwargs):
        kwargs.setdefault("help_text", hint)
        super().__init__(**kwargs)

    def to_python(self, value) -> dt.date | None:
        if isinstance(value, dt.date) or value in self.empty_values:
            return value or None
        parts = [str(part or "").strip() for part in value]
        if not any(parts):
            return None
        missing = [name for name, part in zip(PARTS, parts, strict=True) if not part]
        if missing:
            raise ValidationError(
                self.error_messages["incomplete"].format(missing=" and ".join(missing)),
                code="incomplete",
            )
        if not all(part.isascii() and part.isdigit() and len(part) <= 4 for part in parts):
            raise ValidationError(self.error_messages["not_numbers"], code="not_numbers")
        day, month, year = (int(part) for part in parts)
        if len(parts[2]) != 4:
            raise ValidationError(self.error_messages["year"], code="year")
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
