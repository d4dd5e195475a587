"""``{{ form|crispy_once }}``: crispy-forms' ``|crispy`` of a form nobody has submitted yet,
rendered once per content and then read from the cache (``scrutiny.cache.html_once``).

Django's templates cost about a millisecond a field through crispy-forms' field template
and Django's widget templates: the attendance form's ten fields were 10 ms of its page, the
item editor's two forms 5 ms (issue 15). ``|crispy`` renders a form from the form alone (a
context of its own, nothing of the page's), so the HTML of an unsubmitted form is a function
of its fields: each field's name, id, label, help, value, widget (its class, templates,
attributes and choices), and whether it is required, disabled or hidden. The key is a hash
of all of them, so a changed label, value, choice or attribute is a new key, never a stale
form. A submitted form (it has the typed values and their errors) is rendered every time.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms, template
from django.forms.widgets import ChoiceWidget

from . import cache as keys
from .widgets import plain_choices

RENDERED_SECONDS = 86400

register = template.Library()


def _text(value) -> object:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, list | tuple):
        return [_text(part) for part in value]
    return str(value)


def _widget(widget: forms.Widget, field: forms.BoundField | None = None) -> dict:
    made_of = {
        "class": f"{type(widget).__module__}.{type(widget).__qualname__}",
        "template": widget.template_name,
        "option_template": getattr(widget, "option_template_name", None),
        "input_type": getattr(widget, "input_type", None),
        "attrs": {key: _text(item) for key, item in widget.attrs.items()},
        "is_required": widget.is_required,
    }
    if field is not None:
        made_of["built_attrs"] = {
            key: _text(item) for key, item in field.build_widget_attrs(widget.attrs).items()
        }
    if isinstance(widget, ChoiceWidget):
        widget.choices = list(iter(widget.choices))  # a queryset read once, not twice
        made_of["choices"] = plain_choices(widget.choices)
        made_of["multiple"] = widget.allow_multiple_selected
    if isinstance(widget, forms.MultiWidget):
        made_of["widgets"] = [_widget(part) for part in widget.widgets]
        made_of["suffixes"] = list(widget.widgets_names)
    return made_of


def _field(field: forms.BoundField) -> dict:
    return {
        "name": field.html_name,
        "auto_id": field.auto_id,
        "label": _text(field.label),
        "help_text": _text(field.help_text),
        "css_classes": field.css_classes(),
        "value": _text(field.value()),
        "required": field.field.required,
        "disabled": field.field.disabled,
        "localize": field.field.localize,
        "show_hidden_initial": field.field.show_hidden_initial,
        "is_hidden": field.is_hidden,
        "use_fieldset": field.use_fieldset,
        "widget": _widget(field.field.widget, field),
    }


def form_content(form: forms.BaseForm) -> dict:
    """Everything ``|crispy`` reads of an unsubmitted ``form``, as plain data."""
    return {
        "form": f"{type(form).__module__}.{type(form).__qualname__}",
        "prefix": form.prefix,
        "auto_id": _text(form.auto_id),
        "label_suffix": form.label_suffix,
        "required_css_class": getattr(form, "required_css_class", None),
        "error_css_class": getattr(form, "error_css_class", None),
        "use_required_attribute": form.use_required_attribute,
        "renderer": type(form.renderer).__name__,
        "fields": [_field(field) for field in form],
    }


@register.filter
def crispy_once(form: forms.BaseForm):
    """``form|crispy``, kept per content while the form is unsubmitted and has no errors."""
    if form.is_bound or form.errors:
        return as_crispy_form(form)
    return keys.html_once(
        "crispy-form",
        form_content(form),
        lambda: as_crispy_form(form),
        timeout=RENDERED_SECONDS,
    )
