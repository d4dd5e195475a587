"""Importers for each kind of file, behind one read, plan, apply interface.

``import_read`` reads and checks the files, as streams, outside any transaction;
``import_plan`` works out what they would change (reads only); ``import_apply`` applies a
plan in one short transaction. The staff upload pages go through these three functions (the
management commands through each importer's own ``*_import``, which does the same).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from ..models import Force, PendingImport, Population, Release
from . import crime, peer_groups, population
from .base import ImportFile, ImportProblem, ImportRejected, option_problems

Kind = PendingImport.Kind

__all__ = [
    "ImportFile",
    "ImportOutcome",
    "ImportProblem",
    "ImportRejected",
    "PreviewLine",
    "import_apply",
    "import_plan",
    "import_read",
    "pending_import_file",
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


def pending_import_file(pending: PendingImport) -> ImportFile:
    """An upload waiting for confirmation, read back from its storage as a stream."""
    return ImportFile.from_storage(
        name=pending.file_name, stored_name=pending.file.name, storage=pending.file.storage
    )


@dataclass(frozen=True)
class ReadFiles:
    """What ``import_read`` found in the files, ready to be compared with the data held."""

    kind: str
    files: list[ImportFile]
    options: dict[str, Any]
    content: Any  # ParsedCrime, populations by (force, year), or most similar groups


def import_read(*, kind: str, files: Sequence[ImportFile], options: dict[str, Any]) -> ReadFiles:
    """Read and check ``files`` (no transaction); raises ImportRejected listing every problem."""
    files = list(files)
    if kind in crime.FORMATS:
        option_problems(
            release_label=(options.get("release_label") or "", crime.RELEASE_LABEL_LENGTH)
        )
        content = crime.crime_files_parse(
            format=kind, files=files, create_categories=bool(options.get("create_categories"))
        )
    elif kind == Kind.POPULATION:
        vintage = (options.get("vintage") or "").strip()
        if not vintage:
            raise ImportRejected(
                [ImportProblem(None, "", "say which edition of the estimates this is (vintage)")]
            )
        option_problems(vintage=(vintage, population.VINTAGE_LENGTH))
        content = population.population_read(files)
    elif kind == Kind.PEER_GROUPS:
        content = peer_groups.peer_groups_read(files)
    else:
        raise ValueError(f"unknown kind of import {kind!r}")
    return ReadFiles(kind=kind, files=files, options=options, content=content)


def import_plan(*, read: ReadFiles) -> Any:
    """What the files read would change, against the data as they are now (reads only)."""
    if read.kind in crime.FORMATS:
        return crime.crime_counts_plan(parsed=read.content)
    if read.kind == Kind.POPULATION:
        vintage = read.options["vintage"].strip()
        return population.population_plan(files=read.files, vintage=vintage, figures=read.content)
    return peer_groups.peer_groups_plan(files=read.files, groups=read.content)


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
