"""Months, financial quarters and 12-month periods, as plain arithmetic on dates.

A month is handled as an index (``year * 12 + month - 1``) so that adding and comparing
months is integer arithmetic. Financial years run April to March: 2012/13 Q1 is April to
June 2012 and Q4 is January to March 2013.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTH_NAMES = list(calendar.month_name)


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def month_start(index: int) -> dt.date:
    year, month0 = divmod(index, 12)
    return dt.date(year, month0 + 1, 1)


def month_end(index: int) -> dt.date:
    year, month0 = divmod(index, 12)
    return dt.date(year, month0 + 1, calendar.monthrange(year, month0 + 1)[1])


def month_label(index: int) -> str:
    year, month0 = divmod(index, 12)
    return f"{MONTH_NAMES[month0 + 1]} {year}"


def months_spanned(start: dt.date, end: dt.date) -> int:
    return month_index(end) - month_index(start) + 1


_FINANCIAL_YEAR = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$")


def parse_financial_year(text: str) -> int:
    """The calendar year a financial year starts in: "2012/13" → 2012.

    Raises ValueError for anything else, including a second year that does not follow.
    """
    match = _FINANCIAL_YEAR.match(text)
    if not match:
        raise ValueError("not a financial year like 2012/13")
    first, second = int(match.group(1)), int(match.group(2))
    if second % 100 != (first + 1) % 100 or (second >= 100 and second != first + 1):
        raise ValueError("the second year must follow the first, like 2012/13")
    return first


def financial_quarter_months(start_year: int, quarter: int) -> tuple[int, int]:
    """First and last month index of quarter 1–4 of the financial year starting in April."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("the quarter must be 1, 2, 3 or 4")
    first = start_year * 12 + 3 + (quarter - 1) * 3  # April is month index 3 of its year
    return first, first + 2


@dataclass(frozen=True, order=True)
class Period:
    """The 12 months ending with the month ``end_index`` (a month index).

    "12 months ending October 2013" runs November 2012 to October 2013.
    """

    end_index: int

    LENGTH = 12

    @classmethod
    def ending(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ValueError("the month must be 1 to 12")
        return cls(year * 12 + month - 1)

    @classmethod
    def parse(cls, text: str) -> Period:
        """A period from its end month written ``YYYY-MM``, e.g. ``2013-09``."""
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
        if not match:
            raise ValueError(f"{text!r} is not a month written YYYY-MM, e.g. 2013-09")
        return cls.ending(int(match.group(1)), int(match.group(2)))

    @property
    def start_index(self) -> int:
        return self.end_index - self.LENGTH + 1

    @property
    def start(self) -> dt.date:
        return month_start(self.start_index)

    @property
    def end(self) -> dt.date:
        return month_end(self.end_index)

    @property
    def end_year(self) -> int:
        return self.end_index // 12

    @property
    def end_month(self) -> int:
        return self.end_index % 12 + 1

    @property
    def key(self) -> str:
        return f"{self.end_year:04d}-{self.end_month:02d}"

    @property
    def label(self) -> str:
        return f"12 months ending {month_label(self.end_index)}"

    @property
    def short_label(self) -> str:
        return f"{MONTH_NAMES[self.end_month][:3]} {self.end_year}"

    def previous(self) -> Period:
        """The 12 months before this period."""
        return Period(self.end_index - self.LENGTH)

    def shifted(self, months: int) -> Period:
        return Period(self.end_index + months)

    def __str__(self) -> str:
        return self.label
