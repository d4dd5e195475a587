"""How notes write dates and times: "Monday, 23 December 2013", "2.00 pm"."""

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def note_day(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local:%A}, {local.day} {local:%B %Y}"


@register.filter
def note_time(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{hour}.{local:%M} {'am' if local.hour < 12 else 'pm'}"


@register.filter
def user_name(user) -> str:
    """A user as the history shows them: full name, else username; nobody is the system."""
    if user is None:
        return "the system"
    return user.get_full_name() or user.get_username()


@register.filter
def error_anchor(field) -> str:
    """The id an error summary links to: the field's input, or a radio or checkbox group's
    first option (Django gives such a group no id of its own)."""
    return field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
