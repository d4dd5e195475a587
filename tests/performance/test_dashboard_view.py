"""The performance dashboard: who may see it, what it shows, what it costs."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.periods import Period
from tests.factories import national_dataset, wipe_performance_data

from .raw import LANCASHIRE, text_of

URL = reverse("performance:dashboard")
SEPTEMBER_2013 = {"force": LANCASHIRE, "month": 9, "year": 2013}


def test_the_dashboard_has_a_stable_public_path():
    assert URL == "/performance/"


def test_anonymous_people_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_the_permission_is_refused(nobody_client):
    assert nobody_client.get(URL).status_code == 403


def test_a_user_with_the_permission_sees_the_latest_complete_period(lancashire, viewer_client):
    page = text_of(viewer_client.get(URL))
    assert "Performance: Lancashire" in page
    assert "12 months ending June 2023" in page


def test_each_category_shows_rate_group_ranks_change_and_red_in_words(lancashire, viewer_client):
    response = viewer_client.get(URL, SEPTEMBER_2013)
    page = text_of(response)
    row = response.context["comparison"].row("violence-with-injury")
    assert row.is_red
    # The category (with the number of its footnote), then its figures, as in every table.
    assert re.search(
        rf"Violence with injury (\d )?{row.count:,} {row.rate:,.2f} {row.group_rate:,.2f} ", page
    )
    assert "▲ Worst 10%" in page
    assert f"{row.national_rank} of {row.national_size}" in page
    assert "Computed peer group: " in page
    assert "the 7 forces nearest by crime profile" in page
    assert "most similar group" not in page.casefold()  # the official words: imported only
    assert "does not include Lancashire" in page
    assert "Mid-2013, the year in which the period ends" in page


def test_october_2013_says_the_nearest_complete_period_is_september(lancashire, viewer_client):
    response = viewer_client.get(URL, {"force": LANCASHIRE, "month": 10, "year": 2013})
    page = text_of(response)
    assert "do not cover all of the 12 months ending October 2013" in page
    assert "The nearest complete period is the 12 months ending September 2013" in page
    assert "month=9&amp;year=2013" in response.content.decode()


def test_a_bad_choice_is_shown_as_an_error_not_a_crash(lancashire, viewer_client):
    response = viewer_client.get(URL, {"force": "nowhere", "month": 13, "year": 2013})
    assert response.status_code == 200
    assert "There is a problem" in text_of(response)


def test_the_comparison_downloads_as_csv(lancashire, viewer_client):
    response = viewer_client.get(reverse("performance:comparison-csv"), SEPTEMBER_2013)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="comparison-E23000003-2013-09.csv"' in response["Content-Disposition"]
    assert "Violence with injury" in response.content.decode()


def test_the_csv_download_needs_the_permission(nobody_client):
    assert nobody_client.get(reverse("performance:comparison-csv")).status_code == 403


def _page_queries(client, *, forces: int, subgroups: int) -> int:
    wipe_performance_data()
    created = national_dataset(forces=forces, subgroups=subgroups, period=Period.parse("2020-12"))
    client.get(reverse("public:note-list"))  # the session read once, then from the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"force": created[0].code, "month": 12, "year": 2020})
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_queries_are_few_and_do_not_grow_with_the_data(viewer_client):
    small = _page_queries(viewer_client, forces=5, subgroups=2)
    assert small <= 16
    assert _page_queries(viewer_client, forces=43, subgroups=25) == small
