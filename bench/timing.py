"""Timing and reporting for the benchmarks: medians of alternating runs, ratios and budgets."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


def median_time(
    function: Callable[[], object], runs: int, before: Callable[[], object] | None = None
) -> tuple[float, list[float]]:
    """The median time of ``runs`` calls of ``function`` (``before`` runs untimed first)."""
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def alternate(
    first: Callable[[], object],
    second: Callable[[], object],
    runs: int,
    before: Callable[[], object] | None = None,
) -> tuple[list[float], list[float]]:
    """Run ``first`` and ``second`` alternately ``runs`` times each; their times.

    Alternating spreads the noise of a shared machine over both sides.
    """
    a, b = alternate_many([first, second], runs, before=before)
    return a, b


def alternate_many(
    functions: Sequence[Callable[[], object]],
    runs: int,
    *,
    repeats: Sequence[int] | None = None,
    before: Callable[[], object] | None = None,
) -> list[list[float]]:
    """Run the functions in turn, ``runs`` rounds; for each, its time per call in each round.

    With ``repeats``, a function's turn times that many calls in a row and records their mean,
    for calls of a few milliseconds.
    """
    repeats = repeats or [1] * len(functions)
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(runs):
        for function, count, recorded in zip(functions, repeats, times, strict=True):
            if before:
                before()
            start = time.perf_counter()
            for _ in range(count):
                function()
            recorded.append((time.perf_counter() - start) / count)
    return times


@dataclass
class Figure:
    """One judged figure: a measure against its same-run baseline, with its budget.

    ``higher_is_better`` figures (throughput) meet their budget at or above it; the others
    (time ratios) at or below it.
    """

    section: str
    name: str
    value: float
    baseline: float
    budget: float
    unit: str = "ms"
    higher_is_better: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.value / self.baseline

    @property
    def met(self) -> bool:
        return self.ratio >= self.budget if self.higher_is_better else self.ratio <= self.budget

    @property
    def verdict(self) -> str:
        return "MET" if self.met else "NOT MET"

    @property
    def budget_text(self) -> str:
        if self.higher_is_better:
            return f"≥ {self.budget:.0%} of baseline"
        return f"≤ {self.budget:g}×"

    @property
    def ratio_text(self) -> str:
        return f"{self.ratio:.0%}" if self.higher_is_better else f"{self.ratio:.2f}×"


def ms(seconds: float) -> str:
    """A time in milliseconds, to a precision that suits its size."""
    value = seconds * 1000
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def print_figure(figure: Figure, *, label_width: int = 28) -> None:
    """``label  value  baseline  ratio  budget  verdict`` on one line, notes underneath."""
    if figure.unit == "ms":
        value, baseline = ms(figure.value), ms(figure.baseline)
    else:
        value = f"{figure.value:,.1f} {figure.unit}"
        baseline = f"{figure.baseline:,.1f} {figure.unit}"
    print(
        f"  {figure.name:<{label_width}} {value:>10}  baseline {baseline:>10}  "
        f"{figure.ratio_text:>7}  budget {figure.budget_text:<18} {figure.verdict}"
    )
    for note in figure.notes:
        print(f"  {'':<{label_width}} {note}")


def print_summary(figures: list) -> None:
    """Every judged figure again, as a table, with how many budgets are met."""
    print()
    print("Summary")
    labels = [f"{figure.section}: {figure.name}" for figure in figures]
    width = max(map(len, labels))
    ratio_width = max(len(figure.ratio_text) for figure in figures)
    budget_width = max(len(figure.budget_text) for figure in figures)
    for label, figure in zip(labels, figures, strict=True):
        print(
            f"  {label:<{width}}  {figure.ratio_text:>{ratio_width}}  budget "
            f"{figure.budget_text:<{budget_width}}  {figure.verdict}"
        )
    met = sum(figure.met for figure in figures)
    print(f"  {met} of {len(figures)} budgets met")
