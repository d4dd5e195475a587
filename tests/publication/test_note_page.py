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
