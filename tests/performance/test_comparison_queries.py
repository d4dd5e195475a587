"""The comparison costs a fixed number of queries, whatever the number of categories or forces."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from performance.periods import Period
from performance.selectors.comparison import comparison_build

from .factories import national_dataset, wipe_performance_data

PERIOD = Period.parse("2020-12")
MAX_QUERIES = 9


def _queries(*, forces: int, subgroups: int) -> tuple[int, int]:
    created = national_dataset(forces=forces, subgroups=subgroups, period=PERIOD)
    with CaptureQueriesContext(connection) as queries:
        comparison = comparison_build(force=created[0], period=PERIOD)
    assert all(row.is_complete for row in comparison.rows)
    return len(queries), len(comparison.rows)


def test_a_comparison_of_a_few_categories_takes_a_handful_of_queries(db):
    count, rows = _queries(forces=5, subgroups=2)
    assert rows == 4  # the group, its two parts and the combination
    assert count <= MAX_QUERIES


def test_ten_times_the_categories_and_forces_take_no_more_queries(db):
    small, _ = _queries(forces=5, subgroups=2)
    wipe_performance_data()
    large, rows = _queries(forces=43, subgroups=25)
    assert rows == 27
    assert large == small
