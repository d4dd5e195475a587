"""Each public note says what it is before the note begins: its meeting (body), its date, and
the signed PDF's size and page count beside the link to it, kept with the PDF's hash."""

import io
import re

import pypdf
import pytest
from django.urls import reverse

from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def _page(client, meeting) -> str:
    return client.get(reverse("public:note-detail", args=[meeting.pk])).content.decode()


def test_the_stored_pdf_keeps_its_page_count_with_its_size(published):
    with published.pdf.open("rb") as stored:
        document = stored.read()
    assert published.pdf_pages == len(pypdf.PdfReader(io.BytesIO(document)).pages) >= 2


def test_the_page_starts_with_body_date_size_pages_and_the_pdf_link(client, published):
    page = _page(client, published)
    summary = page[page.index('class="document-summary') : page.index('id="note-title"')]
    assert "Strategic Scrutiny Meeting" in summary
    assert "Monday, 23 December 2013" in summary
    facts = re.search(r'data-testid="pdf-facts">([^<]*)<', summary).group(1)
    kb = round(published.pdf_size / 1024, 1)
    assert facts == f"PDF, {kb:g}\xa0KB, {published.pdf_pages} pages"
    assert reverse("public:note-pdf", args=[published.pk]) in summary


# The rows are changed as an older installation left them, past the freeze.
def test_a_note_stored_before_sizes_were_kept_says_only_pdf(client, published):
    Meeting._base_manager.filter(pk=published.pk).update(pdf_size=None, pdf_pages=None)
    page = _page(client, published)
    assert 'data-testid="pdf-facts">PDF</dd>' in page


def test_the_list_has_no_stray_separator_without_a_venue(client, published):
    Meeting._base_manager.filter(pk=published.pk).update(venue="")
    page = client.get(reverse("public:note-list")).content.decode()
    entry = page[page.index(f'href="/notes/{published.pk}/"') :]
    entry = entry[: entry.index("</li>")]
    assert "·" not in entry
    assert "PDF" in entry


def test_the_page_reads_no_row_once_seen_and_shows_a_new_revision_at_once(
    client, published, staff, chief_executive
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings.services import sign_off
    from tests.factories import note_published

    first = _page(client, published)
    assert "has been superseded" not in first
    with CaptureQueriesContext(connection) as queries:
        assert _page(client, published) == first
    assert not [q for q in queries if "meetings_meeting" in q["sql"]], queries.captured_queries
    revision = sign_off.note_revise(user=staff, meeting=published)
    note_published(revision, staff=staff, chief_executive=chief_executive)
    assert "has been superseded by a corrected version" in _page(client, published)
    assert client.get(reverse("public:note-detail", args=[987654])).status_code == 404
