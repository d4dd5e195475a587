"""Importers for each kind of file, behind one plan-then-apply interface.

``import_plan`` reads and checks the files and works out what would change (no writes);
``import_apply`` applies a plan in one transaction. The management commands and the staff
upload page both go through these two functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from ..models import Force, PendingImport, Population, Release
from . import crime, peer_groups, population
from .base import ImportFile, ImportProblem, ImportRejected

Kind = PendingImport.Kind

__all__ = [
    "ImportFile",
    "ImportOutcome",
    "ImportProblem",
    "ImportRejected",
    "PreviewLine",
    "import_apply",
    "import_plan",
    "preview_lines",
]


@dataclass(frozen=True)
class ImportOutcome:
    release: Release | None
    description: str

    @property
    def changed_anything(self) -> bool:
        return self.release is not None


@dataclass(frozen=True)
class PreviewLine:
    what: str
    old: str
    new: str


def import_plan(*, kind: str, files: Sequence[ImportFile], options: dict[str, Any]) -> Any:
    """Read and check ``files``; raises ImportRejected listing every problem."""
    if kind in crime.FORMATS:
        parsed = crime.crime_files_parse(
            format=kind, files=files, create_categories=bool(options.get("create_categories"))
        )
        return crime.crime_counts_plan(parsed=parsed)
    if kind == Kind.POPULATION:
        vintage = (options.get("vintage") or "").strip()
        if not vintage:
            raise ImportRejected(
                [ImportProblem(None, "", "say which edition of the estimates this is (vintage)")]
            )
        return population.population_plan(files=files, vintage=vintage)
    if kind == Kind.PEER_GROUPS:
        return peer_groups.peer_groups_plan(files=files)
    raise ValueError(f"unknown kind of import {kind!r}")


def import_apply(
    *, kind: str, plan: Any, options: dict[str, Any], user: AbstractBaseUser | None = None
) -> ImportOutcome:
    if kind in crime.FORMATS:
        result = crime.crime_counts_apply(
            plan=plan, release_label=options.get("release_label", ""), user=user
        )
        return ImportOutcome(result.release, result.description)
    if kind == Kind.POPULATION:
        return ImportOutcome(*population.population_apply(plan=plan, user=user))
    if kind == Kind.PEER_GROUPS:
        return ImportOutcome(*peer_groups.peer_groups_apply(plan=plan, user=user))
    raise ValueError(f"unknown kind of import {kind!r}")


def _number(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def preview_lines(*, kind: str, plan: Any, limit: int = 50) -> list[PreviewLine]:
    """Examples of what a plan changes, revisions first, for the preview page."""
    if kind in crime.FORMATS:
        return [
            PreviewLine(
                f"{change.force}, {change.category}, {change.period}",
                _number(change.old),
                _number(change.new),
            )
            for change in plan.examples(limit)
        ]
    if kind == Kind.POPULATION:
        names = dict(Force.objects.values_list("id", "name"))
        held = {
            row_id: (force_id, year)
            for row_id, force_id, year in Population.objects.filter(
                pk__in=[row_id for row_id, _, _ in plan.to_change[:limit]]
            ).values_list("id", "force_id", "year")
        }
        lines = [
            PreviewLine(
                f"{names[held[row_id][0]]}, mid-{held[row_id][1]}", _number(old), _number(new)
            )
            for row_id, old, new in plan.to_change[:limit]
        ]
        lines += [
            PreviewLine(f"{names[force_id]}, mid-{year}", "", _number(plan.figures[force_id, year]))
            for force_id, year in plan.to_add[: max(0, limit - len(lines))]
        ]
        return lines
    if kind == Kind.PEER_GROUPS:
        names = dict(Force.objects.values_list("id", "name"))

        def members(group) -> str:
            return ", ".join(names[pk] for pk in peer_groups._member_ids(group))

        lines = [
            PreviewLine(
                f"{names[group.force_id]} from {group.valid_from:%-d %B %Y}",
                ", ".join(m.force.name for m in current.members.select_related("force")),
                members(group),
            )
            for current, group in plan.to_change[:limit]
        ]
        lines += [
            PreviewLine(
                f"{names[group.force_id]} from {group.valid_from:%-d %B %Y}", "", members(group)
            )
            for group in plan.to_add[: max(0, limit - len(lines))]
        ]
        return lines
    raise ValueError(f"unknown kind of import {kind!r}")
