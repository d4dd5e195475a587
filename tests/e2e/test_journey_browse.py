"""Journey: a member of the public browses the published notes by year and by meeting, finds a
note by the name of someone who attended, and opens it, at 1366 and 390 CSS px wide.

Set-up, before the browser starts: the reference meeting of 23 December 2013 and an Executive
Board meeting of 11 March 2014, both signed and published with the sign-off services. No page
scrolls sideways at either width, and every page is checked with axe.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from meetings.demo import REFERENCE_TITLE, load_reference_meeting
from meetings.services import sign_off
from tests.factories import executive_board_meetings, note_published, note_signed

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [1366, 390]
REFERENCE_LINK = f"{REFERENCE_TITLE}, Monday, 23 December 2013"
BOARD_LINK = "Executive Board, Tuesday, 11 March 2014"


@pytest.fixture
def two_published_notes(staff, chief_executive):
    reference, _ = load_reference_meeting()
    sign_off.note_submit(user=staff, meeting=reference, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=reference)
    sign_off.note_publish(user=staff, meeting=reference)
    _, march = executive_board_meetings(staff)
    note_published(march, staff=staff, chief_executive=chief_executive)


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{page.url} scrolls sideways at {page.viewport_size['width']} px"
    )


def _checked(page: Page, axe, state: str) -> None:
    _no_sideways_scroll(page)
    axe(state=state)


def _notes(page: Page):
    return page.get_by_role("main").get_by_role("list", name="The notes")


def _listed(page: Page, links: list[str]) -> None:
    """The list holds exactly these notes (each item also links to its PDF)."""
    expect(_notes(page).get_by_role("listitem")).to_have_count(len(links))
    for name in links:
        expect(_notes(page).get_by_role("link", name=name, exact=True)).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_public_browse_by_year_and_find_a_note_by_who_attended(
    page: Page, axe, two_published_notes, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    expect(_notes(page).get_by_role("listitem")).to_have_count(2)
    _checked(page, axe, "every published note")

    # By year: 2014 holds the board's note only.
    by_year = page.get_by_role("navigation", name="Browse by year")
    by_year.get_by_role("link", name="2014 (1)").click()
    expect(page.get_by_role("heading", name="1 note in 2014")).to_be_visible()
    _listed(page, [BOARD_LINK])
    expect(by_year.get_by_text("2014 (1)")).to_have_attribute("aria-current", "page")
    _checked(page, axe, "the notes of 2014")

    # By meeting, after going back to every year.
    by_year.get_by_role("link", name="All years").click()
    expect(_notes(page).get_by_role("listitem")).to_have_count(2)
    page.get_by_role("navigation", name="Browse by meeting").get_by_role(
        "link", name=f"{REFERENCE_TITLE} (1)"
    ).click()
    _listed(page, [REFERENCE_LINK])
    _checked(page, axe, "the notes of one meeting")

    # By the name of someone who attended, within 2013: the reference note.
    page.get_by_role("navigation", name="Browse by meeting").get_by_role(
        "link", name="All meetings"
    ).click()
    page.get_by_role("navigation", name="Browse by year").get_by_role(
        "link", name="2013 (1)"
    ).click()
    search = page.get_by_role("search")
    search.get_by_role("searchbox", name="Search the notes").fill("Bev Wood")
    search.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 note matching “Bev Wood” in 2013")).to_be_visible()
    _listed(page, [REFERENCE_LINK])
    _checked(page, axe, "a search by an attendee's name within a year")

    # The note opens with its meeting, date and the signed PDF's size and pages, and its link.
    page.get_by_role("link", name=REFERENCE_LINK).click()
    about = page.get_by_role("complementary", name="About this note")
    expect(about).to_contain_text(REFERENCE_TITLE)
    expect(about).to_contain_text("Monday, 23 December 2013")
    expect(about.get_by_test_id("pdf-facts")).to_have_text(
        re.compile(r"^PDF, [\d.]+\sKB, \d+ pages?$")
    )
    expect(about.get_by_role("link", name="Download the PDF of this note")).to_be_visible()
    expect(page.get_by_role("article")).to_contain_text("Bev Wood")
    _checked(page, axe, "the note found")
