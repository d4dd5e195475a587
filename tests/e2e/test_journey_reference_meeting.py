"""Journey 1: staff enter the meeting of 23 December 2013 from nothing, and it reads as its note.

Everything after signing in is done as a person would, through what the page shows: role and
label locators only, no database shortcuts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meetings.demo import (
    IN_ATTENDANCE,
    ITEMS,
    NARRATIVE,
    PRESENT,
    REFERENCE_TITLE,
    REFERENCE_VENUE,
)

from .dates import fill_date

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REFERENCE = Path(__file__).parent.parent / "fixtures" / "strategic-scrutiny-note-2013-12-23.txt"
LABELS = ["a)", "b)", "c)", "d)", "e)", "f)"]
DASH = "\N{EN DASH}"  # between a name and its role, in the note and the attendance editor


def normalised(text: str) -> str:
    """Text with runs of white space made single spaces, as a reader hears it."""
    return re.sub(r"\s+", " ", text).strip()


def _reference_heading() -> str:
    """The heading line of the published note, as printed (in capitals)."""
    return next(line for line in REFERENCE.read_text().splitlines() if line.startswith("STRATEGIC"))


def _narrative_blocks() -> list[tuple[str, list[str]]]:
    """The note of item a) as ("p", [text]) paragraphs and ("ol", [aims]) numbered lists."""
    blocks = []
    for block in NARRATIVE.strip().split("\n\n"):
        lines = block.strip().splitlines()
        if all(re.match(r"\d+\. ", line) for line in lines):
            blocks.append(("ol", [re.sub(r"^\d+\. ", "", line) for line in lines]))
        else:
            blocks.append(("p", [normalised(block)]))
    return blocks


def _expect_agenda_order(page: Page, titles: list[str]) -> None:
    items = page.get_by_role("list", name="Items in order").get_by_role("listitem")
    expect(items).to_have_text(
        [
            re.compile(rf"^\s*{re.escape(label)}\s+{re.escape(title)}\b")
            for label, title in zip(LABELS, titles, strict=True)
        ]
    )


def _add_attendance(page: Page, name: str, role: str, listed_as: str) -> None:
    page.get_by_label("Or add a new person").fill(name)
    page.get_by_role("radio", name=listed_as, exact=True).check()
    page.get_by_label("Role at this meeting").fill(role)
    page.get_by_role("button", name="Add to the attendance").click()
    expect(page.get_by_role("status")).to_contain_text(f"{name} listed as {listed_as.lower()}.")


def test_staff_enter_the_reference_meeting_and_it_reads_as_the_published_note(
    page: Page, axe, sign_in, staff
):
    sign_in(staff)

    # The meeting.
    page.get_by_role("link", name="New meeting").click()
    expect(page.get_by_role("heading", name="New meeting", level=1)).to_be_visible()
    axe(state="empty form")
    page.get_by_label("Or a new body").fill(REFERENCE_TITLE)
    fill_date(page, "Date", "2013-12-23")
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("Venue").fill(REFERENCE_VENUE)
    # A new body letters its items unless told otherwise; the meeting follows its body.
    expect(page.get_by_role("radio", name="As the body numbers its items")).to_be_checked()
    page.get_by_role("button", name="Create meeting").click()

    # Who attended: the eight present, then the two in attendance, with their roles.
    expect(page.get_by_role("heading", name="Attendance", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Strategic Scrutiny Meeting, 23 December")
    axe(state="new meeting, nobody listed")
    for name, role in PRESENT:
        _add_attendance(page, name, role, "Present")
    for name, role in IN_ATTENDANCE:
        _add_attendance(page, name, role, "In attendance")
    for heading, people in (("Present", PRESENT), ("In attendance", IN_ATTENDANCE)):
        listed = page.get_by_role("region", name=heading).get_by_role("listitem")
        expect(listed).to_have_text(
            [
                re.compile(rf"{re.escape(name)}\s+{DASH}\s+{re.escape(role)}")
                for name, role in people
            ]
        )
    axe(state="ten people listed")

    # The items considered, a) to f).
    page.get_by_role("link", name="Next: the items considered").click()
    expect(page.get_by_role("heading", name="Items considered", level=1)).to_be_visible()
    axe(state="no items")
    for title in ITEMS:
        page.get_by_label("Title of the new item").fill(title)
        page.get_by_role("button", name="Add item").click()
        expect(page.get_by_role("status")).to_contain_text(f"Item “{title}” added.")
    _expect_agenda_order(page, ITEMS)
    axe(state="six items")

    # Reorder with the Move buttons, and back.
    page.get_by_role("button", name="Move down Frontline Policing").click()
    _expect_agenda_order(page, [ITEMS[0], ITEMS[2], ITEMS[1], *ITEMS[3:]])
    page.get_by_role("button", name="Move up Frontline Policing").click()
    _expect_agenda_order(page, ITEMS)

    # The note of item a), previewed, then saved.
    page.get_by_role("link", name=f"Write the note of {ITEMS[0]}").click()
    expect(page.get_by_role("heading", name=f"a) {ITEMS[0]}", level=1)).to_be_visible()
    axe(state="empty note")
    page.get_by_label("Note of the discussion").fill(NARRATIVE)
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview")
    expect(preview.get_by_role("list").first.get_by_role("listitem")).to_have_count(3)
    expect(page.get_by_label("Note of the discussion")).to_have_value(NARRATIVE)
    axe(state="preview")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Item “{ITEMS[0]}” saved.")
    _expect_agenda_order(page, ITEMS)

    # The meeting page reads as the published note.
    page.get_by_role("navigation", name="This meeting").get_by_role("link", name="Note").click()
    note = page.get_by_role("article")
    expect(note.get_by_role("heading", level=1)).to_be_visible()
    axe(state="the complete note")

    heading = note.get_by_role("heading", level=1)
    assert normalised(heading.inner_text()) == _reference_heading()

    # Read top to bottom by a screen reader, it says what the published note says, in order:
    # each name, then its role after a dash, the items a) to f), then item a)'s note.
    expect(note).to_match_aria_snapshot(_reference_note_snapshot())
    expect(note.get_by_role("term")).to_have_text([name for name, _ in PRESENT + IN_ATTENDANCE])
    expect(note.get_by_role("definition")).to_have_text(
        [role for _, role in PRESENT + IN_ATTENDANCE]
    )
    # The aims are numbered lists, as in the published note; items without a note are listed
    # only, not given empty sections.
    item_a = note.get_by_role("region", name=f"a) {ITEMS[0]}")
    for numbered in item_a.get_by_role("list").all():
        assert numbered.evaluate("list => list.tagName") == "OL"
    expect(note.get_by_role("heading", level=3)).to_have_text([f"a) {ITEMS[0]}"])


def _reference_note_snapshot() -> str:
    """The accessibility tree of the note of 23 December 2013, as a Playwright aria template."""

    def text(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["- article:", "  - paragraph: Note"]
    for heading, people in (("Present", PRESENT), ("In attendance", IN_ATTENDANCE)):
        lines.append(f"  - heading {text(heading)} [level=2]")
        for name, role in people:
            lines += [f"  - term: {text(name)}", f"  - definition: {text(f'{DASH} {role}')}"]
    lines += [
        '  - heading "Items considered" [level=2]',
        "  - paragraph: The following items were considered in detail.",
        "  - list:",
        "    - /children: equal",
        *[
            f"    - listitem: {text(f'{label} {title}')}"
            for label, title in zip(LABELS, ITEMS, strict=True)
        ],
        f"  - region {text(f'a) {ITEMS[0]}')}:",
        f"    - heading {text(f'a) {ITEMS[0]}')} [level=3]",
    ]
    for kind, texts in _narrative_blocks():
        if kind == "p":
            lines.append(f"    - paragraph: {text(texts[0])}")
        else:
            lines += ["    - list:", *[f"      - listitem: {text(aim)}" for aim in texts]]
    return "\n".join(lines)
