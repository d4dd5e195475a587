"""A select rendered once per content: long lists of people or forces cost Django's templates
a template include per option (136 people on the attendance editor, twice: 2 ms each)."""

from __future__ import annotations

from django import forms
from django.utils.safestring import SafeString

from scrutiny import cache as keys

RENDERED_SECONDS = 86400


def plain_choices(choices) -> list:
    """The choices as text, groups kept: ``[value, label]`` or ``[group, [...]]``."""
    out = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            out.append([str(value), plain_choices(label)])
        else:
            out.append([str(value), str(label)])
    return out


class Select(forms.Select):
    """``forms.Select`` whose HTML, rendered by Django's own templates, is kept in the cache
    under a hash of everything it is made from: the templates, the name, the value, the
    attributes and every choice. A new person, a renamed force or another value chosen is a
    new key, never a stale list; the choices (a queryset) are read once a render. Named as
    Django's own class: crispy-forms writes the widget's class name into the markup
    (``class="select form-select"``), which stays as it was."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        # Through iter(): list() would first ask a ModelChoiceIterator for its length, a
        # COUNT query of its own.
        self.choices = list(iter(self.choices))
        made_of = [
            self.template_name,
            self.option_template_name,
            type(renderer).__name__,
            name,
            self.format_value(value),
            self.allow_multiple_selected,
            {
                key: item if isinstance(item, bool) else str(item)
                for key, item in self.build_attrs(self.attrs, attrs).items()
            },
            plain_choices(self.choices),
        ]
        return keys.html_once(
            "select",
            made_of,
            lambda: super(Select, self).render(name, value, attrs, renderer),
            timeout=RENDERED_SECONDS,
        )
