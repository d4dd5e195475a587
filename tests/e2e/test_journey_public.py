"""Journey 4: a member of the public finds a published note, reads it, downloads and checks it.

Set-up, before the browser starts: the reference meeting, submitted, signed and published with
the sign-off services (journey 3 does the same through the browser). The visitor is never
signed in and uses only what the pages show.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from meetings.demo import IN_ATTENDANCE, ITEMS, PRESENT, REFERENCE_TITLE, load_reference_meeting
from meetings.services import sign_off
from tests.factories import note_signed

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIGNATORY_NAME = "Miranda Carruthers-Watt"
SIGNATORY_TITLE = "Chief Executive"
NOTE_LINK = f"{REFERENCE_TITLE}, Monday, 23 December 2013"
# The heading of the published note of 23 December 2013, as printed.
HEADING = (
    "STRATEGIC SCRUTINY MEETING MONDAY, 23 DECEMBER 2013 COMMENCING AT 2.00 PM "
    "CABINET ROOM B, COUNTY HALL, PRESTON"
)
DASH = "\N{EN DASH}"
LABELS = ["a)", "b)", "c)", "d)", "e)", "f)"]


def normalised(text: str) -> str:
    """Text with runs of white space made single spaces, as a reader hears it."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def published_note(staff, chief_executive):
    meeting, _ = load_reference_meeting()
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=meeting)
    return sign_off.note_publish(user=staff, meeting=meeting)


def _search(page: Page, words: str) -> None:
    search = page.get_by_role("search")
    search.get_by_role("searchbox", name="Search the notes").fill(words)
    search.get_by_role("button", name="Search").click()
    expect(page.get_by_role("searchbox", name="Search the notes")).to_have_value(words)


def test_the_public_find_read_download_and_verify_a_published_note(
    page: Page, axe, published_note, tmp_path
):
    # The site opens on the published notes; the note is listed.
    page.goto("/")
    expect(page.get_by_role("heading", name="Published notes of scrutiny meetings")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")
    ).to_be_visible()
    notes = page.get_by_role("main").get_by_role("list", name="The notes")
    expect(notes.get_by_role("listitem")).to_have_count(1)
    expect(notes.get_by_role("link", name=NOTE_LINK)).to_be_visible()
    axe(state="the list of published notes")

    # Searching for a word from the note finds it; a word that is not in any note finds nothing.
    _search(page, "Zanzibar")
    expect(page.get_by_role("heading", name="0 notes matching “Zanzibar”")).to_be_visible()
    expect(page.get_by_text("No published note matches your search.")).to_be_visible()
    axe(state="search without results")
    _search(page, "Vanquish")
    expect(page.get_by_role("heading", name="1 note matching “Vanquish”")).to_be_visible()
    # with the passage of the note it was found in, the word marked
    expect(page.locator(".search-passage mark")).to_have_text(["Vanquish"])
    axe(state="search results")

    # The note as a web page.
    page.get_by_role("link", name=NOTE_LINK).click()
    note = page.get_by_role("article")
    expect(note.get_by_role("heading", level=1)).to_be_visible()
    assert normalised(note.get_by_role("heading", level=1).inner_text()).upper() == HEADING
    expect(note.get_by_role("term")).to_have_text([name for name, _ in PRESENT + IN_ATTENDANCE])
    expect(note.get_by_role("region", name=f"a) {ITEMS[0]}")).to_contain_text("Operation Vanquish")
    signature = re.compile(rf"^{SIGNATORY_NAME}\s*{SIGNATORY_TITLE}$")
    expect(page.get_by_role("paragraph").filter(has_text=signature)).to_be_visible()
    document = page.get_by_role("region", name="The signed document")
    expect(document.get_by_text(re.compile("^SHA-256 fingerprint of the PDF:"))).to_have_text(
        f"SHA-256 fingerprint of the PDF: {published_note.pdf_sha256}"
    )
    axe(state="the published note")

    # The PDF, downloaded: it carries the heading, who attended, the items and the signature.
    # The portal serves it inline, so a plain click opens Chromium's PDF viewer; Alt+click is
    # the browser's own "download the link".
    with page.expect_download() as download_info:
        document.get_by_role("link", name="Download the PDF").click(modifiers=["Alt"])
    download = download_info.value
    assert download.suggested_filename == "meeting-note-2013-12-23.pdf"
    pdf_path = tmp_path / download.suggested_filename
    download.save_as(pdf_path)
    text = normalised("\n".join(sheet.extract_text() for sheet in PdfReader(pdf_path).pages))
    assert HEADING in text
    for name, role in PRESENT + IN_ATTENDANCE:
        assert f"{name} {DASH} {role}" in text
    for label, title in zip(LABELS, ITEMS, strict=True):
        assert f"{label} {title}" in text
    assert "Operation Vanquish" in text
    assert f"{SIGNATORY_NAME.upper()} {SIGNATORY_TITLE.upper()}" in text

    # The verification page recognises the downloaded copy as the published note.
    document.get_by_role("link", name="Check that a copy of this PDF is genuine").click()
    expect(
        page.get_by_role("heading", name="Check that a PDF is a genuine published note", level=1)
    ).to_be_visible()
    axe(state="empty verification form")
    page.get_by_label("The PDF to check").set_input_files(pdf_path)
    page.get_by_role("button", name="Check the PDF").click()
    result = page.get_by_role("status").filter(has=page.get_by_role("heading", name="Result"))
    expect(result).to_contain_text(
        f"This is the published note of the {NOTE_LINK}, exactly as signed."
    )
    expect(result.get_by_role("link", name=NOTE_LINK)).to_be_visible()
    expect(result).to_contain_text(f"SHA-256 of the file you uploaded: {published_note.pdf_sha256}")
    axe(state="the copy is genuine")

    # Something that is not a PDF gets a clear error, which takes the focus.
    not_a_pdf = tmp_path / "meeting-note-2013-12-23.docx"
    not_a_pdf.write_bytes(b"PK\x03\x04 this is a word-processor file, not a PDF")
    page.get_by_label("The PDF to check").set_input_files(not_a_pdf)
    page.get_by_role("button", name="Check the PDF").click()
    summary = page.get_by_role("alert", name="There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["The file is not a PDF."])
    expect(page).to_have_title(re.compile(r"^Error: Check a PDF"))
    expect(page.get_by_label("The PDF to check")).to_have_accessible_description(
        re.compile("The file is not a PDF.")
    )
    expect(page.get_by_role("heading", name="Result")).to_have_count(0)
    axe(state="a file that is not a PDF")
