"""Each role acting from their own queue, at a desktop width and on a phone: the Chief
Executive signs the note waiting for them, the Commissioner concludes the report waiting for
them. No page scrolls sideways at 390 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from meetings.demo import REFERENCE_TITLE, load_reference_meeting
from meetings.services import sign_off
from tests.factories import ExceptionReportFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [1366, 390]
CATEGORY = "Burglary in a dwelling"


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{page.url} scrolls sideways at {page.viewport_size['width']} px"
    )


def _my_work(page: Page, axe, state: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile(r"^My work")
    ).click()
    expect(page.get_by_role("heading", name="My work", level=1)).to_be_visible()
    _no_sideways_scroll(page)
    axe(state=state)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_chief_executive_signs_from_their_queue(
    page: Page, axe, sign_in, staff, chief_executive, width
):
    meeting, _ = load_reference_meeting()
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(chief_executive)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=re.compile(r"^My work"))).to_have_text("My work 1 waiting")
    _my_work(page, axe, "a note awaiting signature")
    queue = page.get_by_role("region", name="Notes awaiting your signature")
    queue.get_by_role(
        "link", name=re.compile(rf"^Read and sign the note of the {REFERENCE_TITLE}")
    ).click()
    expect(page.get_by_role("heading", name="Sign the note", level=1)).to_be_visible()
    _no_sideways_scroll(page)
    axe(state="the sign form, from the queue")
    page.get_by_role("checkbox", name="I have read the note and sign it as a true record").check()
    page.get_by_role("button", name="Sign the note").click()
    expect(page.get_by_role("status")).to_have_text(
        "The note is signed. Its PDF has been stored and it is frozen."
    )
    _no_sideways_scroll(page)
    axe(state="the signed note")
    _my_work(page, axe, "nothing left to sign")
    expect(page.get_by_role("region", name="Notes awaiting your signature")).to_contain_text(
        "No note is waiting for your signature."
    )
    expect(nav.get_by_role("link", name=re.compile(r"^My work"))).to_have_text("My work")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_commissioner_concludes_from_their_queue(page: Page, axe, sign_in, commissioner, width):
    meeting, _ = load_reference_meeting()
    ExceptionReportFactory(meeting=meeting, category_name=CATEGORY)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(commissioner)
    _my_work(page, axe, "a report awaiting a conclusion")
    queue = page.get_by_role("region", name="Exception reports awaiting your conclusion")
    queue.get_by_role("link", name=f"Record your conclusion on {CATEGORY}").click()
    expect(page.get_by_role("heading", name=f"Conclusion on {CATEGORY}", level=1)).to_be_visible()
    _no_sideways_scroll(page)
    axe(state="the conclusion form, from the queue")
    page.get_by_role("button", name="Record the conclusion").click()
    summary = page.get_by_role("alert", name="There is a problem")
    expect(summary.get_by_role("link")).to_have_text(["Select whether the Commissioner is assured"])
    axe(state="the conclusion form with its error")
    summary.get_by_role("link").click()
    expect(page.get_by_role("radio", name="Assured", exact=True)).to_be_focused()
    page.get_by_role("radio", name="Assured", exact=True).check()
    page.get_by_role("button", name="Record the conclusion").click()
    expect(page.get_by_role("status")).to_have_text(f"Conclusion on {CATEGORY} recorded.")
    _no_sideways_scroll(page)
    axe(state="the review, after concluding")
    _my_work(page, axe, "nothing left to conclude")
    expect(
        page.get_by_role("region", name="Exception reports awaiting your conclusion")
    ).to_contain_text("No exception report is waiting for your conclusion.")
