"""Journey 3: the note goes through sign-off, with one return, and is published.

Staff submit the reference meeting; the Chief Executive returns it with a comment; staff read
the comment, put it right and resubmit; the Chief Executive signs; staff publish. Staff and the
Chief Executive each use their own browser. After the users and the reference meeting are set
up, everything is done through what the pages show.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from meetings.demo import ITEMS, REFERENCE_TITLE, load_reference_meeting

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ITEM = ITEMS[1]  # b) Frontline Policing, listed without a note
RETURN_COMMENT = (
    f"Item b) {ITEM} is listed but has no note. Please add the Chief Constable's update on "
    "response times before I sign."
)
FIX = (
    "The Chief Constable updated the Commissioner on response times, which had improved "
    "across all divisions."
)
SIGNATORY_NAME = "Miranda Carruthers-Watt"
SIGNATORY_TITLE = "Chief Executive"
# "Wednesday, 25 November 2026, 6.49 pm": a step of the sign-off history, as the page dates it.
WHEN = r"\w+day, \d{1,2} \w+ \d{4}, \d{1,2}\.\d{2} [ap]m"


@pytest.fixture
def reference_meeting(db):
    meeting, _ = load_reference_meeting()
    return meeting


def _sign_off(page: Page):
    return page.get_by_role("region", name="Sign-off")


def _expect_status(page: Page, status: str) -> None:
    expect(_sign_off(page).get_by_text(re.compile(r"^Status:"))).to_have_text(f"Status: {status}.")


def _submit(page: Page, axe, state: str) -> None:
    """Through the check before submitting: the task list, the points to confirm, submit."""
    _sign_off(page).get_by_role("link", name="Submit for signature").click()
    expect(
        page.get_by_role("heading", name="Submit the note for signature", level=1)
    ).to_be_visible()
    expect(page.get_by_role("region", name="Ready for signature?")).to_be_visible()
    axe(state=state)
    page.get_by_role("checkbox", name="I have checked the points above").check()
    page.get_by_role("button", name="Submit for signature").click()


def _open_the_meeting(page: Page, status: str) -> None:
    """From the meeting list, where the meeting's status is shown, to its note."""
    row = page.get_by_role("row", name=re.compile(r"23 December 2013"))
    expect(row.get_by_role("cell").last).to_have_text(status)
    row.get_by_role("link", name=REFERENCE_TITLE).click()
    expect(page.get_by_role("article").get_by_role("heading", level=1)).to_contain_text(
        REFERENCE_TITLE
    )


def _expect_history(page: Page, steps: list[str]) -> None:
    """Open the sign-off history and read its steps, oldest first."""
    sign_off = _sign_off(page)
    sign_off.get_by_text(f"History of sign-off ({len(steps)} steps)").click()
    expect(sign_off.get_by_role("listitem")).to_have_text(
        [re.compile(rf"^{WHEN}: {re.escape(step)}$") for step in steps]
    )


def test_staff_submit_the_chief_executive_returns_then_signs_and_staff_publish(
    page: Page, axe, sign_in, open_browser, staff, chief_executive, reference_meeting
):
    staff_name, signatory = staff.get_username(), chief_executive.get_username()

    # Staff submit the draft.
    sign_in(staff)
    _open_the_meeting(page, "Draft")
    _expect_status(page, "Draft")
    expect(_sign_off(page).get_by_text(re.compile("History of sign-off"))).to_have_count(0)
    axe(state="draft, never submitted")
    _submit(page, axe, "the check before submitting")
    expect(page.get_by_role("status")).to_have_text(
        "The note has been submitted to the Chief Executive for signature."
    )
    _expect_status(page, "Submitted for signature")
    expect(_sign_off(page).get_by_role("link", name="Submit for signature")).to_have_count(0)
    # Submitted, it can no longer be edited.
    tabs = page.get_by_role("navigation", name="This meeting")
    expect(tabs.get_by_role("link", name="Items")).to_have_count(0)
    axe(state="submitted")

    # The Chief Executive, in their own browser, returns it with a comment.
    chief = open_browser()
    chief.sign_in(chief_executive)
    _open_the_meeting(chief.page, "Submitted for signature")
    expect(_sign_off(chief.page).get_by_role("link", name="Sign the note")).to_be_visible()
    chief.axe(state="submitted, seen by the signatory")
    _sign_off(chief.page).get_by_role("link", name="Return with comments").click()
    expect(
        chief.page.get_by_role("heading", name="Return the note to staff", level=1)
    ).to_be_visible()
    chief.axe(state="empty return form")
    chief.page.get_by_label("What needs changing").fill(RETURN_COMMENT)
    chief.page.get_by_role("button", name="Return the note").click()
    expect(chief.page.get_by_role("status")).to_have_text(
        "The note has been returned to staff with your comments."
    )
    _expect_status(chief.page, "Draft")
    expect(_sign_off(chief.page).get_by_role("link", name="Sign the note")).to_have_count(0)
    chief.axe(state="returned")

    # Staff see the comment on the meeting page, put it right and resubmit.
    page.reload()
    _expect_status(page, "Draft")
    returned = _sign_off(page).get_by_text(re.compile(r"^Returned by")).locator("..")
    expect(returned).to_have_text(
        re.compile(
            rf"^Returned by {signatory} on \w+day, \d{{1,2}} \w+ \d{{4}}:\s*"
            rf"{re.escape(RETURN_COMMENT)}$"
        )
    )
    axe(state="returned, with the comment")
    tabs.get_by_role("link", name="Items").click()
    expect(page.get_by_role("heading", name="Items considered", level=1)).to_be_visible()
    axe(state="the items")
    page.get_by_role("link", name=f"Write the note of {ITEM}").click()
    expect(page.get_by_role("heading", name=f"b) {ITEM}", level=1)).to_be_visible()
    axe(state="the item's editor")
    page.get_by_label("Note of the discussion").fill(FIX)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Item “{ITEM}” saved.")
    tabs.get_by_role("link", name="Note").click()
    expect(page.get_by_role("region", name=f"b) {ITEM}").get_by_role("paragraph")).to_have_text(FIX)
    _submit(page, axe, "the check before submitting again")
    expect(page.get_by_role("status")).to_have_text(
        "The note has been submitted to the Chief Executive for signature."
    )
    _expect_status(page, "Submitted for signature")
    # The comment belonged to the returned draft: the resubmitted note no longer shows it.
    expect(_sign_off(page).get_by_text(re.compile(r"^Returned by"))).to_have_count(0)

    # The Chief Executive reads the corrected note and signs it.
    chief.page.reload()
    _expect_status(chief.page, "Submitted for signature")
    _sign_off(chief.page).get_by_role("link", name="Sign the note").click()
    expect(chief.page.get_by_role("heading", name="Sign the note", level=1)).to_be_visible()
    expect(
        chief.page.get_by_role("article").get_by_role("region", name=f"b) {ITEM}")
    ).to_contain_text(FIX)
    expect(chief.page.get_by_text("Printed under your signature:")).to_contain_text(
        f"{SIGNATORY_NAME}, {SIGNATORY_TITLE}"
    )
    chief.axe(state="sign form with the note to read")
    chief.page.get_by_role(
        "checkbox", name="I have read the note and sign it as a true record"
    ).check()
    chief.page.get_by_role("button", name="Sign the note").click()
    expect(chief.page.get_by_role("status")).to_have_text(
        "The note is signed. Its PDF has been stored and it is frozen."
    )
    _expect_status(chief.page, "Signed")
    expect(_sign_off(chief.page)).to_contain_text(
        re.compile(
            rf"Signed by {SIGNATORY_NAME}, {SIGNATORY_TITLE}, on \w+day, \d{{1,2}} \w+ \d{{4}}"
        )
    )
    expect(
        _sign_off(chief.page).get_by_role("link", name="Download the signed PDF")
    ).to_be_visible()
    expect(_sign_off(chief.page).get_by_text(re.compile(r"^SHA-256 of the PDF:"))).to_have_text(
        re.compile(r"^SHA-256 of the PDF: [0-9a-f]{64}$")
    )
    chief.axe(state="signed")

    # Staff publish it.
    page.reload()
    _expect_status(page, "Signed")
    _sign_off(page).get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("The note is published on the public site.")
    _expect_status(page, "Published")
    expect(_sign_off(page).get_by_role("button", name="Publish")).to_have_count(0)
    expect(_sign_off(page)).to_contain_text(f"Signed by {SIGNATORY_NAME}, {SIGNATORY_TITLE}")
    _expect_history(
        page,
        [
            f"Draft → Submitted for signature by {staff_name}",
            f"Submitted for signature → Draft by {signatory}: “{RETURN_COMMENT}”",
            f"Draft → Submitted for signature by {staff_name}",
            f"Submitted for signature → Signed by {signatory}",
            f"Signed → Published by {staff_name}",
        ],
    )
    axe(state="published, with its sign-off history open")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    expect(page.get_by_role("row", name=re.compile(r"23 December 2013"))).to_contain_text(
        "Published"
    )
