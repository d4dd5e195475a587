"""Which offence codes each subgroup held in each financial year, and what follows from it.

The Home Office moves offence codes between subgroups: harassment (8L, 8M) was counted under
"Violence without injury" in 2012/13 and under "Stalking and harassment" from 2013/14. A
figure whose 12 months, or whose change on the previous 12 months, straddle such a move
compares two definitions. This module works that out from plain rows (no queries), so that
the comparison and the trend answer it in the queries they already make.

A *move* is a code held in both of two consecutive financial years under different
subgroups. Codes that only appear (a new offence) or only disappear (a retired code) are not
moves: nothing was taken from one subgroup and given to another.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .periods import MONTH_NAMES

APRIL = 3  # month index of April within its year (January is 0)
_OUTCOMES_ONLY = re.compile(r"\s*\(outcomes? only\)\s*", re.IGNORECASE)


def financial_year_label(year: int) -> str:
    """2013 → "2013/14"."""
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_of(month: int) -> int:
    """The financial year (by its first calendar year) a month index falls in."""
    year, month0 = divmod(month, 12)
    return year if month0 >= APRIL else year - 1


def first_month(financial_year: int) -> int:
    """The month index of April of ``financial_year``."""
    return financial_year * 12 + APRIL


def _plain_description(text: str) -> str:
    return _OUTCOMES_ONLY.sub(" ", text).strip()


@dataclass(frozen=True)
class DefinitionChange:
    """Codes that moved from one subgroup to another at the start of a financial year."""

    financial_year: int  # the first year on the new definition
    codes: tuple[tuple[str, str], ...]  # (code, description), in code order
    from_subgroups: tuple[str, ...]  # names
    to_subgroups: tuple[str, ...]
    from_ids: frozenset[int]
    to_ids: frozenset[int]

    @property
    def month(self) -> int:
        """The first month counted on the new definition."""
        return first_month(self.financial_year)

    @property
    def sentence(self) -> str:
        """E.g. "Harassment (8L) and Racially or religiously aggravated harassment (8M) moved
        from Violence without injury to Stalking and harassment from April 2013." """
        items = [
            f"{description} ({code})" if description else code for code, description in self.codes
        ]
        what = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
        return (
            f"{what} moved from {' and '.join(self.from_subgroups)} to "
            f"{' and '.join(self.to_subgroups)} from {MONTH_NAMES[APRIL + 1]} "
            f"{self.financial_year}."
        )

    def affects(self, base_ids: Iterable[int]) -> bool:
        """Whether a category adding up ``base_ids`` counted these codes before and not after,
        or after and not before (a move inside a group leaves the group's total alone)."""
        base = set(base_ids)
        return bool(self.from_ids & base) != bool(self.to_ids & base)


class Definitions:
    """The codes of each subgroup by financial year, from (year, subgroup id, code,
    description) rows, with the moves between consecutive years."""

    def __init__(self, rows: Iterable[tuple[int, int, str, str, str]] = ()) -> None:
        """``rows``: (financial year, subgroup id, subgroup name, code, description)."""
        # year → code → subgroup ids
        self.held: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        descriptions: dict[str, str] = {}
        names: dict[int, str] = {}
        for year, subgroup_id, name, code, description in rows:
            names[subgroup_id] = name
            self.held[year][code].add(subgroup_id)
            plain = _plain_description(description)
            if plain and (code not in descriptions or len(plain) < len(descriptions[code])):
                descriptions[code] = plain
        self.descriptions = descriptions
        self.changes = self._moves(names)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def _moves(self, names: Mapping[int, str]) -> tuple[DefinitionChange, ...]:
        moves: dict[tuple[int, frozenset[int], frozenset[int]], list[str]] = defaultdict(list)
        years = sorted(self.held)
        for before, after in itertools.pairwise(years):
            if after != before + 1:
                continue  # a year missing: nothing can be said about what moved when
            old, new = self.held[before], self.held[after]
            for code in sorted(set(old) & set(new)):
                left, joined = frozenset(old[code] - new[code]), frozenset(new[code] - old[code])
                if left and joined:
                    moves[after, left, joined].append(code)
        return tuple(
            DefinitionChange(
                financial_year=year,
                codes=tuple((code, self.descriptions.get(code, "")) for code in codes),
                from_subgroups=tuple(sorted(names.get(pk, str(pk)) for pk in left)),
                to_subgroups=tuple(sorted(names.get(pk, str(pk)) for pk in joined)),
                from_ids=left,
                to_ids=joined,
            )
            for (year, left, joined), codes in sorted(
                moves.items(), key=lambda item: (item[0][0], sorted(item[1]))
            )
        )

    def changes_within(
        self, base_ids: Iterable[int], first: int, last: int
    ) -> list[DefinitionChange]:
        """The moves affecting the category whose new definition starts after month ``first``
        and by month ``last``: months ``first`` … ``last`` then mix two definitions."""
        base = tuple(base_ids)
        return [c for c in self.changes if first < c.month <= last and c.affects(base)]

    def moved_codes(self, changes: Iterable[DefinitionChange]) -> set[str]:
        return {code for change in changes for code, _ in change.codes}

    def holds(self, financial_year: int, code: str, base_ids: Iterable[int]) -> bool | None:
        """Whether the category counted ``code`` in that year (None: the code was not held)."""
        subgroups = self.held.get(financial_year, {}).get(code)
        if not subgroups:
            return None
        return bool(subgroups & set(base_ids))

    def adjustment(
        self,
        *,
        base_ids: Iterable[int],
        on_year: int,
        counts: Iterable[tuple[int, str, int, int]],
    ) -> int:
        """What to add to figures counted as recorded to count them on ``on_year``'s definition.

        ``counts``: (subgroup id, code, month of the figure, count) code-level figures. Only
        codes held in both years count: a code that moved in is added, one that moved out is
        taken away.
        """
        base = set(base_ids)
        total = 0
        for subgroup_id, code, month, count in counts:
            year = financial_year_of(month)
            if year == on_year:
                continue
            then = self.holds(year, code, base)
            now = self.holds(on_year, code, base)
            if then is None or now is None or then == now:
                continue
            if subgroup_id in base and not now:
                total -= count  # counted under the category then, elsewhere now
            elif subgroup_id not in base and now:
                total += count  # counted elsewhere then, under the category now
        return total


def sentences(changes: Iterable[DefinitionChange]) -> str:
    return " ".join(dict.fromkeys(change.sentence for change in changes))
