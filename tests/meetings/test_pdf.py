"""The PDF note: what it says, in what order, and that it is tagged, accessible and reproducible."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import logging
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase
from weasyprint.urls import FatalURLFetchingError

from meetings import demo
from meetings.pdf import (
    STATIC_BASE,
    NoteRenderingError,
    SignatureBlock,
    StaticFilesURLFetcher,
    note_html,
    render_note_pdf,
    static_name,
)
from meetings.selectors.note import MeetingNote, meeting_note
from tests.factories import AgendaItemFactory, DecisionFactory, MeetingFactory

LONDON = ZoneInfo("Europe/London")
REFERENCE = Path(__file__).parent.parent / "fixtures" / "strategic-scrutiny-note-2013-12-23.txt"
SIGNED_AT = dt.datetime(2014, 1, 6, 10, 30, tzinfo=LONDON)
CHIEF_EXECUTIVE = SignatureBlock(
    name="Miranda Carruthers-Watt", title="Chief Executive", signed_at=SIGNED_AT
)


@pytest.fixture(autouse=True)
def _no_weasyprint_errors(request, caplog):
    """WeasyPrint logs missing alt text, refused URLs and broken images as errors: fail on them."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    yield
    if "allow_weasyprint_errors" in request.fixturenames:
        return
    errors = [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("weasyprint") and record.levelno >= logging.ERROR
    ]
    assert errors == []


@pytest.fixture
def allow_weasyprint_errors():
    """For tests that provoke WeasyPrint errors on purpose and check them themselves."""


@pytest.fixture
def reference_note(db) -> MeetingNote:
    meeting, _ = demo.load_reference_meeting()
    return meeting_note(meeting=meeting)


def _reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in _reader(pdf).pages]


def _words(text: str) -> str:
    return " ".join(text.split())


def _assert_in_order(text: str, expected: list[str]) -> None:
    position = 0
    for phrase in expected:
        found = text.find(phrase, position)
        assert found >= 0, f"{phrase!r} missing after position {position}"
        position = found + len(phrase)


def _struct_elements(pdf: bytes) -> list[pypdf.generic.DictionaryObject]:
    """The structure tree's elements in document order."""
    root = _reader(pdf).trailer["/Root"]["/StructTreeRoot"]
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if node.get("/Type") == "/StructElem" or "/S" in node:
                found.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(root["/K"])
    return found


def _reference_aims() -> list[str]:
    return re.findall(r"^\d\. (.+)$", REFERENCE.read_text(), flags=re.MULTILINE)


def test_reference_note_reads_as_the_published_note_in_its_order(reference_note):
    pdf = render_note_pdf(note=reference_note, signature=CHIEF_EXECUTIVE, draft=False)
    text = _words(" ".join(_page_texts(pdf)))
    aims = _reference_aims()
    assert len(aims) == 6
    _assert_in_order(
        text,
        [
            "Lancashire Constabulary",
            "police and communities together",
            "STRATEGIC SCRUTINY MEETING MONDAY, 23 DECEMBER 2013 COMMENCING AT 2.00 PM "
            "CABINET ROOM B, COUNTY HALL, PRESTON",
            "NOTE",
            "PRESENT",
            *[f"{name} – {role}" for name, role in demo.PRESENT],
            "IN ATTENDANCE",
            *[f"{name} – {role}" for name, role in demo.IN_ATTENDANCE],
            "The following items were considered in detail.",
            *[f"{chr(ord('a') + i)}) {title}" for i, title in enumerate(demo.ITEMS)],
            "Generally, performance was being sustained",
            *aims,
            "The Commissioner will continue to monitor performance",
            "MIRANDA CARRUTHERS-WATT",
            "CHIEF EXECUTIVE",
            "Signed on 6 January 2014",
        ],
    )


def test_pdf_is_tagged_pdf_ua_in_british_english_with_a_title(reference_note):
    pdf = render_note_pdf(note=reference_note, signature=CHIEF_EXECUTIVE, draft=False)
    reader = _reader(pdf)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Note of the Strategic Scrutiny Meeting, 23 December 2013"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfuaid:part(="1"|>1<)', xmp)
    assert reader.pdf_header == "%PDF-1.7"


def test_pdf_is_a4(reference_note):
    pdf = render_note_pdf(note=reference_note, signature=None, draft=True)
    for page in _reader(pdf).pages:
        assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)


def test_pdf_has_one_h1_and_headings_in_order(reference_note):
    item = reference_note.items[1].item
    item.narrative = "# A heading in the narrative\n\nText.\n\n## And a lower one\n\nMore."
    html = note_html(note=reference_note, signature=CHIEF_EXECUTIVE, draft=False)
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", html)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(later <= earlier + 1 for earlier, later in itertools.pairwise(levels))

    pdf = render_note_pdf(note=reference_note, signature=CHIEF_EXECUTIVE, draft=False)
    tags = [element["/S"] for element in _struct_elements(pdf)]
    assert tags.count("/H1") == 1
    assert "/H4" in tags  # the narrative's own heading, under its item's H3


def test_every_image_has_alternative_text(reference_note):
    html = note_html(note=reference_note, signature=CHIEF_EXECUTIVE, draft=False)
    images = re.findall(r"<img\b[^>]*>", html)
    assert images and all(re.search(r'\balt="[^"]+"', image) for image in images)

    pdf = render_note_pdf(note=reference_note, signature=CHIEF_EXECUTIVE, draft=False)
    figures = [element for element in _struct_elements(pdf) if element["/S"] == "/Figure"]
    assert [figure["/Alt"] for figure in figures] == ["Lancashire Constabulary logo"]


def test_pages_are_numbered_page_n_of_m(reference_note):
    pdf = render_note_pdf(note=reference_note, signature=CHIEF_EXECUTIVE, draft=False)
    texts = _page_texts(pdf)
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text


def test_draft_says_draft_on_every_page_and_in_its_text(reference_note):
    pdf = render_note_pdf(note=reference_note, signature=None, draft=True)
    texts = _page_texts(pdf)
    assert len(texts) >= 2
    assert all("DRAFT" in text for text in texts)
    assert "this note has not been signed and may change" in _words(texts[0])
    assert _reader(pdf).metadata.title.startswith("Draft")


def test_signed_render_has_no_draft_marking(reference_note):
    pdf = render_note_pdf(note=reference_note, signature=CHIEF_EXECUTIVE, draft=False)
    assert not any("DRAFT" in text.upper() for text in _page_texts(pdf))


def test_same_note_renders_to_the_same_bytes(reference_note):
    first = render_note_pdf(note=reference_note, signature=CHIEF_EXECUTIVE, draft=False)
    second = render_note_pdf(note=reference_note, signature=CHIEF_EXECUTIVE, draft=False)
    assert first == second
    assert render_note_pdf(note=reference_note, signature=None, draft=True) == render_note_pdf(
        note=reference_note, signature=None, draft=True
    )


def test_rendering_a_note_runs_no_queries(reference_note, django_assert_num_queries):
    with django_assert_num_queries(0):
        render_note_pdf(note=reference_note, signature=CHIEF_EXECUTIVE, draft=False)


def test_pdf_dates_are_the_signing_time_and_drafts_have_none(reference_note):
    signed = _reader(render_note_pdf(note=reference_note, signature=CHIEF_EXECUTIVE, draft=False))
    assert signed.metadata.creation_date == SIGNED_AT.astimezone(dt.UTC)
    assert signed.metadata.modification_date == SIGNED_AT.astimezone(dt.UTC)
    draft = _reader(render_note_pdf(note=reference_note, signature=None, draft=True))
    assert draft.metadata.creation_date is None
    assert draft.metadata.modification_date is None


def test_pdf_identifier_is_the_same_for_every_render_of_a_meeting(reference_note, db):
    signed = render_note_pdf(note=reference_note, signature=CHIEF_EXECUTIVE, draft=False)
    draft = render_note_pdf(note=reference_note, signature=None, draft=True)
    other = meeting_note(meeting=MeetingFactory())
    other_pdf = render_note_pdf(note=other, signature=None, draft=True)
    first_id = _reader(signed).trailer["/ID"][0]
    assert _reader(draft).trailer["/ID"][0] == first_id
    assert _reader(other_pdf).trailer["/ID"][0] != first_id


def test_restricted_item_shows_its_exemption_but_not_its_content(db):
    item = AgendaItemFactory(
        title="Complaint against an officer",
        narrative="Officer Y was named in the complaint.",
        assurance_statement="The Commissioner was assured about Officer Y.",
        is_restricted=True,
        exemption="s.40 personal information",
    )
    DecisionFactory(item=item, text="RESOLVED: That Officer Y be moved.")
    AgendaItemFactory(meeting=item.meeting, title="Open item", narrative="Open discussion.")
    pdf = render_note_pdf(note=meeting_note(meeting=item.meeting), signature=None, draft=True)
    text = _words(" ".join(_page_texts(pdf)))
    assert "Complaint against an officer" in text
    assert "s.40 personal information" in text
    assert "Open discussion." in text
    assert "Officer Y" not in text


def test_script_in_narrative_is_harmless(db):
    item = AgendaItemFactory(
        narrative='Before.\n\n<script>alert("pwned")</script>\n\n'
        '<img src="file:///etc/passwd" onerror="alert(1)"> After. '
        '<link rel="stylesheet" href="http://example.com/evil.css">'
    )
    note = meeting_note(meeting=item.meeting)
    html = note_html(note=note, signature=None, draft=True)
    assert "<script" not in html
    assert "file:///etc/passwd" not in html
    assert "example.com" not in html
    text = _words(" ".join(_page_texts(render_note_pdf(note=note, signature=None, draft=True))))
    assert "Before." in text and "After." in text
    assert "alert" not in text


def test_comparison_and_exception_reports_are_rendered_when_given(reference_note):
    chart = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50" viewBox="0 0 200 50">'
        '<title>Chart</title><rect x="0" y="0" width="150" height="20" fill="#a4001d"/></svg>'
    )
    comparison = {
        "title": "Crimes per 1,000 population, 12 months ending October 2013",
        "force": "Lancashire",
        "group": "Most similar group",
        "red_heading": "Worst 10%",
        "rows": [
            {
                "category": "Other sexual offences",
                "count": "12,345",
                "force_rate": "0.95",
                "group_rate": "0.80",
                "against": "Significantly higher",
                "group_rank": "8 of 8",
                "national_rank": "40 of 43",
                "change": "+1,234 (+12.0%)",
                "is_red": True,
            },
            {"category": "Non-domestic burglary", "force_rate": "5.10", "is_red": False},
        ],
        "notes": ["Red: the worst 10% of the 43 forces (highest rates)."],
        "charts": [
            {
                "category": "Other sexual offences",
                "svg": chart,
                "alt": "Lancashire's rate of other sexual offences against its group",
            }
        ],
    }
    reports = [
        {
            "category": "Non domestic serious violent crime",
            "history": "Red at the September meeting and still red in December",
            "figures": [{"label": "Rate per 1,000", "value": "0.61"}],
            "concern": "The Commissioner was concerned about NDSVC.",
            "explanation": "Alcohol had a significant impact.",
            "action_plans": [
                {
                    "name": "Operation Vanquish",
                    "description": "The Constabulary has been implementing an action plan.",
                    "aims": _reference_aims()[:3],
                }
            ],
            "outcome": "Partly assured",
        }
    ]
    pdf = render_note_pdf(
        note=reference_note,
        signature=CHIEF_EXECUTIVE,
        draft=False,
        comparison=comparison,
        exception_reports=reports,
    )
    text = _words(" ".join(_page_texts(pdf)))
    _assert_in_order(
        text,
        [
            "PERFORMANCE AGAINST MOST SIMILAR FORCES",
            "Other sexual offences 12,345 0.95 0.80 Significantly higher 8 of 8 40 of 43 "
            "+1,234 (+12.0%) ▲ Worst 10%",
            "Non-domestic burglary – 5.10 – – – – – No",
            "EXCEPTION REPORTS",
            "Non domestic serious violent crime",
            "Red at the September meeting and still red in December",
            "Operation Vanquish",
            *_reference_aims()[:3],
            "Partly assured",
            "MIRANDA CARRUTHERS-WATT",
        ],
    )
    elements = _struct_elements(pdf)
    tags = [element["/S"] for element in elements]
    assert "/Table" in tags and "/TH" in tags
    alts = [element.get("/Alt") for element in elements if element["/S"] == "/Figure"]
    assert comparison["charts"][0]["alt"] in alts


def test_url_fetcher_serves_the_portals_static_files():
    response = StaticFilesURLFetcher().fetch(f"{STATIC_BASE}css/print.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_url_fetcher_decodes_data_urls_in_memory():
    assert StaticFilesURLFetcher().fetch("data:text/plain;base64,Tm90ZQ==").read() == b"Note"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///work/main/static/css/print.css",
        "http://example.com/logo.png",
        "https://example.com/static/css/print.css",
        "http://169.254.169.254/latest/meta-data/",
        "ftp://example.com/logo.png",
        f"{STATIC_BASE}../../etc/passwd",
        f"{STATIC_BASE}css/%2e%2e/%2e%2e/scrutiny/settings.py",
        f"{STATIC_BASE}/etc/passwd",
    ],
)
def test_url_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError, match="Refused"):
        StaticFilesURLFetcher().fetch(url)


def test_static_names_are_plain_paths_under_static():
    assert static_name(f"{STATIC_BASE}img/logo.svg") == "img/logo.svg"
    assert static_name(f"{STATIC_BASE}img/./logo.svg") is None
    assert static_name(f"{STATIC_BASE}img%5Clogo.svg") is None


def test_url_fetcher_stops_the_render_for_a_missing_stylesheet_only():
    fetcher = StaticFilesURLFetcher()
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(f"{STATIC_BASE}css/no-such-sheet.css")
    with pytest.raises(FileNotFoundError):
        fetcher.fetch(f"{STATIC_BASE}img/no-such-image.png")


def test_a_logo_outside_static_is_not_fetched(
    reference_note, settings, caplog, allow_weasyprint_errors
):
    settings.ORGANISATION_LOGO = "../../../../etc/passwd"
    pdf = render_note_pdf(note=reference_note, signature=None, draft=True)
    assert pdf.startswith(b"%PDF-")
    assert any(
        record.name == "weasyprint" and "Refused" in record.getMessage()
        for record in caplog.records
    )


def test_note_pdf_command_writes_a_draft_of_the_note(reference_note, tmp_path):
    target = tmp_path / "note.pdf"
    out = io.StringIO()
    call_command("note_pdf", str(reference_note.meeting.pk), "-o", str(target), stdout=out)
    pdf = target.read_bytes()
    assert all("DRAFT" in text for text in _page_texts(pdf))
    assert str(target) in out.getvalue()


def test_note_pdf_command_refuses_an_unknown_meeting(db, tmp_path):
    with pytest.raises(CommandError, match="No meeting with id 999"):
        call_command("note_pdf", "999", "-o", str(tmp_path / "note.pdf"))


def test_a_missing_stylesheet_stops_the_render_with_an_ordinary_exception(
    reference_note, monkeypatch
):
    monkeypatch.setattr("meetings.pdf._read_static", lambda name: None)
    with pytest.raises(NoteRenderingError, match=r"print\.css"):
        render_note_pdf(note=reference_note, signature=None, draft=True)


# A body's own style --------------------------------------------------------------------------


@pytest.fixture
def board_note(db, staff) -> MeetingNote:
    from tests.factories import executive_board_meetings

    _, march = executive_board_meetings(staff)
    return meeting_note(meeting=march)


def test_a_board_prints_its_minutes_in_its_own_style(board_note):
    pdf = render_note_pdf(note=board_note, signature=CHIEF_EXECUTIVE, draft=False)
    text = _words(" ".join(_page_texts(pdf)))
    _assert_in_order(
        text,
        [
            "EXECUTIVE BOARD TUESDAY, 11 MARCH 2014 COUNTY HALL, PRESTON",
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
            "15. Apologies",
            "16. Minutes of the previous meeting",
            "17. Action log",
            "The minutes of the meeting held on Tuesday, 14 January 2014: not approved (to be "
            "resubmitted).",
            "Minute 13 to be redrafted.",
            "ACTIONS",
            "1 Circulate the budget timetable.",
            "Chief Constable Steve Finnigan",
            "Steve Southworth (SS), Miranda Carruthers-Watt (MCW)",
            "30 April 2014",
            "MIRANDA CARRUTHERS-WATT",
        ],
    )
    assert "COMMENCING" not in text and " am " not in text and " pm " not in text
    assert "–" not in text.split("IN THE CHAIR")[1].split("15. Apologies")[0]  # no dashes
    assert "secret lease" not in text  # raised under a restricted item
    assert _reader(pdf).metadata.title == "Minutes of the Executive Board, 11 March 2014"


def test_a_board_without_a_start_time_says_no_time_in_the_pdf_description(board_note):
    html = note_html(note=board_note, signature=None, draft=True)
    description = re.search(r'<meta name="description" content="([^"]+)"', html).group(1)
    assert (
        description
        == "Minutes of the Executive Board, 11 March 2014, held in County Hall, Preston."
    )
    assert "these minutes have not been signed and may change" in html


def test_an_attendee_without_a_role_prints_no_dash_in_the_pdf(db):
    from tests.factories import AttendanceFactory

    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, person__name="Larry Weir", role="")
    AttendanceFactory(meeting=meeting, person__name="Paul Wilson", role="Superintendent")
    html = note_html(note=meeting_note(meeting=meeting), signature=None, draft=True)
    assert '<li><span class="name">Larry Weir</span></li>' in html
    assert '<span class="name">Paul Wilson</span><span class="sep">–</span>' in html


def test_rendering_a_board_note_with_its_actions_runs_no_queries(
    board_note, django_assert_num_queries
):
    with django_assert_num_queries(0):
        render_note_pdf(note=board_note, signature=CHIEF_EXECUTIVE, draft=False)


# Typesetting found wrong with real notes ------------------------------------------------------


def _lines(pdf: bytes) -> list[tuple[int, float, str]]:
    """Each run of text with its page and the height of its baseline (points from the top)."""
    runs = []
    for number, page in enumerate(_reader(pdf).pages, start=1):
        height = float(page.mediabox.height)

        def visit(text, cm, tm, font, size, number=number, height=height):
            if text.strip():
                y = cm[3] * tm[5] + cm[5]
                runs.append((number, round(height - y, 1), text.strip()))

        page.extract_text(visitor_text=visit)
    return runs


def _note_of(db_meeting) -> bytes:
    return render_note_pdf(
        note=meeting_note(meeting=db_meeting),
        signature=CHIEF_EXECUTIVE,
        draft=False,
    )


def test_a_numbered_point_of_several_paragraphs_keeps_its_number_with_the_first(db):
    from tests.factories import AgendaItemFactory

    item = AgendaItemFactory(
        narrative="The force set out its plan.\n\n"
        "1. Reduce vulnerability through early intervention.\n\n"
        "    This first aim has a second paragraph of its own.\n\n"
        "2. Pursue offenders.\n"
    )
    runs = _lines(_note_of(item.meeting))
    [(page, number_y)] = [(p, y) for p, y, text in runs if text.startswith("1.")]
    first = next((p, y) for p, y, text in runs if "Reduce vulnerability" in text)
    assert first == (page, number_y)


def test_the_signature_never_stands_alone_on_a_page(db):
    from tests.factories import AgendaItemFactory, MeetingFactory

    meeting = MeetingFactory()
    # Notes of these lengths end at the foot of their second page, where the signature block
    # used to be pushed alone onto a page of its own.
    for paragraphs in range(54, 62):
        item = AgendaItemFactory(
            meeting=meeting, narrative="\n\n".join(["A line of the note."] * paragraphs)
        )
        runs = _lines(_note_of(meeting))
        item.delete()
        signature_page = next(p for p, _, text in runs if text == CHIEF_EXECUTIVE.name.upper())
        first_on_page = next(text for p, _, text in runs if p == signature_page)
        assert first_on_page == "A line of the note.", (
            f"With {paragraphs} paragraphs the signature stands alone on page {signature_page}."
        )


def test_an_attendee_without_a_role_has_no_dangling_dash(db):
    from tests.factories import AttendanceFactory

    attendance = AttendanceFactory(person__name="Jo Bloggs", role="")
    text = _words(" ".join(_page_texts(_note_of(attendance.meeting))))
    assert "Jo Bloggs" in text
    assert "Jo Bloggs –" not in text and "Jo Bloggs -" not in text


# The signed reference note ---------------------------------------------------------------------


@pytest.fixture
def signed_reference(national, db, settings):
    """The meeting of 23 December 2013 reconciled, signed and published as its note was."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    meeting, _ = demo.load_reference_meeting()
    demo.load_demo_users()
    demo.load_reference_scrutiny(meeting)
    with TestCase.captureOnCommitCallbacks(execute=True):
        demo.publish_reference_meeting(meeting)
    meeting.refresh_from_db()
    with meeting.pdf.open("rb") as stored:
        return meeting, stored.read()


def test_the_signed_reference_note_passes_the_pdf_ua_checker(signed_reference, tmp_path):
    from pdfua import validate

    _, pdf = signed_reference
    path = tmp_path / "note.pdf"
    path.write_bytes(pdf)
    report = validate(str(path))
    assert [(f.rule_id, f.message) for f in report.findings] == []


def test_every_table_header_of_the_signed_note_has_its_scope(signed_reference):
    _, pdf = signed_reference
    headers = [element for element in _struct_elements(pdf) if element["/S"] == "/TH"]
    assert len(headers) > 20
    scopes = {str(element["/A"]["/Scope"]) for element in headers}
    assert scopes == {"/Column", "/Row"}


def test_the_signed_note_has_a_chart_for_each_reported_and_each_red_category(signed_reference):
    meeting, pdf = signed_reference
    frozen = meeting.comparison.comparison
    reported = set(
        meeting.exception_reports.filter(status="accepted").values_list("category_slug", flat=True)
    )
    charted = {
        row.category_name
        for row in frozen.rows
        if row.is_complete and (row.is_red or row.category_slug in reported)
    }
    alts = [str(element.get("/Alt", "")) for element in _struct_elements(pdf)]
    figures = [element for element in _struct_elements(pdf) if element["/S"] == "/Figure"]
    assert len(figures) >= len(charted) + 1  # the logo, and a chart per category
    text = _words(" ".join(_page_texts(pdf)))
    for name in charted:
        assert f"{name}: Lancashire and its group".replace(" ", "") in text.replace(" ", "")
    assert all(alt for alt in alts if alt)


def test_every_red_row_of_the_signed_note_is_accounted_for(signed_reference):
    meeting, pdf = signed_reference
    text = _words(" ".join(_page_texts(pdf)))
    red = [row for row in meeting.comparison.comparison.rows if row.is_red]
    assert red
    for row in red:
        at = text.index(row.category_name)
        line = text[at : at + 200]
        assert "See exception report" in line or "Not reported: Not discussed" in line, line
    assert "Performance against the computed peer group".upper() in text.upper()
    assert "the latest complete quarter before October 2013" in text
    assert "mid-2013 estimates" in text
    assert "19 October 2023" in text
