"""Byar's interval for a Poisson count, significance against a group rate, and ranks."""

import pytest

from performance.significance import (
    Significance,
    byar_interval,
    compare_with_benchmark,
    competition_ranks,
)

# Exact 95% Poisson limits (from the chi-squared distribution), as tabulated by Public Health
# England's "Technical guide: confidence intervals" and standard statistical tables.
EXACT = {
    1: (0.0253, 5.5716),
    10: (4.7954, 18.3904),
    100: (81.3640, 121.6268),
}


@pytest.mark.parametrize("observed", sorted(EXACT))
def test_byar_interval_is_within_one_percent_of_the_exact_poisson_limits(observed):
    lower, upper = byar_interval(observed)
    exact_lower, exact_upper = EXACT[observed]
    assert upper == pytest.approx(exact_upper, rel=0.01)
    if observed >= 10:
        assert lower == pytest.approx(exact_lower, rel=0.01)


def test_byar_interval_of_zero_starts_at_zero():
    lower, upper = byar_interval(0)
    assert lower == 0
    assert upper == pytest.approx(3.689, rel=0.01)


def test_a_negative_count_has_no_poisson_interval():
    with pytest.raises(ValueError):
        byar_interval(-1)


def test_a_rate_well_above_the_group_is_significantly_higher():
    # 1,200 crimes in 100,000 people is 12 per 1,000; the group has 10.
    verdict, lower, _ = compare_with_benchmark(
        observed=1200, population=100_000, benchmark_rate=10.0
    )
    assert verdict == Significance.HIGHER
    assert lower > 10.0


def test_a_rate_well_below_the_group_is_significantly_lower():
    verdict, _, upper = compare_with_benchmark(
        observed=800, population=100_000, benchmark_rate=10.0
    )
    assert verdict == Significance.LOWER
    assert upper < 10.0


def test_a_small_difference_on_a_small_count_is_not_significant():
    # 12 crimes against 10 expected: well inside the interval.
    verdict, lower, upper = compare_with_benchmark(
        observed=12, population=1_000, benchmark_rate=10.0
    )
    assert verdict == Significance.NOT_SIGNIFICANT
    assert lower < 10.0 < upper


def test_equal_values_share_a_rank_and_the_next_rank_is_skipped():
    ranks = competition_ranks({"a": 5.0, "b": 7.0, "c": 7.0, "d": 1.0}, highest_first=True)
    assert ranks == {"b": 1, "c": 1, "a": 3, "d": 4}


def test_ranks_can_count_from_the_lowest():
    ranks = competition_ranks({"a": 5.0, "b": 7.0, "d": 1.0}, highest_first=False)
    assert ranks == {"d": 1, "a": 2, "b": 3}
