"""The trend compares each period with the group valid at its end (official beats computed),
so a period's group rate is the one its own comparison gives, whichever period is viewed."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.importers import ImportFile
from performance.importers.peer_groups import peer_groups_import
from performance.models import Category, PeerGroup, PeerGroupMember, Release
from performance.periods import Period
from performance.selectors.comparison import comparison_build
from performance.selectors.trends import category_trend
from tests.factories import national_dataset, wipe_performance_data

from .raw import LANCASHIRE

TOTAL = "total-recorded-crime-excluding-fraud"
SEPTEMBER_2013 = Period.parse("2013-09")


def _trend(force, slug=TOTAL):
    return category_trend(
        force=force, category=Category.objects.get(slug=slug), source_slug="home-office-prc"
    )


def _point(trend, period: Period):
    return next(point for point in trend if point.period == period)


def test_each_point_has_the_group_rate_of_its_own_comparison(lancashire):
    trend = _trend(lancashire)
    for key in ("2013-09", "2014-09", "2019-03", "2023-06"):
        period = Period.parse(key)
        comparison = comparison_build(force=lancashire, period=period, category_slugs=[TOTAL])
        point = _point(trend, period)
        assert point.group == comparison.group, key
        assert point.group_rate == pytest.approx(comparison.row(TOTAL).group_rate), key


def test_the_september_2013_point_reads_the_same_whatever_period_is_viewed(
    lancashire, viewer_client
):
    expected = comparison_build(force=lancashire, period=SEPTEMBER_2013).row(TOTAL).group_rate
    url = reverse("performance:category-detail", args=[TOTAL])
    for month, year in ((3, 2015), (6, 2023), (9, 2013)):
        response = viewer_client.get(url, {"force": LANCASHIRE, "month": month, "year": year})
        point = _point(response.context["trend"], SEPTEMBER_2013)
        assert point.group_rate == pytest.approx(expected), (month, year)
        assert point.group.valid_from == dt.date(2013, 4, 1)


def test_each_point_says_which_group_it_used(lancashire, viewer_client):
    url = reverse("performance:category-detail", args=[TOTAL])
    response = viewer_client.get(url, {"force": LANCASHIRE, "month": 3, "year": 2015})
    page = response.content.decode()
    assert "Computed peer group from 1 April 2013" in page
    assert "Computed peer group from 1 April 2014" in page


def test_an_official_group_beats_the_computed_one_from_its_date(lancashire):
    rows = ["force,valid_from,source,position,similar_force"] + [
        f"{LANCASHIRE},2014-01-01,Test iQuanta list,{position},{code}"
        for position, code in enumerate(["E23000004", "E23000005", "E23000010"], start=1)
    ]
    peer_groups_import(files=[ImportFile("msg.csv", ("\n".join(rows) + "\n").encode())])
    trend = _trend(lancashire)
    assert _point(trend, SEPTEMBER_2013).group.is_computed
    official = _point(trend, Period.parse("2014-03")).group
    assert not official.is_computed and official.heading == "Most similar group"
    march = comparison_build(force=lancashire, period=Period.parse("2014-03"))
    assert _point(trend, Period.parse("2014-03")).group_rate == pytest.approx(
        march.row(TOTAL).group_rate
    )
    PeerGroup.objects.filter(is_computed=False).delete()


# Queries ---------------------------------------------------------------------------------------


def _series(*, years: int, groups: int) -> int:
    """Queries of a trend over ``years`` years of monthly figures with ``groups`` groups."""
    wipe_performance_data()
    end = Period.parse("2020-12")
    forces = national_dataset(forces=5, subgroups=2, period=end, years=years)
    release = Release.objects.get()
    for n in range(groups - 1):
        group = PeerGroup.objects.create(
            force=forces[0],
            valid_from=dt.date(2010 + n, 4, 1),
            source="test",
            is_computed=True,
        )
        PeerGroupMember.objects.create(group=group, force=forces[1 + n % 4], position=1)
    category = Category.objects.get(slug="all-parts")
    source = release.source.slug
    with CaptureQueriesContext(connection) as queries:
        trend = category_trend(force=forces[0], category=category, source_slug=source)
    assert len(trend) == 12 * (years - 1) + 1
    return len(queries)


def test_the_trend_takes_the_same_queries_whatever_the_length_of_the_series(db):
    short = _series(years=2, groups=1)
    assert short <= 7
    assert _series(years=10, groups=6) == short
