"""A category page: the force against its group and all forces, a chart, a trend."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.periods import Period
from tests.factories import national_dataset, wipe_performance_data

from .raw import LANCASHIRE, text_of

SEPTEMBER_2013 = {"force": LANCASHIRE, "month": 9, "year": 2013}


def url(slug: str = "violence-with-injury") -> str:
    return reverse("performance:category-detail", args=[slug])


def test_the_category_page_has_a_stable_public_path():
    assert url() == "/performance/categories/violence-with-injury/"


def test_anonymous_people_are_sent_to_sign_in(client, db):
    assert client.get(url()).status_code == 302


def test_a_user_without_the_permission_is_refused(nobody_client):
    assert nobody_client.get(url()).status_code == 403


def test_an_unknown_category_is_not_found(lancashire, viewer_client):
    assert viewer_client.get(url("no-such-category")).status_code == 404


def test_the_page_has_a_chart_with_a_text_alternative_and_its_figures_in_a_table(
    lancashire, viewer_client
):
    response = viewer_client.get(url(), SEPTEMBER_2013)
    html = response.content.decode()
    page = text_of(response)
    # Shown as an image (its own styles need no CSP exception) with the chart in words as alt.
    assert '<img class="img-fluid" src="data:image/svg+xml;base64,' in html
    assert f'alt="{response.context["chart_alt"]}"' in html.replace("&#x27;", "'")
    assert "Rates per 1,000 population" in response.context["chart_alt"]
    assert "Rates per 1,000, 12 months ending September 2013: Lancashire and its group" in page
    row = response.context["row"]
    for figure in response.context["shown_forces"]:
        assert f"{figure.rate:,.2f}" in page
    assert f"Group rate {row.group_rate:,.2f}" in page
    assert "▲ Worst 10%" in page


def test_the_trend_covers_every_complete_period_with_its_figures(lancashire, viewer_client):
    response = viewer_client.get(url(), SEPTEMBER_2013)
    trend = response.context["trend"]
    # Quarterly from April 2012 to June 2023: 12-month periods end March 2013 … June 2023.
    assert trend[0].period == Period.parse("2013-03")
    assert trend[-1].period == Period.parse("2023-06")
    assert len(trend) == 42
    assert response.context["trend_alt"]
    assert response.context["trend_chart"].startswith(
        '<svg role="img" aria-labelledby="trend-violence-with-injury-title'
    )
    assert "Rate per 1,000 for each 12 months" in text_of(response)


def test_the_trend_agrees_with_the_comparison_for_the_chosen_period(lancashire, viewer_client):
    response = viewer_client.get(url(), SEPTEMBER_2013)
    row = response.context["row"]
    point = next(p for p in response.context["trend"] if p.period == Period.parse("2013-09"))
    assert (point.rate, point.group_rate, point.is_red) == (
        pytest.approx(row.rate),
        pytest.approx(row.group_rate),
        row.is_red,
    )
    assert point.national_rank == row.national_rank


def test_an_incomplete_period_is_explained(lancashire, viewer_client):
    response = viewer_client.get(url(), {"force": LANCASHIRE, "month": 10, "year": 2013})
    page = text_of(response)
    assert "Incomplete" in page
    assert "nearest complete period is the 12 months ending September 2013" in page


def _page_queries(client, *, forces: int, subgroups: int) -> int:
    wipe_performance_data()
    created = national_dataset(forces=forces, subgroups=subgroups, period=Period.parse("2020-12"))
    client.get(reverse("public:note-list"))  # the session read once, then from the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            url("all-parts"), {"force": created[0].code, "month": 12, "year": 2020}
        )
    assert response.status_code == 200
    assert response.context["row"].is_complete
    return len(queries)


def test_the_category_page_queries_do_not_grow_with_the_data(viewer_client):
    small = _page_queries(viewer_client, forces=5, subgroups=2)
    # 20 before the trend took each period's own group and the offence definitions (two
    # queries, whatever the length of the series), 23 with the navigation's counts of what waits.
    assert small <= 23
    assert _page_queries(viewer_client, forces=43, subgroups=25) == small


def test_a_category_named_like_mathematics_is_shown_as_written(lancashire, viewer_client):
    from performance.models import Category

    Category.objects.filter(slug="violence-with-injury").update(name=r"Knife $\frac{1}{$ crime")
    response = viewer_client.get(url(), SEPTEMBER_2013)
    assert response.status_code == 200
    assert r"Knife $\frac{1}{$ crime" in text_of(response)
