"""Force-recorded fraud is never ranked, never red and never proposed: Action Fraud has
recorded fraud nationally since 2013/14, and earlier force figures are not comparable."""

import io
import json

from django.core.management import call_command
from django.urls import reverse

from performance.importers.reference import classification_load
from performance.models import Category
from performance.periods import Period
from performance.selectors.comparison import comparison_build
from performance.selectors.trends import category_trend

from .raw import LANCASHIRE, text_of

MARCH_2013 = Period.parse("2013-03")


def _fraud_rows(comparison):
    fraud = Category.objects.get(kind=Category.Kind.GROUP, name="Fraud offences")
    slugs = {fraud.slug, *fraud.subgroups.values_list("slug", flat=True)}
    return [row for row in comparison.rows if row.category_slug in slugs]


def test_force_recorded_fraud_is_identified_from_the_classification(reference):
    marked = set(Category.objects.filter(is_comparable=False).values_list("name", flat=True))
    assert "Fraud offences" in marked
    assert "Fraud offences to 2012/13" in marked
    assert not {"Violence without injury", "Miscellaneous crimes against society"} & marked
    note = Category.objects.get(name="Fraud offences to 2012/13").comparability_note
    assert "Action Fraud" in note and "since 2013/14" in note
    assert "earlier force figures are not comparable" in note


def test_an_administrators_note_is_kept_when_the_classification_is_loaded_again(reference):
    Category.objects.filter(name="Fraud offences").update(
        is_comparable=True, comparability_note="Ranked on purpose by the office."
    )
    classification_load()
    fraud = Category.objects.get(kind=Category.Kind.GROUP, name="Fraud offences")
    assert fraud.is_comparable


def test_fraud_in_2012_13_is_shown_but_never_ranked_nor_red(lancashire):
    comparison = comparison_build(force=lancashire, period=MARCH_2013)
    rows = _fraud_rows(comparison)
    assert rows and all(row.is_complete and row.count is not None for row in rows)
    for row in rows:
        assert not row.is_comparable
        assert "Action Fraud" in row.comparability_note
        assert row.national_rank is None and row.rank_in_group is None
        assert not row.is_red and row.significance is None
        assert not any(figure.is_red or figure.national_rank for figure in row.forces)


def test_no_fraud_row_is_ever_proposed_for_an_exception_report(lancashire):
    comparison = comparison_build(force=lancashire, period=MARCH_2013)
    fraud = {row.category_slug for row in _fraud_rows(comparison)}
    assert comparison.red_rows  # other categories are red at 2013-03
    assert not fraud & {row.category_slug for row in comparison.red_rows}


def test_the_trend_of_fraud_is_never_red_nor_ranked(lancashire):
    fraud = Category.objects.get(kind=Category.Kind.GROUP, name="Fraud offences")
    trend = category_trend(force=lancashire, category=fraud, source_slug="home-office-prc")
    assert trend
    assert not any(point.is_red or point.national_rank for point in trend)


def test_the_pages_and_exports_say_not_comparable(lancashire, viewer_client):
    march = {"force": LANCASHIRE, "month": 3, "year": 2013}
    page = text_of(viewer_client.get(reverse("performance:dashboard"), march))
    assert "Not comparable between forces: Action Fraud" in page
    out = io.StringIO()
    call_command(
        "compare", "--force", "Lancashire", "--period", "2013-03", "--format", "json", stdout=out
    )
    rows = [row for row in json.loads(out.getvalue())["rows"] if not row["is_comparable"]]
    assert rows and all("Action Fraud" in row["comparability_note"] for row in rows)
    csv = viewer_client.get(reverse("performance:comparison-csv"), march).content.decode()
    assert "Not comparable between forces" in csv
