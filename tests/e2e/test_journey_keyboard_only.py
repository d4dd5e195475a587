"""Journey 6, second half: a meeting can be entered with the keyboard alone, focus always visible.

After signing in, the test only presses keys (Tab, Shift+Tab, Enter, Space) and types; locators
are used to say where focus should be, never to click or fill.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from meetings.demo import ITEMS, PRESENT, REFERENCE_TITLE, REFERENCE_VENUE

from .dates import date_group, expect_date

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# What has focus, and whether its focus indicator can be seen: a real outline or a box shadow,
# read once the element's transitions (Bootstrap fades box shadows in and out) have finished.
_FOCUSED = """async () => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  await Promise.all(el.getAnimations().map((animation) => animation.finished.catch(() => null)));
  const style = getComputedStyle(el);
  const transparent = (colour) => colour === "transparent" || /^rgba\\(.*,\\s*0\\)$/.test(colour);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
    && !transparent(style.outlineColor);
  const shadow = style.boxShadow !== "none" && !transparent(style.boxShadow.split(") ")[0] + ")");
  const name = el.getAttribute("aria-label") || (el.labels && el.labels[0]?.innerText)
    || el.innerText || el.value || "";
  return {
    element: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${name.trim().slice(0, 60)}"`,
    visible: outline || shadow,
    outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    boxShadow: style.boxShadow,
  };
}"""


def _assert_focus_visible(page: Page) -> dict:
    focused = page.evaluate(_FOCUSED)
    assert focused is not None, "nothing has focus"
    assert focused["visible"], f"focus is not visible on {focused}"
    return focused


def _tab_to(page: Page, target: Locator, *, backwards: bool = False, limit: int = 60) -> None:
    """Press Tab (or Shift+Tab) until ``target`` has focus, checking focus is visible each time."""
    key = "Shift+Tab" if backwards else "Tab"
    visited = []
    for _ in range(limit):
        page.keyboard.press(key)
        visited.append(_assert_focus_visible(page)["element"])
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{target} never received focus; focus went to:\n" + "\n".join(visited))


# The focus ring is judged as it settles; with reduced motion Bootstrap drops its fades, so
# no Tab has to wait for one.
@pytest.mark.browser_context_args(reduced_motion="reduce")
def test_a_meeting_can_be_entered_with_the_keyboard_alone(page: Page, axe, sign_in, staff):
    name, role = PRESENT[5]  # Steve Finnigan, Chief Constable
    sign_in(staff)

    # The skip link is the first stop, and is shown when it has focus.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    _assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    new_meeting = page.get_by_role("link", name="New meeting")
    _tab_to(page, new_meeting)
    page.keyboard.press("Enter")

    # The meeting: the date typed as day, month and year, a box each, the time as 14:00.
    expect(page.get_by_role("heading", name="New meeting", level=1)).to_be_visible()
    axe(state="empty form")
    _tab_to(page, page.get_by_label("Or a new body"))
    page.keyboard.type(REFERENCE_TITLE)
    date = date_group(page, "Date")
    _tab_to(page, date.get_by_label("Day"))
    page.keyboard.type("23")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    page.keyboard.type("2013")
    _tab_to(page, page.get_by_label("Start time"))
    page.keyboard.type("1400")
    _tab_to(page, page.get_by_label("Venue"))
    page.keyboard.type(REFERENCE_VENUE)
    expect_date(page, "Date", "2013-12-23")
    expect(page.get_by_label("Start time")).to_have_value("14:00")
    _tab_to(page, page.get_by_role("button", name="Create meeting"))
    page.keyboard.press("Enter")

    # One person present, with their role.
    expect(page.get_by_role("heading", name="Attendance", level=1)).to_be_visible()
    axe(state="new meeting, nobody listed")
    _tab_to(page, page.get_by_label("Or add a new person"))
    page.keyboard.type(name)
    _tab_to(page, page.get_by_label("Role at this meeting"))
    page.keyboard.type(role)
    # Back one stop: the radio group, on its checked choice.
    _tab_to(page, page.get_by_role("radio", name="Present", exact=True), backwards=True)
    expect(page.get_by_role("radio", name="Present", exact=True)).to_be_checked()
    _tab_to(page, page.get_by_role("button", name="Add to the attendance"))
    page.keyboard.press("Space")
    expect(page.get_by_role("status")).to_contain_text(f"{name} listed as present.")
    axe(state="one person listed")

    # One item.
    _tab_to(page, page.get_by_role("link", name="Next: the items considered"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Items considered", level=1)).to_be_visible()
    axe(state="no items")
    title_field = page.get_by_label("Title of the new item")
    _tab_to(page, title_field)
    page.keyboard.type(ITEMS[0])
    _tab_to(page, page.get_by_role("button", name="Add item"))
    _tab_to(page, title_field, backwards=True)
    page.keyboard.press("Enter")  # submits the form from its text field
    expect(page.get_by_role("status")).to_contain_text(f"Item “{ITEMS[0]}” added.")
    axe(state="one item")

    # The note.
    _tab_to(
        page, page.get_by_role("navigation", name="This meeting").get_by_role("link", name="Note")
    )
    page.keyboard.press("Enter")
    note = page.get_by_role("article")
    expect(note.get_by_role("heading", level=1)).to_contain_text(REFERENCE_TITLE)
    expect(note.get_by_role("heading", level=1)).to_contain_text("Monday, 23 December 2013")
    expect(note.get_by_role("term")).to_have_text([name])
    expect(note.get_by_role("definition")).to_have_text([role])
    expect(note.get_by_role("listitem")).to_have_text([f"a) {ITEMS[0]}"])
    axe(state="the note")
