"""Journey 7: the reference meeting cannot be submitted as it stands; reconciled in the browser
it goes through, and its signed PDF accounts for every red category and charts each one.

Set-up, before the browser starts: the users, the reference meeting of 23 December 2013 with
its frozen comparison and the reports of its note (as ``manage.py demo`` loads them), and the
shipped performance data. Then staff dismiss the red categories the note did not discuss, the
Commissioner records a conclusion on each report, staff submit, the Chief Executive signs.
"""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from playwright.sync_api import Page, expect

from meetings.demo import REFERENCE_REPORTS, load_reference_meeting, load_reference_scrutiny
from meetings.models import ExceptionReport
from performance.services import reference_data_load

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASON = "Not discussed at this meeting."
DISCUSSED = {entry["name"] for entry in REFERENCE_REPORTS}


@pytest.fixture
def reference_scrutiny(db, staff):
    reference_data_load()
    meeting, _ = load_reference_meeting()
    load_reference_scrutiny(meeting, staff=staff)
    return meeting


def _task(page: Page, name: str):
    return (
        page.get_by_role("region", name="Ready for signature?")
        .get_by_role("listitem")
        .filter(has=page.get_by_text(name, exact=True))
    )


def test_the_reference_meeting_is_reconciled_then_signed(
    page: Page, axe, sign_in, open_browser, staff, commissioner, chief_executive, reference_scrutiny
):
    meeting = reference_scrutiny
    proposed = list(
        meeting.exception_reports.filter(status=ExceptionReport.Status.PROPOSED).values_list(
            "category_name", flat=True
        )
    )
    assert proposed  # red categories the note does not report on

    # As it stands, the note cannot be submitted: the check page says why.
    sign_in(staff)
    page.goto(meeting.get_absolute_url())
    expect(_task(page, "Report on or dismiss every red category")).to_contain_text("Incomplete")
    expect(_task(page, "Record the Commissioner's conclusion on each report")).to_contain_text(
        "Incomplete"
    )
    axe(state="a draft with its task list")
    page.get_by_role("region", name="Sign-off").get_by_role(
        "link", name="Submit for signature"
    ).click()
    expect(page.get_by_role("heading", name="Submit the note for signature")).to_be_visible()
    for name in proposed:
        expect(page.get_by_text(f"{name} is red: report on it or dismiss it")).to_be_visible()
    expect(page.get_by_role("button", name="Submit for signature")).to_have_count(0)
    axe(state="the check page of an incomplete note")

    # Staff dismiss each red category the note did not discuss, with the reason.
    for name in proposed:
        page.goto(meeting.get_absolute_url())
        page.get_by_role("navigation", name="This meeting").get_by_role(
            "link", name="Exception reports", exact=True
        ).click()
        page.get_by_role("link", name=f"Dismiss the proposal on {name}").click()
        expect(
            page.get_by_role("heading", name=f"Dismiss the proposed report on {name}")
        ).to_be_visible()
        axe(state="dismissing a proposal")
        page.get_by_role("textbox").fill(REASON)
        page.get_by_role("button", name="Dismiss the proposal").click()
        expect(page.get_by_role("status")).to_have_text(f"The proposal on {name} was dismissed.")
    axe(state="every red category reconciled")

    # The Commissioner records a conclusion on each report, from the review.
    reviewer = open_browser()
    reviewer.sign_in(commissioner)
    for name in DISCUSSED:
        reviewer.page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Review"
        ).click()
        reviewer.page.get_by_role("link", name=f"Record a conclusion on {name}").click()
        reviewer.axe(state="the conclusion form")
        reviewer.page.get_by_role("radio", name="Assured", exact=True).check()
        reviewer.page.get_by_role("button", name="Record the conclusion").click()
        expect(reviewer.page.get_by_role("status")).to_have_text(f"Conclusion on {name} recorded.")
    reviewer.axe(state="the review, every report concluded")

    # Now the note goes through, with the items without a note confirmed.
    page.goto(meeting.get_absolute_url())
    expect(_task(page, "Report on or dismiss every red category")).to_contain_text("Completed")
    page.get_by_role("region", name="Sign-off").get_by_role(
        "link", name="Submit for signature"
    ).click()
    axe(state="the check page of a complete note")
    page.get_by_role("checkbox", name="I have checked the points above").check()
    page.get_by_role("button", name="Submit for signature").click()
    expect(page.get_by_role("status")).to_have_text(
        "The note has been submitted to the Chief Executive for signature."
    )

    # The Chief Executive reads it, with the same checklist, and signs it.
    chief = open_browser()
    chief.sign_in(chief_executive)
    chief.page.goto(meeting.get_absolute_url())
    chief.axe(state="the submitted note, seen by the signatory")
    chief.page.get_by_role("region", name="Sign-off").get_by_role(
        "link", name="Sign the note"
    ).click()
    checklist = chief.page.get_by_role("region", name="Ready for signature?")
    expect(checklist).to_contain_text("4 of 5 tasks complete")  # items without a note: a check
    expect(checklist).not_to_contain_text("Incomplete")
    table = chief.page.get_by_role("table", name=re.compile("Crimes per 1,000 population"))
    for name in proposed:
        row = table.get_by_role("row").filter(
            has=chief.page.get_by_role(
                "rowheader", name=re.compile(rf"^{re.escape(name)}( Note \d+)?$")
            )
        )
        expect(row).to_contain_text(f"Not reported: {REASON}")
    chief.axe(state="the sign page of a reconciled note")
    chief.page.get_by_role(
        "checkbox", name="I have read the note and sign it as a true record"
    ).check()
    chief.page.get_by_role("button", name="Sign the note").click()
    expect(chief.page.get_by_role("status")).to_have_text(
        "The note is signed. Its PDF has been stored and it is frozen."
    )

    # The signed PDF: a chart for each reported and each red category, every red row accounted.
    response = chief.page.request.get(f"{meeting.get_absolute_url()}note.pdf")
    assert response.ok
    text = " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.body())).pages
    )
    text = " ".join(text.split())
    compact = text.replace(" ", "")
    frozen = meeting.comparison.comparison
    reported = set(
        meeting.exception_reports.filter(status=ExceptionReport.Status.ACCEPTED).values_list(
            "category_slug", flat=True
        )
    )
    for row in frozen.rows:
        if row.is_complete and (row.is_red or row.category_slug in reported):
            title = f"{row.category_name}: Lancashire and its group".replace(" ", "")
            assert title in compact, row.category_name
    for row in frozen.red_rows:
        at = text.index(row.category_name)
        assert re.search(r"See exception report \d|Not reported: " + REASON, text[at : at + 200])
