"""The comparison and the category charts are cached per data version: a second request
reads no figures, and any change of the data (an import, a peer group, an edit in the admin)
is seen at once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.importers import ImportFile
from performance.importers.crime import crime_counts_import
from performance.models import Category, Force, PeerGroup
from performance.periods import Period
from performance.selectors import comparison as comparisons

from .raw import lines

PERIOD = Period.parse("2014-09")
HEADER = "force,month,category,count"


def _import_arson(count: int) -> None:
    months = [f"2013-{m:02d}" for m in range(10, 13)] + [f"2014-{m:02d}" for m in range(1, 10)]
    rows = [
        f"{code},{month},Arson,{count}" for code in ("E23000003", "E23000005") for month in months
    ]
    crime_counts_import(format="monthly", files=[ImportFile("extract.csv", lines(HEADER, *rows))])


def _arson_count() -> int | None:
    force = Force.objects.get(code="E23000003")
    version = comparisons.data_version()
    comparison = comparisons.comparison_cached(force=force, period=PERIOD, version=version)
    return comparison.row("arson").count


def test_a_new_import_is_seen_at_once(reference):
    _import_arson(10)
    assert _arson_count() == 120
    with CaptureQueriesContext(connection) as queries:
        assert _arson_count() == 120
    assert len(queries) == 2  # the data version and the force: no figures read
    _import_arson(11)  # the source's figures replaced
    assert _arson_count() == 132


def test_a_peer_group_and_an_admin_edit_change_the_version(reference):
    before = comparisons.data_version()
    force = Force.objects.get(code="E23000003")
    PeerGroup.objects.create(force=force, valid_from=PERIOD.end, source="test", method="test")
    after_group = comparisons.data_version()
    assert after_group > before
    arson = Category.objects.get(slug="arson")
    arson.name = "Arson (renamed)"
    arson.save()
    assert comparisons.data_version() > after_group


def test_the_dashboard_shows_a_new_import_at_once(reference, viewer_client):
    url = reverse("performance:dashboard")
    query = {"force": "E23000003", "month": 9, "year": 2014}
    _import_arson(10)
    first = viewer_client.get(url, query)
    assert first.context["comparison"].row("arson").count == 120
    assert ">120<" in first.content.decode() and ">144<" not in first.content.decode()
    _import_arson(12)
    second = viewer_client.get(url, query)  # the table is a cached fragment: not the old one
    assert second.context["comparison"].row("arson").count == 144
    assert ">144<" in second.content.decode() and ">120<" not in second.content.decode()


def test_the_category_page_shows_a_new_import_at_once(reference, viewer_client):
    url = reverse("performance:category-detail", args=["arson"])
    query = {"force": "E23000003", "month": 9, "year": 2014}
    _import_arson(10)
    first = viewer_client.get(url, query)
    assert first.context["row"].count == 120
    _import_arson(12)
    second = viewer_client.get(url, query)
    assert second.context["row"].count == 144
    assert second.context["trend"][-1].count == 144
    # The trend table is a cached fragment per data version: the new figures, at once.
    latest = 'September 2014</th>\n          <td class="text-end">'
    assert latest + "120<" in first.content.decode()
    assert latest + "144<" in second.content.decode()
    assert latest + "120<" not in second.content.decode()
    third = viewer_client.get(url, query)
    assert third.content.decode().count(latest + "144<") == 1
