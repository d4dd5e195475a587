"""Confidence intervals for counts of crimes, and ranks.

A year's count of crimes is treated as a Poisson count. Byar's approximation to the exact
Poisson interval (Breslow and Day, 1987) is accurate to well under 1% from a count of about
10, needs no statistics library, and is what public health and police analysts use for
rates compared with a benchmark.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TypeVar

Z_95 = 1.959963984540054  # the standard normal quantile for a two-sided 95% interval

Key = TypeVar("Key")


def byar_interval(observed: int, *, z: float = Z_95) -> tuple[float, float]:
    """The lower and upper limits of the 95% interval for a Poisson count ``observed``."""
    if observed < 0:
        raise ValueError("a Poisson count cannot be negative")
    if observed == 0:
        lower = 0.0
    else:
        lower = observed * (1 - 1 / (9 * observed) - z / (3 * math.sqrt(observed))) ** 3
    following = observed + 1
    upper = following * (1 - 1 / (9 * following) + z / (3 * math.sqrt(following))) ** 3
    return lower, upper


class Significance:
    HIGHER = "higher"
    LOWER = "lower"
    NOT_SIGNIFICANT = "not_significant"

    LABELS = {
        HIGHER: "Significantly higher",
        LOWER: "Significantly lower",
        NOT_SIGNIFICANT: "Not significantly different",
    }


def compare_with_benchmark(
    *, observed: int, population: int, benchmark_rate: float, per: int = 1000
) -> tuple[str, float, float]:
    """Is the rate ``observed / population * per`` different from ``benchmark_rate``?

    Significant when the benchmark lies outside the rate's 95% interval. Returns the verdict
    and the interval's limits as rates.
    """
    lower, upper = byar_interval(observed)
    lower_rate, upper_rate = lower / population * per, upper / population * per
    if benchmark_rate < lower_rate:
        verdict = Significance.HIGHER
    elif benchmark_rate > upper_rate:
        verdict = Significance.LOWER
    else:
        verdict = Significance.NOT_SIGNIFICANT
    return verdict, lower_rate, upper_rate


def competition_ranks(values: Mapping[Key, float], *, highest_first: bool) -> dict[Key, int]:
    """Rank 1 for the first, equal values share a rank and the next rank is skipped (1, 2, 2, 4)."""
    ordered = sorted(values.items(), key=lambda item: item[1], reverse=highest_first)
    ranks: dict[Key, int] = {}
    previous = None
    for position, (key, value) in enumerate(ordered, start=1):
        if previous is None or value != previous[1]:
            previous = (position, value)
        ranks[key] = previous[0]
    return ranks
