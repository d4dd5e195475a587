"""Finding forces, categories and offence codes by the names sources use for them.

Each lookup is built with one or two queries and then answers from memory, so an importer
can resolve tens of thousands of rows without a query per row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from .models import Category, CategoryAlias, Force, ForceAlias, OffenceCode


def normalise_name(name: str) -> str:
    """Compare names the way a reader would: case, spacing and "&" versus "and" ignored."""
    name = name.replace("&", " and ").casefold()
    return " ".join(name.split())


_FLOAT_ARTEFACT = re.compile(r"^\d+\.\d{6,}$")


def normalise_offence_code(code: str) -> str:
    """An offence code as the Home Office writes it.

    Spreadsheet conversions turned codes such as 37.2 into ``37.200000000000003``; those are
    read back as the short code. Genuine codes such as ``4.10`` are kept as written.
    """
    code = code.strip()
    if _FLOAT_ARTEFACT.match(code):
        try:
            return format(Decimal(code).quantize(Decimal("0.01")).normalize(), "f")
        except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
            return code
    return code


class AmbiguousName(LookupError):
    pass


class ForceLookup:
    """Forces by ONS code, ONS name, police.uk id or any recorded alias."""

    def __init__(self) -> None:
        self._by_key: dict[str, Force] = {}
        forces = list(Force.objects.all())
        for force in forces:
            for key in (force.code, force.name, force.police_uk_id):
                if key:
                    self._by_key[normalise_name(key)] = force
        by_id = {force.pk: force for force in forces}
        for force_id, name in ForceAlias.objects.values_list("force_id", "name"):
            self._by_key.setdefault(normalise_name(name), by_id[force_id])
        self.forces = forces
        self._memo: dict[str, Force | None] = {}

    def find(self, name: str) -> Force | None:
        if name not in self._memo:
            self._memo[name] = self._by_key.get(normalise_name(name))
        return self._memo[name]


class CategoryLookup:
    """Categories by name, alias or slug, within the kinds a source may use."""

    def __init__(self) -> None:
        self._by_kind: dict[str, dict[str, list[Category]]] = defaultdict(lambda: defaultdict(list))
        self.by_slug: dict[str, Category] = {}
        categories = list(Category.objects.all())
        by_id = {category.pk: category for category in categories}
        for category in categories:
            self._by_kind[category.kind][normalise_name(category.name)].append(category)
            self.by_slug[category.slug] = category
        for category_id, name in CategoryAlias.objects.values_list("category_id", "name"):
            category = by_id[category_id]
            entries = self._by_kind[category.kind][normalise_name(name)]
            if category not in entries:
                entries.append(category)
        self.categories = categories
        self._memo: dict[tuple[str, tuple[str, ...]], Category | None] = {}

    def find(self, name: str, *, kinds: tuple[str, ...]) -> Category | None:
        """The category of the first of ``kinds`` that knows ``name``.

        Raises AmbiguousName when two categories of that kind answer to the name.
        """
        memo_key = (name, kinds)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._find(name, kinds)
        return self._memo[memo_key]

    def _find(self, name: str, kinds: tuple[str, ...]) -> Category | None:
        key = normalise_name(name)
        for kind in kinds:
            found = self._by_kind[kind].get(key, [])
            if len(found) > 1:
                raise AmbiguousName(
                    f"{name!r} names more than one {Category.Kind(kind).label.lower()}: "
                    + ", ".join(category.name for category in found)
                )
            if found:
                return found[0]
        return None


class OffenceCodeLookup:
    """The known Home Office offence codes."""

    def __init__(self) -> None:
        self._codes = {
            normalise_offence_code(code)
            for code in OffenceCode.objects.values_list("code", flat=True)
        }

    def __contains__(self, code: str) -> bool:
        return code in self._codes or normalise_offence_code(code) in self._codes
