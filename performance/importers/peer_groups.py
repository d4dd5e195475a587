"""Most similar groups as published (Home Office iQuanta, HMICFRS), one row per member.

The portal's own documented layout, since no official list is published as data::

    force,valid_from,source,position,similar_force
    Lancashire,2019-04-01,Home Office iQuanta 2019,1,Merseyside
    Lancashire,2019-04-01,Home Office iQuanta 2019,2,…

Forces are given by ONS code or any name the portal knows. Each (force, valid_from) is one
group; importing it again replaces that group's members.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ..lookups import ForceLookup
from ..models import PeerGroup, PeerGroupMember, Release
from .base import (
    ImportFile,
    ImportRejected,
    Problems,
    expand,
    figures_limit,
    files_sha256,
    import_turn,
    max_length,
    parse_count,
    read_csv,
    rows_iter,
    too_many_figures,
)
from .sources import data_source, release_create

COLUMNS = ("force", "valid_from", "source", "position", "similar_force")
SOURCE = "most-similar-groups"
SOURCE_LENGTH = max_length(PeerGroup, "source")

__all__ = [
    "COLUMNS",
    "ImportRejected",
    "PeerGroupPlan",
    "peer_groups_import",
    "peer_groups_plan",
    "peer_groups_read",
]


@dataclass
class _Group:
    force_id: int
    valid_from: dt.date
    source: str
    first_line: int
    members: dict[int, tuple[int, int]] = field(default_factory=dict)  # position → (force, line)


@dataclass
class PeerGroupPlan:
    groups: list[_Group]
    files: list[ImportFile]
    to_add: list[_Group]
    to_change: list[tuple[PeerGroup, _Group]]
    unchanged: int

    @property
    def has_changes(self) -> bool:
        return bool(self.to_add or self.to_change)

    @property
    def summary(self) -> dict:
        return {
            "groups": len(self.groups),
            "added": len(self.to_add),
            "changed": len(self.to_change),
            "unchanged": self.unchanged,
        }

    def describe(self) -> str:
        s = self.summary
        return (
            f"{s['groups']} most similar group(s): {s['added']} new, {s['changed']} replaced, "
            f"{s['unchanged']} unchanged."
        )


def peer_groups_read(files: Sequence[ImportFile]) -> list[_Group]:
    """The groups the files give; ImportRejected if any row is bad."""
    problems = Problems()
    forces = ForceLookup()
    groups: dict[tuple[int, dt.date], _Group] = {}
    for file in expand(files, problems):
        table = read_csv(file, problems)
        missing = [key for key in COLUMNS if key not in table.columns]
        if missing:
            problems.add(
                line=1,
                column="",
                file=file.name,
                value=",".join(table.header),
                reason="not a most similar group file: it needs the columns " + ", ".join(COLUMNS),
            )
            continue
        for row in rows_iter(table, COLUMNS, problems):
            force = forces.find(row["force"]) if row["force"] else None
            if force is None:
                row.problem("force", "unknown force" if row["force"] else "missing force")
            similar = forces.find(row["similar_force"]) if row["similar_force"] else None
            if similar is None:
                row.problem(
                    "similar_force", "unknown force" if row["similar_force"] else "missing force"
                )
            try:
                valid_from = dt.date.fromisoformat(row["valid_from"])
            except ValueError:
                row.problem("valid_from", "not a date written YYYY-MM-DD")
            try:
                position = parse_count(row["position"])
                if position < 1:
                    raise ValueError("positions start at 1")
            except ValueError as error:
                row.problem("position", str(error))
            if not row["source"]:
                row.problem("source", "say who published the group")
            else:
                row.fits("source", SOURCE_LENGTH)
            if not row.ok:
                continue
            if similar == force:
                row.problem("similar_force", "a force is not in its own most similar group")
                continue
            group = groups.setdefault(
                (force.pk, valid_from), _Group(force.pk, valid_from, row["source"], row.line)
            )
            if len(groups) > figures_limit():
                raise too_many_figures(problems, file=table.file, line=row.line)
            if row["source"] != group.source:
                row.problem("source", f"differs from line {group.first_line} for the same group")
            elif position in group.members:
                row.problem("position", f"already given on line {group.members[position][1]}")
            elif any(member == similar.pk for member, _ in group.members.values()):
                row.problem("similar_force", "listed twice in the same group")
            else:
                group.members[position] = (similar.pk, row.line)
    for group in groups.values():
        if sorted(group.members) != list(range(1, len(group.members) + 1)):
            problems.add(
                line=group.first_line,
                column="position",
                file="",
                reason="the positions of a group must run 1, 2, 3 … without gaps",
                value=",".join(str(position) for position in sorted(group.members)),
            )
    if not problems and not groups:
        problems.add(line=None, column="", reason="the file holds no groups")
    problems.raise_if_any()
    return list(groups.values())


def _member_ids(group: _Group) -> list[int]:
    return [group.members[position][0] for position in sorted(group.members)]


def peer_groups_plan(
    *, files: Sequence[ImportFile], groups: list[_Group] | None = None
) -> PeerGroupPlan:
    """Compare the files' groups (``groups``, when already read) with those held (reads only)."""
    if groups is None:
        groups = peer_groups_read(files)
    held = {
        (group.force_id, group.valid_from): group
        for group in PeerGroup.objects.filter(
            is_computed=False, force_id__in={group.force_id for group in groups}
        ).prefetch_related("members")
    }
    to_add, to_change, unchanged = [], [], 0
    for group in groups:
        current = held.get((group.force_id, group.valid_from))
        if current is None:
            to_add.append(group)
        elif current.source == group.source and [
            member.force_id for member in current.members.all()
        ] == _member_ids(group):
            unchanged += 1
        else:
            to_change.append((current, group))
    return PeerGroupPlan(groups, list(files), to_add, to_change, unchanged)


def peer_groups_apply(
    *, plan: PeerGroupPlan, user: AbstractBaseUser | None = None
) -> tuple[Release | None, str]:
    if not plan.has_changes:
        return None, plan.describe()
    return _peer_groups_write(plan, files_sha256(plan.files), user)


@transaction.atomic
def _peer_groups_write(
    plan: PeerGroupPlan, sha256: str, user: AbstractBaseUser | None
) -> tuple[Release, str]:
    release = release_create(
        source=data_source(SOURCE),
        label=", ".join(sorted({group.source for group in plan.groups})),
        files=plan.files,
        sha256=sha256,
        user=user,
        summary=plan.summary,
    )
    for current, group in plan.to_change:
        current.members.all().delete()
        current.source = group.source
        current.release = release
        current.save(update_fields=["source", "release"])
    created = [
        PeerGroup.objects.create(
            force_id=group.force_id,
            valid_from=group.valid_from,
            source=group.source,
            release=release,
        )
        for group in plan.to_add
    ]
    pairs = [(current, group) for current, group in plan.to_change] + list(
        zip(created, plan.to_add, strict=True)
    )
    PeerGroupMember.objects.bulk_create(
        PeerGroupMember(group=stored, force_id=force_id, position=position)
        for stored, group in pairs
        for position, force_id in enumerate(_member_ids(group), start=1)
    )
    return release, plan.describe()


def peer_groups_import(
    *, files: Sequence[ImportFile], user: AbstractBaseUser | None = None, dry_run: bool = False
) -> tuple[Release | None, str]:
    """Import most similar groups; a file with any bad row imports nothing (ImportRejected)."""
    groups = peer_groups_read(files)
    with import_turn():
        plan = peer_groups_plan(files=files, groups=groups)
        if dry_run:
            return None, plan.describe()
        return peer_groups_apply(plan=plan, user=user)
