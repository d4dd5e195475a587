"""Reference data from the files the app ships: forces, offence classification, categories.

Loading adds what is missing and never overwrites: a force or category an administrator has
edited keeps its edits when the loader runs again.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q
from django.utils.text import slugify

from ..lookups import normalise_name, normalise_offence_code
from ..models import Category, CategoryAlias, Force, ForceAlias, OffenceCode

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

FORCES_FILE = "police_force_areas.csv"
CLASSIFICATION_FILE = "prc_offence_classification_2023release.csv"
POLICE_UK_TYPES_FILE = "police_uk_crime_types.csv"
NAMED_CATEGORIES_FILE = "named_categories.csv"
CATEGORY_ALIASES_FILE = "category_aliases.csv"

# Dashboard order: named combinations, then each group followed by its subgroups, then
# police.uk types; force-defined categories are placed after them when created.
COMBINATION_POSITIONS = 100
GROUP_POSITIONS = 1000
POLICE_UK_POSITIONS = 9000


def _rows(name: str, data_dir: Path = DATA_DIR) -> list[dict[str, str]]:
    text = (data_dir / name).read_text(encoding="utf-8-sig")
    return [
        {key.strip(): (value or "").strip() for key, value in row.items()}
        for row in csv.DictReader(io.StringIO(text))
    ]


@dataclass
class Loaded:
    what: str
    created: int
    present: int

    def __str__(self) -> str:
        return f"{self.what}: {self.created} added, {self.present} already present"


def forces_load(data_dir: Path = DATA_DIR) -> Loaded:
    """The 43 forces, with the names the Home Office and police.uk use for them."""
    existing = {force.code: force for force in Force.objects.all()}
    aliases = {normalise_name(name) for name in ForceAlias.objects.values_list("name", flat=True)}
    created = 0
    new_aliases = []
    for row in _rows(FORCES_FILE, data_dir):
        force = existing.get(row["pfa_code"])
        if force is None:
            force = Force.objects.create(
                code=row["pfa_code"],
                name=row["pfa_name"],
                country=row["country"],
                police_uk_id=row["police_uk_force_id"],
            )
            created += 1
        for name, used_by in (
            (row["prc_force_name"], "Home Office police recorded crime tables"),
            (row["police_uk_force_label_2012"], "police.uk"),
        ):
            key = normalise_name(name)
            if name and key != normalise_name(force.name) and key not in aliases:
                aliases.add(key)
                new_aliases.append(ForceAlias(force=force, name=name, used_by=used_by))
    ForceAlias.objects.bulk_create(new_aliases)
    return Loaded("Forces", created, len(existing))


class _Categories:
    """Categories found by (kind, name or alias), created on first mention."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], Category] = {}
        self.by_slug: dict[str, Category] = {}
        self.slugs: set[str] = set()
        self.created = 0
        self.present = 0
        for category in Category.objects.all():
            self.by_key[category.kind, normalise_name(category.name)] = category
            self.by_slug[category.slug] = category
            self.slugs.add(category.slug)
        for alias in CategoryAlias.objects.select_related("category"):
            self.by_key.setdefault(
                (alias.category.kind, normalise_name(alias.name)), alias.category
            )
        self.counted: set[int] = set()
        self.new: set[int] = set()

    @staticmethod
    def base_slug(name: str, suffix: str = "") -> str:
        return slugify(f"{name} {suffix}".strip())[:150]

    def slug(self, name: str, suffix: str = "") -> str:
        base = self.base_slug(name, suffix)
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug

    def get(self, kind: str, name: str) -> Category | None:
        return self.by_key.get((kind, normalise_name(name)))

    def ensure(self, kind: str, name: str, *, slug_suffix: str = "", **fields) -> Category:
        """The category, found by name, alias or the slug it was created with (an
        administrator may have renamed it), or created."""
        category = self.get(kind, name)
        if category is None:
            by_slug = self.by_slug.get(self.base_slug(name, slug_suffix))
            if by_slug is not None and by_slug.kind == kind:
                category = by_slug
        if category is None:
            category = Category.objects.create(
                kind=kind, name=name, slug=self.slug(name, slug_suffix), **fields
            )
            self.by_key[kind, normalise_name(name)] = category
            self.by_slug[category.slug] = category
            self.created += 1
            self.counted.add(category.pk)
            self.new.add(category.pk)
        elif category.pk not in self.counted:
            self.counted.add(category.pk)
            self.present += 1
        return category


def classification_load(data_dir: Path = DATA_DIR) -> tuple[Loaded, Loaded]:
    """Offence groups, subgroups and codes from the Home Office classification."""
    categories = _Categories()
    group_order: dict[str, int] = {}
    subgroup_order: dict[str, list[str]] = defaultdict(list)
    rows = _rows(CLASSIFICATION_FILE, data_dir)
    for row in rows:
        group_order.setdefault(normalise_name(row["offence_group"]), len(group_order))
        subgroups = subgroup_order[normalise_name(row["offence_group"])]
        if normalise_name(row["offence_subgroup"]) not in subgroups:
            subgroups.append(normalise_name(row["offence_subgroup"]))
    codes_present = {
        (normalise_offence_code(code), subgroup_id, normalise_name(description))
        for code, subgroup_id, description in OffenceCode.objects.values_list(
            "code", "subgroup_id", "description"
        )
    }
    new_codes = []
    codes_seen = len(codes_present)
    for row in rows:
        group_key = normalise_name(row["offence_group"])
        group_position = GROUP_POSITIONS + group_order[group_key] * 50
        group = categories.ensure(
            Category.Kind.GROUP, row["offence_group"], slug_suffix="group", position=group_position
        )
        subgroup = categories.ensure(
            Category.Kind.SUBGROUP,
            row["offence_subgroup"],
            group=group,
            position=group_position
            + 1
            + subgroup_order[group_key].index(normalise_name(row["offence_subgroup"])),
        )
        code = normalise_offence_code(row["offence_code"])
        key = (code, subgroup.pk, normalise_name(row["offence_description"]))
        if key not in codes_present:
            codes_present.add(key)
            new_codes.append(
                OffenceCode(code=code, subgroup=subgroup, description=row["offence_description"])
            )
    OffenceCode.objects.bulk_create(new_codes)
    _mark_nationally_recorded(rows, categories)
    # A group with a single subgroup of the same name ("Robbery" is not one) would show the same
    # figures twice on the dashboard: leave the new subgroup out of comparisons.
    created_subgroups = [
        category
        for category in categories.by_key.values()
        if category.kind == Category.Kind.SUBGROUP and category.pk in categories.new
    ]
    for subgroup in created_subgroups:
        group_key = normalise_name(subgroup.group.name)
        if normalise_name(subgroup.name) == group_key and len(subgroup_order[group_key]) == 1:
            Category.objects.filter(pk=subgroup.pk).update(is_compared=False)
    return (
        Loaded("Offence groups and subgroups", categories.created, categories.present),
        Loaded("Offence codes", len(new_codes), codes_seen),
    )


# "Fraud offences recorded by Action Fraud": the classification's own words for offences that
# a national body, not the forces, records.
_RECORDED_BY = re.compile(r"\brecorded by (?P<body>.+?)\s*$", re.IGNORECASE)
# "Fraud offences to 2012/13": a subgroup forces recorded up to a financial year.
_RECORDED_UNTIL = re.compile(r"\bto (?P<year>\d{4})/\d{2}\s*$")


def _mark_nationally_recorded(rows: list[dict[str, str]], categories: _Categories) -> None:
    """Offence groups some of whose codes a national body records (fraud: Action Fraud, CIFAS,
    UK Finance) are not comparable between forces: the group and its subgroups are marked so,
    with a note. A category that already has a note (set here before, or by an administrator)
    is left alone."""
    bodies: dict[str, list[str]] = defaultdict(list)  # group key → recording bodies
    until: dict[str, int] = {}
    for row in rows:
        group_key = normalise_name(row["offence_group"])
        match = _RECORDED_BY.search(row["offence_description"])
        if match and match.group("body") not in bodies[group_key]:
            bodies[group_key].append(match.group("body"))
        ended = _RECORDED_UNTIL.search(row["offence_subgroup"])
        if ended:
            until[group_key] = max(until.get(group_key, 0), int(ended.group("year")))
    for group_key, names in bodies.items():
        if not names:
            continue
        group = categories.get(Category.Kind.GROUP, group_key)
        if group is None:
            continue
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        since = (
            f" since {until[group_key] + 1}/{(until[group_key] + 2) % 100:02d}"
            if group_key in until
            else ""
        )
        note = (
            f"Not comparable between forces: {who} {'has' if len(names) == 1 else 'have'} "
            f"recorded {group.name.lower()} nationally{since}; earlier force figures are not "
            "comparable."
        )
        Category.objects.filter(Q(pk=group.pk) | Q(group=group), comparability_note="").update(
            is_comparable=False, comparability_note=note[:300]
        )


def named_categories_load(data_dir: Path = DATA_DIR) -> Loaded:
    """Named combinations; a group listed as a component stands for all its subgroups."""
    categories = _Categories()
    definitions: dict[str, dict] = {}
    for row in _rows(NAMED_CATEGORIES_FILE, data_dir):
        definition = definitions.setdefault(row["category"], {"description": "", "parts": []})
        definition["description"] = definition["description"] or row["description"]
        definition["parts"].append((row["component_kind"], row["component"]))
    subgroups_of: dict[int, list[Category]] = defaultdict(list)
    for subgroup in Category.objects.filter(kind=Category.Kind.SUBGROUP):
        subgroups_of[subgroup.group_id].append(subgroup)
    for position, (name, definition) in enumerate(definitions.items()):
        created_before = categories.created
        combination = categories.ensure(
            Category.Kind.COMBINATION,
            name,
            description=definition["description"],
            position=COMBINATION_POSITIONS + position * 10,
        )
        if categories.created == created_before:
            continue  # already there: an administrator may have edited its components
        components: list[Category] = []
        for kind, part in definition["parts"]:
            category = categories.get(kind, part)
            if category is None:
                raise ValueError(f"{NAMED_CATEGORIES_FILE}: {name}: unknown {kind} {part!r}")
            components += subgroups_of[category.pk] if kind == Category.Kind.GROUP else [category]
        combination.components.set(components)
    return Loaded("Named combinations", categories.created, categories.present)


def category_aliases_load(data_dir: Path = DATA_DIR) -> Loaded:
    categories = _Categories()
    existing = set(CategoryAlias.objects.values_list("category_id", "name"))
    created = []
    for row in _rows(CATEGORY_ALIASES_FILE, data_dir):
        category = categories.get(row["kind"], row["category"])
        if category is None:
            raise ValueError(f"{CATEGORY_ALIASES_FILE}: unknown {row['kind']} {row['category']!r}")
        if (category.pk, row["alias"]) not in existing:
            created.append(
                CategoryAlias(category=category, name=row["alias"], used_by=row["used_by"])
            )
    CategoryAlias.objects.bulk_create(created)
    return Loaded("Category aliases", len(created), len(existing))


def police_uk_types_load(data_dir: Path = DATA_DIR) -> Loaded:
    categories = _Categories()
    for position, row in enumerate(_rows(POLICE_UK_TYPES_FILE, data_dir)):
        categories.ensure(
            Category.Kind.POLICE_UK,
            row["crime_type"],
            slug_suffix="police-uk",
            police_uk_slug=row["api_category_slug"],
            position=POLICE_UK_POSITIONS + position,
        )
    return Loaded("police.uk crime types", categories.created, categories.present)
