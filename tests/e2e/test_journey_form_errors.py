"""Journey 6, first half: a form sent with mistakes loses nothing and says what is wrong."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from meetings.demo import REFERENCE_TITLE, REFERENCE_VENUE

from .dates import expect_date, fill_date

NO_BODY = "Choose the body the meeting belongs to, or name a new one."

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_new_meeting_with_mistakes_keeps_what_was_typed_and_focuses_the_error_summary(
    page: Page, axe, sign_in, staff
):
    sign_in(staff)
    page.get_by_role("link", name="New meeting").click()
    expect(page.get_by_role("heading", name="New meeting", level=1)).to_be_visible()
    axe(state="empty form")

    # No body, and an end before the start.
    fill_date(page, "Date", "2013-12-23")
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("End time").fill("13:30")
    page.get_by_label("Venue").fill(REFERENCE_VENUE)
    page.get_by_role("radio", name="Numbers: 1., 2., 3. …").check()
    page.get_by_role("button", name="Create meeting").click()

    summary = page.get_by_role("alert", name="There is a problem")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: New meeting"))
    expect(summary.get_by_role("link")).to_have_text(
        [
            NO_BODY,
            "The meeting must end after it starts.",
        ]
    )
    # Nothing typed is lost.
    expect(page.get_by_label("Or a new body")).to_have_value("")
    expect_date(page, "Date", "2013-12-23")
    expect(page.get_by_label("Start time")).to_have_value("14:00")
    expect(page.get_by_label("End time")).to_have_value("13:30")
    expect(page.get_by_label("Venue")).to_have_value(REFERENCE_VENUE)
    expect(page.get_by_role("radio", name="Numbers: 1., 2., 3. …")).to_be_checked()
    # Each field says what is wrong with it, and is marked invalid.
    expect(page.get_by_label("Body", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Body", exact=True)).to_have_accessible_description(
        f"Its numbering, action log and print style apply to the meeting. {NO_BODY}"
    )
    expect(page.get_by_label("End time")).to_have_accessible_description(
        "The meeting must end after it starts."
    )
    axe(state="form showing errors")

    # The summary's links take the user to the field to correct.
    summary.get_by_role("link", name=NO_BODY).click()
    expect(page.get_by_label("Body", exact=True)).to_be_focused()
    page.get_by_label("Or a new body").fill(REFERENCE_TITLE)
    summary.get_by_role("link", name="The meeting must end after it starts.").click()
    expect(page.get_by_label("End time")).to_be_focused()
    page.get_by_label("End time").fill("16:00")
    page.get_by_role("button", name="Create meeting").click()

    expect(page.get_by_role("heading", name="Attendance", level=1)).to_be_visible()
    expect(page).not_to_have_title(re.compile("Error"))
    expect(page.get_by_role("status")).to_contain_text(
        f"{REFERENCE_TITLE}, 23 December 2013 created."
    )
    axe(state="meeting created")
    page.get_by_role("navigation", name="This meeting").get_by_role("link", name="Details").click()
    expect(page.get_by_role("heading", name="Meeting details", level=1)).to_be_visible()
    expect(page.get_by_label("Venue")).to_have_value(REFERENCE_VENUE)
    expect(page.get_by_label("End time")).to_have_value("16:00")
    expect(page.get_by_role("radio", name="Numbers: 1., 2., 3. …")).to_be_checked()
    axe(state="details of the new meeting")
