"""Journey 7: a new user records a board that prints its minutes unlike the reference note.

In the browser alone, staff set up an executive board (minutes, role before name with
initials, the chair and the minute taker under their own headings, minute numbers running
on), hold a first meeting, start the next without a start time, paste its attendance, add a
substitute, record that the previous minutes were not approved, raise an action with a lead
and owners, and have it signed and published. The PDF and the public page print it in the
board's style. Only users exist before the browser starts.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from .dates import fill_date

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BOARD = "Executive Board"
ATTENDANCE = """In the Chair
Police and Crime Commissioner – Clive Grunshaw (CG)
Officers
Chief Executive – Miranda Carruthers-Watt (MCW)
Minute taker
Administrative Assistant – Steve Southworth (SS)
Apologies
Deputy Police and Crime Commissioner – Ibby Master (IM)"""
ACTION = "Circulate the budget monitoring timetable to members."
LEAD = "Chief Constable Steve Finnigan"
SIGNATORY_NAME = "Miranda Carruthers-Watt"
# The board's minutes as printed: role first, initials, its own headings, no start time.
PRINTED = [
    "EXECUTIVE BOARD",
    "TUESDAY, 11 MARCH 2014",
    "MINUTES",
    "IN THE CHAIR",
    "Police and Crime Commissioner Clive Grunshaw (CG)",
    "MEMBERS",
    "Assistant Police and Crime Commissioner (on behalf of Ibby Master) Bruce Jassi (BJ)",
    "OFFICERS",
    "Chief Executive Miranda Carruthers-Watt (MCW)",
    "MINUTE TAKER",
    "Administrative Assistant Steve Southworth (SS)",
    "APOLOGIES",
    "Deputy Police and Crime Commissioner Ibby Master (IM)",
    "14. Apologies",
    "15. Minutes of the previous meeting",
    "16. Action log",
    "The minutes of the meeting held on Tuesday, 14 January 2014: not approved (to be resubmitted)",
    "ACTIONS",
    ACTION,
    LEAD,
    "Steve Southworth (SS), Miranda Carruthers-Watt (MCW)",
    "30 April 2014",
]


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _in_order(text: str, phrases: list[str]) -> None:
    position = 0
    for phrase in phrases:
        found = text.upper().find(phrase.upper(), position)
        assert found >= 0, f"{phrase!r} missing after {text[position : position + 80]!r}"
        position = found + len(phrase)


def _tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="This meeting").get_by_role(
        "link", name=name, exact=True
    ).click()


def _status(page: Page):
    return page.get_by_role("status")


def test_a_new_user_records_a_board_in_its_own_style(
    page: Page, axe, sign_in, open_browser, staff, chief_executive, tmp_path
):
    sign_in(staff)

    # The board, set up on its own page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Bodies").click()
    expect(page.get_by_role("heading", name="Bodies", level=1)).to_be_visible()
    axe(state="no bodies yet")
    page.get_by_role("link", name="New body").click()
    expect(page.get_by_role("heading", name="New body", level=1)).to_be_visible()
    axe(state="empty body form")
    page.get_by_label(re.compile(r"^\s*Name\W*$")).fill(BOARD)
    page.get_by_label("Name of its record").fill("Minutes")
    page.get_by_role("radio", name="Minute numbers continuing from the previous meeting").check()
    page.get_by_label("Standard items").fill(
        "Apologies\nMinutes of the previous meeting\nAction log"
    )
    page.get_by_role("radio", name="Role Name").check()
    page.get_by_label("Print initials after names").check()
    page.get_by_label("Heading for the chair").fill("In the Chair")
    page.get_by_label("Heading for those present").fill("Members")
    page.get_by_label("Heading for those in attendance").fill("Officers")
    page.get_by_label("Heading for the note taker").fill("Minute taker")
    page.get_by_role("button", name="Create the body").click()
    expect(_status(page)).to_contain_text(f"The body “{BOARD}” was created.")
    expect(page.get_by_role("heading", name=BOARD, level=1)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "In the Chair · Members · Officers · Minute taker · Apologies"
    )
    axe(state="the board's page")

    # Its first meeting, numbered from minute 12, with two items.
    page.get_by_role("link", name="New meeting of this body").click()
    expect(page.get_by_role("heading", name="New meeting", level=1)).to_be_visible()
    expect(page.get_by_label("Body", exact=True)).to_have_value(
        re.compile(r"\d+")
    )  # chosen already
    axe(state="new meeting of the board")
    fill_date(page, "Date", "2014-01-14")
    page.get_by_label("First minute number").fill("12")
    page.get_by_role("button", name="Create meeting").click()
    expect(_status(page)).to_contain_text(f"{BOARD}, 14 January 2014 created.")
    axe(state="the first meeting's attendance, empty")
    _tab(page, "Items")
    expect(page.get_by_role("heading", name="Items considered", level=1)).to_be_visible()
    for title in ("Apologies", "Budget monitoring"):
        page.get_by_label("Title of the new item").fill(title)
        page.get_by_role("button", name="Add item").click()
        expect(_status(page)).to_contain_text(f"Item “{title}” added.")
    expect(page.get_by_role("list", name="Items in order")).to_contain_text("13. Budget monitoring")
    axe(state="the first meeting's items, numbered 12 and 13")

    # The next meeting, without a start time: minute numbers run on, standard items added.
    _tab(page, "Note")
    expect(page.get_by_role("article").get_by_role("heading", level=1)).to_contain_text(BOARD)
    axe(state="the first meeting's page")
    page.get_by_role("link", name="Start the next meeting of this body").click()
    expect(page.get_by_role("heading", name=f"The next {BOARD}", level=1)).to_be_visible()
    axe(state="next meeting form")
    fill_date(page, "Date", "2014-03-11")
    page.get_by_label("Venue").fill("County Hall, Preston")
    page.get_by_role("button", name="Create the next meeting").click()
    expect(_status(page)).to_contain_text(f"{BOARD}, 11 March 2014 created")
    heading = page.get_by_role("article").get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"Tuesday, 11 March 2014"))
    expect(heading).not_to_contain_text("commencing")
    axe(state="the next meeting, without a start time")

    # Its attendance, pasted as the minutes print it, previewed, then added.
    _tab(page, "Attendance")
    expect(page.get_by_role("heading", name="Attendance", level=1)).to_be_visible()
    axe(state="empty attendance of the board")
    page.get_by_role("link", name="Paste a whole list").click()
    expect(page.get_by_role("heading", name="Paste the attendance", level=1)).to_be_visible()
    axe(state="empty paste form")
    page.get_by_label("The list, one person a line").fill(ATTENDANCE)
    page.get_by_role("button", name="Preview the list").click()
    preview = page.get_by_role("table", name="The people in the pasted list")
    expect(preview.get_by_role("row")).to_have_count(5)
    expect(preview.get_by_role("row").nth(1)).to_contain_text("Clive Grunshaw CG")
    axe(state="the list previewed")
    page.get_by_role("button", name="Add these 4 people").click()
    expect(_status(page)).to_contain_text("4 people added to the attendance.")
    members = page.get_by_role("region", name="Members")
    expect(members).to_contain_text("Clive Grunshaw (CG)")

    # A substitute for the absent deputy, new to the portal, in one step.
    page.get_by_label("Or add a new person").fill("Bruce Jassi")
    page.get_by_label("Initials").fill("BJ")
    page.get_by_label("Role at this meeting").fill("Assistant Police and Crime Commissioner")
    page.get_by_label("Attending on behalf of").select_option(
        label="Ibby Master (Deputy Police and Crime Commissioner)"
    )
    page.get_by_role("button", name="Add to the attendance").click()
    expect(_status(page)).to_contain_text("Bruce Jassi listed as members.")
    expect(members).to_contain_text("(on behalf of Ibby Master)")
    axe(state="attendance with a substitute")

    # The previous minutes: not approved, to be resubmitted.
    _tab(page, "Items")
    items = page.get_by_role("list", name="Items in order")
    expect(items).to_contain_text("14. Apologies")
    expect(items).to_contain_text("15. Minutes of the previous meeting")
    axe(state="the standard items, numbered on")
    page.get_by_role("link", name="Record the outcome of Minutes of the previous meeting").click()
    expect(
        page.get_by_role("heading", name="15. Minutes of the previous meeting", level=1)
    ).to_be_visible()
    expect(page.get_by_label("The meeting whose record it approves")).to_have_value(
        re.compile(r"\d+")
    )
    axe(state="previous minutes form")
    page.get_by_role("radio", name="Not approved (to be resubmitted)").check()
    page.get_by_label("Amendments or reasons").fill("Minute 13 to be redrafted.")
    page.get_by_role("button", name="Save").click()
    expect(_status(page)).to_contain_text("The previous meeting's record under")
    expect(items).to_contain_text("not approved (to be resubmitted)")

    # An action with a lead from outside the meeting and two owners, picked by name and initials.
    _tab(page, "Action log")
    expect(page.get_by_role("heading", name="Action log", level=1)).to_be_visible()
    axe(state="empty action log of the board")
    page.get_by_label("Description").fill(ACTION)
    page.get_by_label("Lead").fill(LEAD)
    picker = page.get_by_label("Find an owner by name or initials")
    picker.fill("Steve Southworth")
    page.get_by_role("button", name="Add owner").click()
    expect(page.get_by_text("Steve Southworth added as owner 1.")).to_be_visible()
    owners = page.get_by_label("Owners", exact=True)
    owners.press("End")
    owners.type("\nMCW")
    page.get_by_label("Raised under the item").select_option(label="Action log")
    fill_date(page, "Due by", "2014-04-30")
    page.get_by_role("button", name="Add to the action log").click()
    summary = page.get_by_role("alert", name="There is a problem")
    expect(summary).to_contain_text(f"No one known is called {LEAD}")
    expect(owners).to_have_value("Steve Southworth\nMCW")
    axe(state="a new lead to confirm")
    page.get_by_label(f"Add as new people: {LEAD}").check()
    page.get_by_role("button", name="Add to the action log").click()
    expect(_status(page)).to_contain_text("Action 1 added to the log.")
    row = page.get_by_role("row", name=re.compile(ACTION))
    expect(row).to_contain_text("Steve Southworth, Miranda Carruthers-Watt")
    expect(row).to_contain_text(LEAD)
    axe(state="the action raised")

    # The note reads in the board's style.
    _tab(page, "Note")
    note = page.get_by_role("article")
    _in_order(normalised(note.inner_text()), PRINTED)
    axe(state="the board's minutes")
    page.get_by_role("region", name="Sign-off").get_by_role(
        "link", name="Submit for signature"
    ).click()
    expect(
        page.get_by_role("heading", name="Submit the note for signature", level=1)
    ).to_be_visible()
    axe(state="the check before submitting")
    page.get_by_role("checkbox", name="I have checked the points above").check()
    page.get_by_role("button", name="Submit for signature").click()
    expect(_status(page)).to_contain_text("submitted")

    # The Chief Executive signs; staff publish.
    chief = open_browser()
    chief.sign_in(chief_executive)
    chief.page.get_by_role("row", name=re.compile("11 March 2014")).get_by_role(
        "link", name=BOARD
    ).click()
    chief.axe(state="the submitted minutes")
    chief.page.get_by_role("link", name="Sign the note").click()
    expect(chief.page.get_by_role("heading", name="Sign the note", level=1)).to_be_visible()
    chief.axe(state="sign form")
    expect(chief.page.get_by_text("Printed under your signature:")).to_contain_text(SIGNATORY_NAME)
    chief.page.get_by_role("checkbox", name=re.compile("I have read the note")).check()
    chief.page.get_by_role("button", name="Sign the note").click()
    expect(chief.page.get_by_role("status")).to_contain_text("The note is signed.")
    chief.axe(state="signed")
    page.reload()
    page.get_by_role("button", name="Publish").click()
    expect(_status(page)).to_have_text("The note is published on the public site.")
    axe(state="published")

    # The public page and the PDF print it in the board's style.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Published notes").click()
    axe(state="the public list")
    page.get_by_role("link", name=f"{BOARD}, Tuesday, 11 March 2014").click()
    expect(page).to_have_title(re.compile(rf"^Minutes of the {BOARD}, Tuesday, 11 March 2014"))
    public_note = page.get_by_role("article")
    _in_order(normalised(public_note.inner_text()), PRINTED)
    axe(state="the published minutes")
    pdf_link = page.get_by_role("region", name="The signed document").get_by_role(
        "link", name="Download the PDF"
    )
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.ok
    reader = PdfReader(io.BytesIO(response.body()))
    text = normalised(" ".join(sheet.extract_text() for sheet in reader.pages))
    _in_order(text, [*PRINTED, "MIRANDA CARRUTHERS-WATT"])
    assert "COMMENCING" not in text.upper()
    assert reader.metadata.title == f"Minutes of the {BOARD}, 11 March 2014"


def test_choosing_a_known_person_fills_in_their_usual_role_and_initials(
    page: Page, axe, sign_in, staff
):
    from tests.factories import MeetingFactory, PersonFactory

    meeting = MeetingFactory()
    PersonFactory(name="Steve Finnigan", usual_role="Chief Constable", initials="SF")
    sign_in(staff)
    page.goto(f"/meetings/{meeting.pk}/attendance/")
    axe(state="empty attendance")
    person = page.get_by_label("Person", exact=True)
    person.select_option(label="Steve Finnigan (Chief Constable)")
    expect(page.get_by_label("Role at this meeting")).to_have_value("Chief Constable")
    expect(page.get_by_label("Initials")).to_have_value("SF")
    # A role typed over the filled one is the user's: it stays.
    page.get_by_label("Role at this meeting").fill("Chief Constable, Lancashire Constabulary")
    person.select_option(index=0)
    expect(page.get_by_label("Role at this meeting")).to_have_value(
        "Chief Constable, Lancashire Constabulary"
    )
    person.select_option(label="Steve Finnigan (Chief Constable)")
    page.get_by_role("button", name="Add to the attendance").click()
    expect(page.get_by_role("status")).to_contain_text("Steve Finnigan listed as present.")
    expect(page.get_by_role("region", name="Present")).to_contain_text(
        "Steve Finnigan (SF) – Chief Constable, Lancashire Constabulary"
    )
    axe(state="listed with the role typed")
