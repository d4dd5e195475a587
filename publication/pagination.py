"""Pages of search results that never count more matches than a reader could want counted.

A word that is in nearly every note matches nearly every note: counting every match for the
heading and the page numbers costs a scan of all of them, and grows with the record. Here the
count stops at ``cap`` (one ``COUNT`` over a ``LIMIT``); past it, the heading says "more than",
pages are numbered without a total and each page reads one row beyond its own to know whether
another follows. Every result stays reachable, in the same order.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property


class CappedPage(Page):
    def has_next(self) -> bool:
        if not self.paginator.capped:
            return super().has_next()
        return self._more

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class CappedPaginator(Paginator):
    """A ``Paginator`` whose ``count`` stops at ``cap + 1``; ``capped`` says it did."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int | None:
        """``None`` when the matches were not all counted."""
        return None if self.capped else super().num_pages

    def validate_number(self, number) -> int:
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number) -> Page:
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        page = CappedPage(rows[: self.per_page], number, self)
        page._more = len(rows) > self.per_page
        return page

    def get_page(self, number) -> Page:
        try:
            return self.page(self.validate_number(number))
        except (PageNotAnInteger, EmptyPage, InvalidPage):
            return self.page(1) if self.capped else super().get_page(number)

    def _get_page(self, *args, **kwargs) -> Page:
        return CappedPage(*args, **kwargs)
