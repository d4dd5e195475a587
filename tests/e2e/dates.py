"""Typing a date into the day / month / year boxes (scrutiny/dates.py) as a user does."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Locator, Page


def date_group(page: Page, name: str) -> Locator:
    """The fieldset of a date, by its legend ("Date", "Due by")."""
    return page.get_by_role("group", name=name)


def fill_date(page: Page, name: str, iso: str) -> None:
    day = dt.date.fromisoformat(iso)
    group = date_group(page, name)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def expect_date(page: Page, name: str, iso: str) -> None:
    from playwright.sync_api import expect

    day = dt.date.fromisoformat(iso)
    group = date_group(page, name)
    expect(group.get_by_label("Day")).to_have_value(str(day.day))
    expect(group.get_by_label("Month")).to_have_value(str(day.month))
    expect(group.get_by_label("Year")).to_have_value(str(day.year))
