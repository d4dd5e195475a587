"""The comparison costs a fixed number of queries, whatever the number of categories or forces."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from performance.models import Category, OffenceCodeCount, OffenceDefinition, Release
from performance.periods import Period, month_end, month_start
from performance.selectors.comparison import comparison_build
from tests.factories import national_dataset, wipe_performance_data

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


def _queries_across_a_move(*, forces: int, subgroups: int) -> int:
    """As ``_queries``, with offence code X moved from part 0 to part 1 in April 2019 (inside
    the previous 12 months) and the first force's figures by offence code."""
    created = national_dataset(forces=forces, subgroups=subgroups, period=PERIOD)
    parts = list(Category.objects.filter(slug__in=["part-0", "part-1"]).order_by("slug"))
    OffenceDefinition.objects.bulk_create(
        OffenceDefinition(financial_year=year, subgroup=part, code="X", description="Moved")
        for year, part in ((2018, parts[0]), (2019, parts[1]), (2020, parts[1]))
    )
    release = Release.objects.get()
    OffenceCodeCount.objects.bulk_create(
        OffenceCodeCount(
            force=created[0],
            subgroup=parts[0] if month < 2019 * 12 + 3 else parts[1],
            code="X",
            source=release.source,
            release=release,
            period_start=month_start(month),
            period_end=month_end(month),
            count=2,
        )
        for month in range(PERIOD.previous().start_index, PERIOD.start_index)
    )
    with CaptureQueriesContext(connection) as queries:
        comparison = comparison_build(force=created[0], period=PERIOD)
    assert comparison.row("part-0").previous_basis  # recomputed: the figures were read
    return len(queries)


def test_a_period_across_a_change_of_definition_takes_one_more_query_whatever_the_size(db):
    small = _queries_across_a_move(forces=5, subgroups=2)
    assert small <= MAX_QUERIES
    wipe_performance_data()
    assert _queries_across_a_move(forces=43, subgroups=25) == small
