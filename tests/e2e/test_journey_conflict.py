"""Journey 5: two members of staff edit the same item at once, and nothing is lost.

The first to save wins; the second is refused with both versions shown and their own text still
in the form, merges, and saves. Along the way the item editor's autosave says it kept the text.
Each person has their own browser; after the users and the reference meeting are set up,
everything is done through what the pages show.
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

ITEM = ITEMS[1]  # b) Frontline Policing, which has no note yet
FIRST = "The Chief Constable reported that response times had improved across all divisions."
SECOND = "The Commissioner asked for the rural response times to be reported separately."
MERGED = f"{FIRST}\n\n{SECOND}"


@pytest.fixture
def reference_meeting(db):
    meeting, _ = load_reference_meeting()
    return meeting


def _open_item_editor(page: Page, axe) -> None:
    """From the meeting list, the editor of item b), as a member of staff gets there."""
    page.get_by_role("link", name=REFERENCE_TITLE).click()
    expect(page.get_by_role("region", name="Sign-off")).to_contain_text("Status: Draft")
    axe(page, state="the draft note")
    page.get_by_role("navigation", name="This meeting").get_by_role("link", name="Items").click()
    expect(page.get_by_role("heading", name="Items considered", level=1)).to_be_visible()
    axe(page, state="the items")
    page.get_by_role("link", name=f"Write the note of {ITEM}").click()
    expect(page.get_by_role("heading", name=f"b) {ITEM}", level=1)).to_be_visible()
    expect(page.get_by_label("Note of the discussion")).to_have_value("")
    axe(page, state="the item's editor, empty")


def test_a_second_save_of_the_same_item_shows_both_versions_and_loses_nothing(
    page: Page, axe, sign_in, open_browser, staff, other_staff, reference_meeting
):
    # Both open the same item's editor, each in their own browser.
    sign_in(staff)
    _open_item_editor(page, axe)
    other = open_browser()
    other.sign_in(other_staff)
    _open_item_editor(other.page, other.axe)

    # The first saves.
    page.get_by_label("Note of the discussion").fill(FIRST)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Item “{ITEM}” saved.")
    axe(state="saved")

    # The second types their own text; autosave says it has kept it, not that it is saved.
    editor = other.page
    editor.get_by_label("Note of the discussion").fill(SECOND)
    expect(editor.locator("[data-autosave-status]")).to_have_text(
        re.compile(r"^Unsaved text kept at \d{2}:\d{2}\. Press Save to put it in the note\.$"),
        timeout=10_000,
    )
    other.axe(state="autosave status shown")

    # Their save is refused: both versions are shown, and their text is still in the form.
    editor.get_by_role("button", name="Save", exact=True).click()
    conflict = editor.get_by_role("alert").filter(
        has=editor.get_by_role("heading", name="Someone else saved this while you were editing")
    )
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Nothing has been lost.")
    versions = conflict.get_by_role("table", name="Differences between the saved version and yours")
    expect(versions.get_by_role("columnheader")).to_have_text(
        ["Field", "Saved by the other person", "Yours (not saved)"]
    )
    expect(versions.get_by_role("row", name="Note of the discussion")).to_have_count(1)
    expect(
        versions.get_by_role("row", name="Note of the discussion").get_by_role("cell")
    ).to_have_text([FIRST, SECOND])
    expect(editor.get_by_label("Note of the discussion")).to_have_value(SECOND)
    expect(editor.get_by_role("status")).to_have_count(0)  # no "saved" message
    other.axe(state="the conflict, both versions shown")

    # They merge the two into the form and save again: this time it is kept.
    editor.get_by_label("Note of the discussion").fill(MERGED)
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.get_by_role("status")).to_contain_text(f"Item “{ITEM}” saved.")
    expect(editor.get_by_role("heading", name="Items considered", level=1)).to_be_visible()
    other.axe(state="merged text saved")

    # The note now reads as merged, for both of them.
    for person_page, check in ((editor, other.axe), (page, axe)):
        person_page.get_by_role("navigation", name="This meeting").get_by_role(
            "link", name="Note"
        ).click()
        item = person_page.get_by_role("article").get_by_role("region", name=f"b) {ITEM}")
        expect(item.get_by_role("paragraph")).to_have_text([FIRST, SECOND])
        check(person_page, state="the note with the merged item")
