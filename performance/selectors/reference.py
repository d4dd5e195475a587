"""Reading the reference data a comparison stands on: forces, most similar groups, populations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import Count

from ..comparison import ForceRef, PeerGroupInfo
from ..definitions import Definitions
from ..lookups import ForceLookup
from ..models import Force, OffenceDefinition, PeerGroup, PeerGroupMember, Population


def force_find(name: str) -> Force | None:
    """A force by ONS code, name, police.uk id or alias ("Lancashire", "E23000003")."""
    return ForceLookup().find(name)


def home_force() -> Force | None:
    return Force.objects.filter(code=settings.HOME_FORCE_CODE).first()


# Most similar groups -------------------------------------------------------------------------


def peer_groups_of(*, force: Force) -> list[PeerGroupInfo]:
    """Every group entered or computed for ``force`` with its members, in one query (a group
    without members, which nothing can be compared with, is left out)."""
    groups: dict[int, tuple[PeerGroup, list[ForceRef]]] = {}
    rows = (
        PeerGroupMember.objects.filter(group__force=force)
        .select_related("group", "force")
        .order_by("group_id", "position")
    )
    for member in rows:
        groups.setdefault(member.group_id, (member.group, []))[1].append(
            ForceRef(member.force.code, member.force.name)
        )
    return [
        PeerGroupInfo(
            members=tuple(members),
            source=group.source,
            valid_from=group.valid_from,
            is_computed=group.is_computed,
            method=group.method,
        )
        for group, members in groups.values()
    ]


def peer_group_for(*, force: Force, on) -> PeerGroupInfo | None:
    """The group that applies to ``force`` on date ``on``.

    An official group valid on that date beats a computed one; failing both, the earliest
    group is used and flagged as applied before its valid-from date. One query.
    """
    return peer_group_choose(peer_groups_of(force=force), on=on)


def peer_group_choose(groups: list[PeerGroupInfo], *, on) -> PeerGroupInfo | None:
    """Of one force's ``groups``, the one that applies on ``on`` (no query)."""
    if not groups:
        return None
    chosen, early = None, False
    for computed in (False, True):
        valid = [g for g in groups if g.is_computed == computed and g.valid_from <= on]
        if valid:
            chosen = max(valid, key=lambda g: g.valid_from)
            break
    if chosen is None:
        chosen = min(groups, key=lambda g: (g.is_computed, g.valid_from))
        early = True
    return replace(chosen, applies_before_valid_from=early)


# Offence definitions -------------------------------------------------------------------------


def offence_definitions(*, years: Iterable[int] | None = None) -> Definitions:
    """The definitions of the codes that were ever counted under more than one subgroup (the
    only ones that can have moved), for ``years`` or every year. One query."""
    moved = (
        OffenceDefinition.objects.order_by()
        .values("code")
        .annotate(subgroups=Count("subgroup", distinct=True))
        .filter(subgroups__gt=1)
        .values("code")
    )
    rows = OffenceDefinition.objects.filter(code__in=moved)
    if years is not None:
        rows = rows.filter(financial_year__in=list(years))
    return Definitions(
        rows.order_by().values_list(
            "financial_year", "subgroup_id", "subgroup__name", "code", "description"
        )
    )


# Populations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationChoice:
    year: int | None
    note: str
    by_force: dict[int, int]  # force id → population
    source: str
    vintage: str


def population_year(years: Iterable[int], wanted: int) -> tuple[int | None, str]:
    years = sorted(set(years))
    if not years:
        return None, "no population figures are held"
    if wanted in years:
        return wanted, f"mid-{wanted}, the year in which the period ends"
    earlier = [year for year in years if year < wanted]
    if earlier:
        return earlier[-1], f"mid-{earlier[-1]}, the latest available (none yet for {wanted})"
    return years[0], f"mid-{years[0]}, the earliest available (none for {wanted})"


def populations_for(*, year: int, force: Force | None = None) -> PopulationChoice:
    """Every force's population for ``year`` by the population rule (one query)."""
    rows = list(
        Population.objects.values_list(
            "force_id", "year", "population", "source__name", "vintage"
        ).order_by()
    )
    years = [row[1] for row in rows if force is None or row[0] == force.pk] or [
        row[1] for row in rows
    ]
    chosen, note = population_year(years, year)
    by_force = {row[0]: row[2] for row in rows if row[1] == chosen}
    sample = next((row for row in rows if row[1] == chosen), None)
    return PopulationChoice(
        year=chosen,
        note=note,
        by_force=by_force,
        source=sample[3] if sample else "",
        vintage=sample[4] if sample else "",
    )


def releases_for(*, force: Force, period) -> list[dict[str, str]]:
    """The data releases that gave ``force``'s figures for ``period`` and the 12 months before
    it, by source: what a note cites as its data (one query)."""
    from ..models import CrimeCount

    previous = period.previous()
    rows = (
        CrimeCount.objects.filter(
            force=force, period_start__gte=previous.start, period_end__lte=period.end
        )
        .values_list("source__name", "release__label")
        .distinct()
        .order_by("source__name", "release__label")
    )
    return [{"source": source, "release": label} for source, label in rows]
