"""The trend of one category for a force: every complete 12-month period of the series."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum

from ..comparison import ComparisonRule, PeerGroupInfo
from ..definitions import Definitions, sentences
from ..models import Category, CrimeCount, Force, Population
from ..periods import Period, month_index
from ..significance import competition_ranks
from .comparison import PER, comparison_rule
from .reference import offence_definitions, peer_group_choose, peer_groups_of, population_year


@dataclass(frozen=True)
class TrendPeriod:
    """One 12-month period of a category's trend for a force."""

    period: Period
    count: int | None
    rate: float | None
    group_rate: float | None
    national_rate: float | None
    national_rank: int | None
    national_size: int | None
    is_red: bool
    population_year: int | None
    group: PeerGroupInfo | None = None  # the group valid at the period's end
    # False when the 12 months mix two definitions of the category, or are counted on an
    # earlier definition than the series' latest period; ``definition_change`` says which.
    like_for_like: bool = True
    definition_change: str = ""


def _definition_note(
    definitions: Definitions, base_ids: list[int], period: Period, latest: Period
) -> str:
    """Why the period does not compare like for like with ``latest`` ("" when it does)."""
    within = definitions.changes_within(base_ids, period.start_index, period.end_index)
    if within:
        return "The 12 months mix two definitions. " + sentences(within)
    later = definitions.changes_within(base_ids, period.end_index, latest.end_index)
    if later:
        return "Counted on the definition before this change. " + sentences(later)
    return ""


def _window_total(spans: dict[int, tuple[int, int]], end: int) -> int | None:
    """The total of the 12 months ending ``end`` from spans keyed by their end month."""
    month, covered, total = end, 0, 0
    while covered < Period.LENGTH:
        span = spans.get(month)
        if span is None:
            return None
        start, count = span
        covered += month - start + 1
        total += count
        month = start - 1
    return total if covered == Period.LENGTH else None


def category_trend(
    *,
    force: Force,
    category: Category,
    source_slug: str,
    rule: ComparisonRule | None = None,
) -> list[TrendPeriod]:
    """Every complete 12-month period of one category for ``force``, with its group's and the
    national rate and the red rule at each. A fixed number of queries (seven at most)
    whatever the length of the series.

    Each period is compared with the group valid at its end, chosen as ``comparison_build``
    chooses it (an official group beats a computed one), so a period's group rate is the
    one its own comparison gives, whichever period the page is viewed from. Periods that
    do not compare like for like with the latest (a change of offence definition) say so.

    Within the series a force counts as covered in a period when the category (or one of its
    parts) has a figure for it; the shipped Home Office tables give a figure, zero included,
    for every force and period.
    """
    rule = rule or comparison_rule()
    if category.kind == Category.Kind.GROUP:
        base_ids = list(Category.objects.filter(group=category).values_list("id", flat=True))
    elif category.kind == Category.Kind.COMBINATION:
        base_ids = list(category.components.values_list("id", flat=True))
    else:
        base_ids = [category.pk]
    spans: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    rows = (
        CrimeCount.objects.filter(source__slug=source_slug, category_id__in=base_ids)
        .values("force_id", "period_start", "period_end")
        .annotate(total=Sum("count"))
        .order_by()
        .values_list("force_id", "period_start", "period_end", "total")
    )
    for force_id, start, end, total in rows:
        spans[force_id][month_index(end)] = (month_index(start), total)
    populations: dict[int, dict[int, int]] = defaultdict(dict)  # year → force → population
    for force_id, year, population in Population.objects.values_list(
        "force_id", "year", "population"
    ):
        populations[year][force_id] = population
    forces = list(Force.objects.values_list("id", "code"))
    codes = {code: pk for pk, code in forces}
    excluded = set(rule.red_excluded_forces)
    eligible = [pk for pk, code in forces if code not in excluded]
    groups = peer_groups_of(force=force)
    definitions = offence_definitions()
    comparable = category.is_comparable
    highest_first = rule.red_direction == "higher"
    ends = [
        end
        for end in sorted(spans.get(force.pk, {}))
        if _window_total(spans[force.pk], end) is not None
    ]
    latest = Period(ends[-1]) if ends else None
    chosen: dict[PeerGroupInfo | None, list[int]] = {}  # group → its members' ids
    trend = []
    for end in ends:
        count = _window_total(spans[force.pk], end)
        period = Period(end)
        group = peer_group_choose(groups, on=period.end)
        if group not in chosen:
            members = [codes[m.code] for m in group.members if m.code in codes] if group else []
            if group and rule.group_includes_force:
                members.append(force.pk)
            chosen[group] = members
        members = chosen[group]
        year, _ = population_year(populations, period.end_year)
        pops = populations.get(year, {})
        totals = {pk: _window_total(spans.get(pk, {}), end) for pk, _ in forces}
        rates = {
            pk: total / pops[pk] * PER
            for pk, total in totals.items()
            if total is not None and pops.get(pk)
        }
        national = {pk: rates[pk] for pk in eligible if pk in rates}
        rank = size = national_rate = None
        is_red = False
        if eligible and len(national) == len(eligible):
            national_rate = sum(totals[pk] for pk in eligible) / sum(pops[pk] for pk in eligible)
            national_rate *= PER
            if comparable:  # figures forces do not record alike are never ranked nor red
                ranks = competition_ranks(national, highest_first=highest_first)
                cutoff = math.floor(rule.red_threshold * len(eligible) + 1e-9)
                rank, size = ranks.get(force.pk), len(eligible)
                is_red = rank is not None and rank <= cutoff
        note = _definition_note(definitions, base_ids, period, latest) if definitions else ""
        group_rate = None
        if members and all(pk in rates for pk in members):
            group_rate = sum(totals[pk] for pk in members) / sum(pops[pk] for pk in members) * PER
        trend.append(
            TrendPeriod(
                period=period,
                count=count,
                rate=rates.get(force.pk),
                group_rate=group_rate,
                national_rate=national_rate,
                national_rank=rank,
                national_size=size,
                is_red=is_red,
                population_year=year,
                group=group,
                like_for_like=not note,
                definition_change=note,
            )
        )
    return trend


def trend_notes(
    trend: list[TrendPeriod],
) -> tuple[list[tuple[TrendPeriod, int | None]], list[str]]:
    """Each period with the number of its like-for-like note, and the distinct notes."""
    notes: dict[str, int] = {}
    rows = []
    for point in trend:
        number = None
        if point.definition_change:
            number = notes.setdefault(point.definition_change, len(notes) + 1)
        rows.append((point, number))
    return rows, list(notes)
