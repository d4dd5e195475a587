"""The comparison of a force with its group and every force, and the periods data cover.

``comparison_build`` answers for every category at once in a fixed number of queries: one
aggregate over the two 12-month windows (this period and the one before) grouped by source,
category and force, plus small reference queries. Groups and named combinations are added up
from their subgroups in Python, so adding categories adds no queries.

Completeness: a source covers a force for a 12-month window when some category of that
source has figures for every month of it (quarters or months inside the window); within a
covered window a category with no figure had no crimes. A category exists for the window
when some force has figures for it in every month (so "Stalking and harassment", recorded
from April 2013, is incomplete for the 12 months ending September 2013). A category whose
figures do not cover the whole period is reported as incomplete, never computed from part.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, Sum

from scrutiny import cache as keys

from ..comparison import (
    Comparison,
    ComparisonRow,
    ComparisonRule,
    ForceFigure,
    ForceRef,
    RowStatus,
)
from ..definitions import Definitions, financial_year_label, financial_year_of, sentences
from ..models import Category, CrimeCount, DataSource, DataVersion, Force, OffenceCodeCount
from ..periods import Period, month_index
from ..significance import compare_with_benchmark, competition_ranks
from .reference import PopulationChoice, offence_definitions, peer_group_for, populations_for

PER = 1000
DERIVED_KINDS = (Category.Kind.GROUP, Category.Kind.COMBINATION)


def comparison_rule() -> ComparisonRule:
    """The rule the settings define, stored with every comparison."""
    return ComparisonRule(
        red_threshold=settings.PERFORMANCE_RED_THRESHOLD,
        red_direction=settings.PERFORMANCE_RED_DIRECTION,
        red_excluded_forces=tuple(settings.PERFORMANCE_RED_EXCLUDED_FORCES),
        group_includes_force=settings.PERFORMANCE_GROUP_INCLUDES_FORCE,
    )


# Categories ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CategoryInfo:
    id: int
    kind: str
    name: str
    slug: str
    parent_slug: str
    is_compared: bool
    base_ids: tuple[int, ...]  # the stored categories it adds up (itself, for a base one)
    is_comparable: bool = True
    comparability_note: str = ""


def _categories() -> list[_CategoryInfo]:
    """Every category in dashboard order with the base categories it adds up (two queries).

    A category is not comparable between forces when it is marked so, or when every part it
    adds up is (a combination of force-recorded fraud alone)."""
    rows = list(
        Category.objects.order_by("position", "name").values_list(
            "id",
            "kind",
            "name",
            "slug",
            "group_id",
            "is_compared",
            "is_comparable",
            "comparability_note",
        )
    )
    not_comparable = {
        row[0]: row[7] or "Not comparable between forces." for row in rows if not row[6]
    }
    slugs = {row[0]: row[3] for row in rows}
    parts: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row[1] == Category.Kind.SUBGROUP:
            parts[row[4]].append(row[0])
    for combination_id, component_id in Category.components.through.objects.values_list(
        "from_category_id", "to_category_id"
    ):
        parts[combination_id].append(component_id)
    infos = []
    for pk, kind, name, slug, group_id, is_compared, _, _ in rows:
        base_ids = tuple(parts[pk]) if kind in DERIVED_KINDS else (pk,)
        note = not_comparable.get(pk)
        if note is None and base_ids and all(part in not_comparable for part in base_ids):
            note = not_comparable[base_ids[0]]
        infos.append(
            _CategoryInfo(
                id=pk,
                kind=kind,
                name=name,
                slug=slug,
                parent_slug=slugs.get(group_id, "") if group_id else "",
                is_compared=is_compared,
                base_ids=base_ids,
                is_comparable=note is None,
                comparability_note=note or "",
            )
        )
    return infos


# Window totals -------------------------------------------------------------------------------


class _Window:
    """Totals of one 12-month window: per source, category and force, with months covered."""

    def __init__(self) -> None:
        # source → category → force → (count, months)
        self.data: dict[int, dict[int, dict[int, tuple[int, int]]]] = defaultdict(
            lambda: defaultdict(dict)
        )
        self._covered: dict[int, set[int]] | None = None
        self._existing: dict[int, set[int]] | None = None
        self._complete: dict[tuple[int, tuple[int, ...]], dict[int, int]] = {}

    def add(self, source: int, category: int, force: int, count: int, months: int) -> None:
        self.data[source][category][force] = (count, months)

    def _index(self) -> None:
        covered: dict[int, set[int]] = defaultdict(set)
        existing: dict[int, set[int]] = defaultdict(set)
        for source, categories in self.data.items():
            for category, forces in categories.items():
                for force, (_, months) in forces.items():
                    if months == Period.LENGTH:
                        covered[source].add(force)
                        existing[source].add(category)
        self._covered, self._existing = covered, existing

    def covered_forces(self, source: int) -> set[int]:
        """Forces the source has figures for over every month of the window."""
        if self._covered is None:
            self._index()
        return self._covered[source]

    def exists(self, source: int, base_ids: tuple[int, ...]) -> bool:
        """Whether the source recorded (some part of) the category over the whole window."""
        if self._existing is None:
            self._index()
        existing = self._existing[source]
        return any(category in existing for category in base_ids)

    def sources_with(self, base_ids: tuple[int, ...]) -> list[int]:
        return sorted(s for s, cats in self.data.items() if any(c in cats for c in base_ids))

    def totals(self, source: int, base_ids: tuple[int, ...]) -> dict[int, int]:
        """Per force, the sum of the category's figures in the window (for covered forces)."""
        categories = self.data.get(source, {})
        if len(base_ids) == 1:
            return {force: count for force, (count, _) in categories.get(base_ids[0], {}).items()}
        totals: dict[int, int] = defaultdict(int)
        for category in base_ids:
            for force, (count, _) in categories.get(category, {}).items():
                totals[force] += count
        return totals

    def complete_totals(self, source: int, base_ids: tuple[int, ...]) -> dict[int, int]:
        """Per covered force the category's total (0 where nothing was recorded)."""
        key = (source, base_ids)
        if key not in self._complete:
            if not self.exists(source, base_ids):
                self._complete[key] = {}
            else:
                totals = self.totals(source, base_ids)
                self._complete[key] = {
                    force: totals.get(force, 0) for force in self.covered_forces(source)
                }
        return self._complete[key]


def _windows(period: Period) -> tuple[_Window, _Window]:
    """Totals for ``period`` and the 12 months before it, in one aggregate query.

    A figure whose months straddle the two windows belongs to neither.
    """
    previous = period.previous()
    current_rows = Q(period_start__gte=period.start)
    previous_rows = Q(period_end__lte=previous.end)
    rows = (
        CrimeCount.objects.filter(period_start__gte=previous.start, period_end__lte=period.end)
        .values("source_id", "category_id", "force_id")
        .annotate(
            total=Sum("count", filter=current_rows),
            total_months=Sum("months", filter=current_rows),
            previous_total=Sum("count", filter=previous_rows),
            previous_months=Sum("months", filter=previous_rows),
        )
        .order_by()
        .values_list(
            "source_id",
            "category_id",
            "force_id",
            "total",
            "total_months",
            "previous_total",
            "previous_months",
        )
    )
    current, before = _Window(), _Window()
    for source, category, force, count, months, previous_count, previous_months in rows:
        if months is not None:
            current.add(source, category, force, count, months)
        if previous_months is not None:
            before.add(source, category, force, previous_count, previous_months)
    return current, before


# The comparison ------------------------------------------------------------------------------


def _rate(count: int | None, population: int | None) -> float | None:
    if count is None or not population:
        return None
    return count / population * PER


def _choose_source(window: _Window, base_ids: tuple[int, ...]) -> int | None:
    """The source with complete figures for the most forces (the earliest source on a tie)."""
    best, best_forces = None, -1
    for source in window.sources_with(base_ids):
        complete = len(window.complete_totals(source, base_ids))
        if complete > best_forces:
            best, best_forces = source, complete
    return best


# Like for like --------------------------------------------------------------------------------


@dataclass
class _CodeFigures:
    """The force's figures by offence code over the previous 12 months, per source."""

    counts: dict[int, list[tuple[int, str, int, int]]]  # source → (subgroup, code, month, count)
    months: dict[int, set[int]]  # source → the months they cover


def _code_figures(*, force: Force, period: Period, definitions: Definitions) -> _CodeFigures:
    """Read only when a definition changed within reach of the previous 12 months (one query)."""
    figures = _CodeFigures(counts=defaultdict(list), months=defaultdict(set))
    previous = period.previous()
    if not any(previous.start_index < c.month <= period.start_index for c in definitions.changes):
        return figures
    rows = (
        OffenceCodeCount.objects.filter(
            force=force, period_start__gte=previous.start, period_end__lte=previous.end
        )
        .order_by()
        .values_list("source_id", "subgroup_id", "code", "period_start", "period_end", "count")
    )
    for source, subgroup, code, start, end, count in rows:
        first = month_index(start)
        figures.counts[source].append((subgroup, code, first, count))
        figures.months[source].update(range(first, month_index(end) + 1))
    return figures


def _like_for_like(
    *,
    category: _CategoryInfo,
    source: int,
    force: Force,
    period: Period,
    before: _Window,
    previous: int | None,
    definitions: Definitions,
    code_figures: _CodeFigures,
) -> tuple[dict, int | None]:
    """Whether the row spans a change of definition, and the previous 12 months' count,
    recomputed on the current definition where the force's figures by offence code allow.

    Returns the row's like-for-like fields and the previous count to use.
    """
    first, last = period.start_index, period.end_index
    within = definitions.changes_within(category.base_ids, first, last)
    if within:
        return {
            "like_for_like": False,
            "definition_change": "The 12 months mix two definitions. " + sentences(within),
        }, previous
    spanned = definitions.changes_within(category.base_ids, first - Period.LENGTH, first)
    if not spanned:
        return {}, previous
    text = sentences(spanned)
    earlier = set(range(first - Period.LENGTH, max(change.month for change in spanned)))
    recorded = previous
    if recorded is None and force.pk in before.covered_forces(source):
        # The source covered the force but had the category for part of the window only (it
        # began with the change): what it recorded, before the codes that moved in are added.
        recorded = before.totals(source, category.base_ids).get(force.pk, 0)
    if recorded is not None and earlier <= code_figures.months.get(source, set()):
        recorded += definitions.adjustment(
            base_ids=category.base_ids,
            on_year=financial_year_of(last),
            counts=code_figures.counts[source],
        )
        since = financial_year_label(max(change.financial_year for change in spanned))
        return {
            "definition_change": text,
            "previous_basis": f"recomputed on the {since} definition",
        }, recorded
    if previous is None:
        return {}, None
    return {
        "like_for_like": False,
        "definition_change": "The change on the previous 12 months spans a change of "
        "definition. " + text,
    }, previous


def _row(
    *,
    category: _CategoryInfo,
    force: Force,
    period: Period,
    forces: list[tuple[int, str, str]],
    current: _Window,
    before: _Window,
    sources: dict[int, tuple[str, str]],
    population: PopulationChoice,
    group_ids: list[int],
    rule: ComparisonRule,
    definitions: Definitions,
    code_figures: _CodeFigures,
) -> ComparisonRow | None:
    source = _choose_source(current, category.base_ids)
    if source is None:
        return None  # no figures at all for this category in the period
    source_name, source_slug = sources[source]
    totals = current.complete_totals(source, category.base_ids)
    base = {
        "category_slug": category.slug,
        "category_name": category.name,
        "category_kind": category.kind,
        "parent_slug": category.parent_slug,
        "source": source_name,
        "source_slug": source_slug,
        "is_comparable": category.is_comparable,
        "comparability_note": category.comparability_note,
    }
    pops = population.by_force
    rates = {f: _rate(count, pops.get(f)) for f, count in totals.items() if pops.get(f)}
    highest_first = rule.red_direction == "higher"
    excluded = set(rule.red_excluded_forces)
    eligible = [pk for pk, code, _ in forces if code not in excluded]
    national = {pk: rates[pk] for pk in eligible if pk in rates}
    national_ranks: dict[int, int] = {}
    national_note, cutoff, red_from = "", None, None
    if not category.is_comparable:
        national_note = category.comparability_note  # shown, never ranked nor red
    elif eligible and len(national) == len(eligible):
        national_ranks = competition_ranks(national, highest_first=highest_first)
        cutoff = math.floor(rule.red_threshold * len(eligible) + 1e-9)
        inside = [national[pk] for pk, rank in national_ranks.items() if rank <= cutoff]
        if inside:
            red_from = min(inside) if highest_first else max(inside)
    else:
        national_note = (
            f"Figures for {len(national)} of {len(eligible)} forces: no national ranking."
        )
    in_group = set(group_ids)
    figures = tuple(
        ForceFigure(
            code=code,
            name=name,
            count=totals.get(pk),
            population=pops.get(pk),
            rate=rates.get(pk),
            national_rank=national_ranks.get(pk),
            is_red=cutoff is not None and national_ranks.get(pk, cutoff + 1) <= cutoff,
            in_group=pk in in_group,
            is_excluded=code in excluded,
        )
        for pk, code, name in forces
    )
    if force.pk not in totals:
        if not current.covered_forces(source):
            note = "The figures held do not cover the whole period (their periods do not fit it)."
        elif not current.exists(source, category.base_ids):
            note = "Not recorded as a category for the whole period."
        else:
            note = f"The figures for {force.name} do not cover the whole period."
        return ComparisonRow(
            **base,
            status=RowStatus.INCOMPLETE,
            status_note=note,
            forces=figures,
            national_note=national_note,
        )
    count, pop = totals[force.pk], pops.get(force.pk)
    rate = rates.get(force.pk)
    row = {
        **base,
        "status": RowStatus.COMPLETE,
        "status_note": "" if pop else "No population figure for the force.",
        "count": count,
        "population": pop,
        "rate": rate,
        "forces": figures,
        "national_note": national_note,
    }
    # The previous 12 months, from the same source, on the same definition where possible.
    previous = before.complete_totals(source, category.base_ids).get(force.pk)
    if definitions:
        like_for_like, previous = _like_for_like(
            category=category,
            source=source,
            force=force,
            period=period,
            before=before,
            previous=previous,
            definitions=definitions,
            code_figures=code_figures,
        )
        row.update(like_for_like)
    if previous is not None:
        row["previous_count"] = previous
        row["previous_rate"] = _rate(previous, pop)
        row["change"] = count - previous
        if previous > 0:
            row["change_percent"] = (count - previous) / previous * 100
    # The group.
    if group_ids:
        members = group_ids + ([force.pk] if rule.group_includes_force else [])
        missing = [pk for pk in members if pk not in rates]
        if missing:
            row["group_note"] = f"No complete figures for {len(missing)} of the group's forces."
        else:
            group_count = sum(totals[pk] for pk in members)
            group_population = sum(pops[pk] for pk in members)
            row["group_count"] = group_count
            row["group_population"] = group_population
            row["group_rate"] = group_count / group_population * PER
            if rate is not None and category.is_comparable:
                ranked = {pk: rates[pk] for pk in {*group_ids, force.pk}}
                row["rank_in_group"] = competition_ranks(ranked, highest_first=highest_first)[
                    force.pk
                ]
                row["group_size"] = len(ranked)
    # National rank and the red rule.
    if national_ranks and force.pk in national_ranks:
        row["national_rank"] = national_ranks[force.pk]
        row["national_size"] = len(national_ranks)
        row["red_cutoff_rank"] = cutoff
        row["red_from_rate"] = red_from
        row["is_red"] = national_ranks[force.pk] <= cutoff
    elif national_ranks:
        row["national_size"] = len(national_ranks)
        row["red_cutoff_rank"] = cutoff
        row["red_from_rate"] = red_from
        row["national_note"] = f"{force.name} is excluded from the national ranking."
    # Significance against the group's rate.
    comparable = category.is_comparable
    if comparable and rate is not None and row.get("group_rate") is not None and count >= 0:
        verdict, lower, upper = compare_with_benchmark(
            observed=count, population=pop, benchmark_rate=row["group_rate"], per=PER
        )
        row.update(significance=verdict, ci_lower=lower, ci_upper=upper)
    return ComparisonRow(**row)


def comparison_build(
    *,
    force: Force,
    period: Period,
    rule: ComparisonRule | None = None,
    category_slugs: Iterable[str] | None = None,
) -> Comparison:
    """``force`` against its group and all forces, for every compared category.

    A fixed number of queries whatever the number of categories or forces.
    """
    forces = list(Force.objects.order_by("name").values_list("id", "code", "name"))
    rule = rule or comparison_rule()
    if not rule.red_excluded_force_names:
        names = {code: name for _, code, name in forces}
        rule = replace(
            rule,
            red_excluded_force_names=tuple(
                names.get(code, code) for code in rule.red_excluded_forces
            ),
        )
    categories = _categories()
    wanted = set(category_slugs) if category_slugs is not None else None
    current, before = _windows(period)
    sources = {
        pk: (name, slug) for pk, name, slug in DataSource.objects.values_list("id", "name", "slug")
    }
    population = populations_for(year=period.end_year, force=force)
    group = peer_group_for(force=force, on=period.end)
    definitions = offence_definitions(
        years=range(financial_year_of(period.previous().start_index), period.end_year + 1)
    )
    code_figures = _code_figures(force=force, period=period, definitions=definitions)
    codes = {code: pk for pk, code, _ in forces}
    group_ids = [codes[member.code] for member in group.members] if group else []
    rows = []
    for category in categories:
        if wanted is not None:
            if category.slug not in wanted:
                continue
        elif not category.is_compared:
            continue
        row = _row(
            category=category,
            force=force,
            period=period,
            forces=forces,
            current=current,
            before=before,
            sources=sources,
            population=population,
            group_ids=group_ids,
            rule=rule,
            definitions=definitions,
            code_figures=code_figures,
        )
        if row is not None:
            rows.append(row)
    nearest = None
    if not any(row.is_complete for row in rows):
        nearest = nearest_complete_period(force=force, period=period)
    return Comparison(
        force=ForceRef(force.code, force.name),
        period=period,
        population_year=population.year,
        population_year_note=population.note,
        population_source=population.source,
        population_vintage=population.vintage,
        group=group,
        rule=rule,
        rows=tuple(rows),
        nearest_complete_period=nearest,
    )


# Complete periods ----------------------------------------------------------------------------


def complete_periods(*, force: Force) -> list[Period]:
    """Every 12-month period some source covers completely for ``force``, oldest first."""
    spans = (
        CrimeCount.objects.filter(force=force)
        .values_list("source_id", "period_start", "period_end")
        .distinct()
        .order_by()
    )
    by_source: dict[int, dict[int, int]] = defaultdict(dict)  # source → end month → start month
    for source, start, end in spans:
        by_source[source][month_index(end)] = month_index(start)
    ends: set[int] = set()
    for rows in by_source.values():
        for end in rows:
            month, covered = end, 0
            while covered < Period.LENGTH and month in rows:
                start = rows[month]
                covered += month - start + 1
                month = start - 1
            if covered == Period.LENGTH:
                ends.add(end)
    return [Period(end) for end in sorted(ends)]


def nearest_complete_period(*, force: Force, period: Period) -> Period | None:
    """The complete period closest to ``period`` (the earlier one on a tie), or None."""
    candidates = [p for p in complete_periods(force=force) if p != period]
    if not candidates:
        return None
    return min(candidates, key=lambda p: (abs(p.end_index - period.end_index), p.end_index))


def latest_complete_period(*, force: Force) -> Period | None:
    periods = complete_periods(force=force)
    return periods[-1] if periods else None


# Cached per data version ---------------------------------------------------------------------

# How long a computed comparison or trend stays cached (any change of the data makes it miss
# at once: the key carries the data version).
CACHE_SECONDS = 24 * 60 * 60


def data_version() -> int:
    """The number ``performance.services.data_version_bump`` raises on every change of the
    data: one query by primary key."""
    return DataVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0


def cached(name: str, *parts: object, version: int, compute):
    """``compute()``, cached under ``name``, the data ``version`` and ``parts`` (hashed, with
    the comparison rule of the settings, which every result depends on)."""
    digest = hashlib.sha256(repr((parts, comparison_rule())).encode()).hexdigest()[:32]
    key = keys.key("performance", name, version, digest)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=CACHE_SECONDS)
    return value


def latest_complete_period_cached(*, force: Force, version: int) -> Period | None:
    return (
        cached(
            "latest-period",
            force.pk,
            version=version,
            compute=lambda: latest_complete_period(force=force) or False,
        )
        or None
    )


def comparison_cached(
    *, force: Force, period: Period, version: int, category_slugs: Iterable[str] | None = None
) -> Comparison:
    """``comparison_build`` for the settings' rule, computed once per data version."""
    slugs = sorted(category_slugs) if category_slugs is not None else None
    return cached(
        "comparison",
        force.pk,
        period.key,
        slugs,
        version=version,
        compute=lambda: comparison_build(force=force, period=period, category_slugs=slugs),
    )
