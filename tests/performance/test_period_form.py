"""The force-and-period form of the dashboard and the category page (``{% period_form %}``):
the HTML of its template, rendered once per data version and choice, never a stale list of
forces, and never kept when the choice has errors."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.forms import ComparisonForm
from performance.models import Force
from performance.selectors import comparison as comparisons
from performance.templatetags import performance_format

from .raw import LANCASHIRE

ACTION = "/performance/"


@pytest.fixture
def renders(monkeypatch) -> list[dict]:
    """Each rendering of the form's template, with what it was given."""
    made: list[dict] = []
    original = performance_format.render_to_string

    def counted(name, context):
        made.append(context)
        return original(name, context)

    monkeypatch.setattr(performance_format, "render_to_string", counted)
    return made


def _plain(form) -> str:
    """The template as the pages included it before it was kept."""
    return render_to_string(
        performance_format.PERIOD_FORM_TEMPLATE, {"form": form, "action": ACTION}
    )


def _tag(form) -> str:
    return performance_format.period_form(form, ACTION, comparisons.data_version())


def _form_of(page: str) -> str:
    return re.search(r'<form method="get".*?</form>', page, re.S).group()


def _unbound() -> ComparisonForm:
    return ComparisonForm(initial={"force": LANCASHIRE, "month": 9, "year": 2013})


@pytest.mark.parametrize(
    "make",
    [
        _unbound,
        lambda: ComparisonForm({"force": LANCASHIRE, "month": "6", "year": "2013"}),
        lambda: ComparisonForm({"force": "nowhere", "month": "13", "year": "twenty"}),
    ],
    ids=["defaults", "chosen", "errors"],
)
def test_the_html_is_the_templates_own(reference, make):
    form = make()
    if form.is_bound:
        form.is_valid()
    assert _tag(make()) == _plain(form) == _tag(make())


def test_it_is_rendered_once_then_again_for_another_choice_or_address(reference, renders):
    first = _tag(_unbound())
    assert _tag(_unbound()) == first and len(renders) == 1
    chosen = ComparisonForm({"force": LANCASHIRE, "month": "6", "year": "2013"})
    assert chosen.is_valid()
    assert 'value="2013"' in str(_tag(chosen)) and len(renders) == 2
    typed = ComparisonForm({"force": LANCASHIRE, "month": "6", "year": "02013"})
    assert typed.is_valid()
    assert 'value="02013"' in str(_tag(typed)) and len(renders) == 3  # as typed, not as read
    elsewhere = performance_format.period_form(
        _unbound(), "/performance/categories/robbery/", comparisons.data_version()
    )
    assert 'action="/performance/categories/robbery/"' in elsewhere and len(renders) == 4


def test_a_renamed_force_shows_at_once(reference, renders):
    assert "Lancashire</option>" in _tag(_unbound())
    force = Force.objects.get(code=LANCASHIRE)
    force.name = "Lancashire Constabulary"
    force.save()  # performance data: the data version moves on
    html = _tag(_unbound())
    assert "Lancashire Constabulary</option>" in html and len(renders) == 2


def test_a_choice_with_errors_is_never_kept(reference, renders):
    for year in ("twenty", "twenty"):
        form = ComparisonForm({"force": LANCASHIRE, "month": "6", "year": year})
        assert not form.is_valid()
        html = _tag(form)
        assert "There is a problem" in html and 'value="twenty"' in html
    assert len(renders) == 2


def test_the_dashboard_shows_the_forces_without_reading_them_again(reference, viewer_client):
    url = reverse("performance:dashboard")
    first = _form_of(viewer_client.get(url).content.decode())
    assert "Lancashire</option>" in first
    with CaptureQueriesContext(connection) as queries:
        again = _form_of(viewer_client.get(url).content.decode())
    assert again == first
    assert not [q for q in queries if 'FROM "performance_force" ORDER BY' in q["sql"]]
