"""The PDF note: rendering against WeasyPrint alone, and the stored PDF's download.

1. ``render_note_pdf`` on the reference meeting's note (its data read beforehand, as signing
   does) against WeasyPrint rendering the HTML that ``note_html`` gives for the same note,
   with the same base URL, URL fetcher, font configuration and PDF options. Budget: 1.3×.
2. The public download of the stored PDF through the portal's view against a bare view
   serving a file of the same size from disk with a ``FileResponse``, both through the test
   client and the whole middleware stack. Budget: at least 80% of the baseline's throughput.
"""

from __future__ import annotations

import io
import statistics

from bench.timing import Figure, alternate, median_time, print_figure

RENDER_BUDGET = 1.3
DOWNLOAD_BUDGET = 0.8


def page_count(document: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(document)).pages)


def note_inputs(meeting) -> dict:
    """What ``render_note_pdf`` is given when the note is signed (or previewed, for a draft):
    plain data, read from the database once."""
    from meetings.pdf import SignatureBlock
    from meetings.selectors.exception_reports import note_performance
    from meetings.selectors.note import meeting_note

    signature, created = None, None
    if meeting.signed_at:
        created = meeting.signed_at.replace(microsecond=0)
        signature = SignatureBlock(
            name=meeting.signatory_name, title=meeting.signatory_title, signed_at=created
        )
    return {
        "note": meeting_note(meeting=meeting),
        **note_performance(meeting=meeting),
        "signature": signature,
        "draft": signature is None,
        "created": created,
    }


def bench_render(*, meeting, runs: int) -> Figure:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from meetings import pdf

    inputs = note_inputs(meeting)
    html = pdf.note_html(
        note=inputs["note"],
        signature=inputs["signature"],
        draft=inputs["draft"],
        comparison=inputs["comparison"],
        exception_reports=inputs["exception_reports"],
    )
    font_config = FontConfiguration()
    identifier = pdf.pdf_identifier(meeting.pk)

    def portal() -> bytes:
        return pdf.render_note_pdf(**inputs)

    def weasyprint_alone() -> bytes:
        return HTML(
            string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.StaticFilesURLFetcher()
        ).write_pdf(font_config=font_config, pdf_variant=pdf.PDF_VARIANT, pdf_identifier=identifier)

    def weasyprint_default_fonts() -> bytes:
        return HTML(
            string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.StaticFilesURLFetcher()
        ).write_pdf(pdf_variant=pdf.PDF_VARIANT, pdf_identifier=identifier)

    ours, theirs = portal(), weasyprint_alone()  # warm up both (fonts, templates, static files)
    pages = page_count(ours)
    if pages != page_count(theirs):
        raise AssertionError("The portal and WeasyPrint alone rendered different documents")
    portal_runs, weasyprint_runs = alternate(portal, weasyprint_alone, runs)
    fresh, _ = median_time(weasyprint_default_fonts, 3)
    figure = Figure(
        section="PDF",
        name="note rendering",
        value=statistics.median(portal_runs),
        baseline=statistics.median(weasyprint_runs),
        budget=RENDER_BUDGET,
        notes=[
            f"the reference note of 23 December 2013, signed: {pages} pages, {len(ours):,} "
            "bytes; baseline: the note_html() output through weasyprint.HTML().write_pdf()",
            f"WeasyPrint with a new font configuration per render (its default), for "
            f"reference: {fresh * 1000:,.0f} ms",
        ],
    )
    print()
    print(f"PDF (medians of {runs} runs)")
    print_figure(figure)
    return figure


def bench_download(*, meeting, made: dict, runs: int) -> Figure:
    """Throughput of the stored PDF's public download against a file of the same size."""
    from django.conf import settings
    from django.test import override_settings
    from django.urls import reverse

    from bench.bench_pages import compare, fetch

    size = meeting.pdf.size
    static = settings.MEDIA_ROOT / "bench-static-file.pdf"
    with meeting.pdf.open("rb") as stored:
        static.write_bytes(stored.read())
    client = made["public"]
    url, file_url = reverse("public:note-pdf", args=[meeting.pk]), reverse("bench-file")
    with override_settings(BENCH_STATIC_FILE=static):
        if len(fetch(client, url)) != size or len(fetch(client, file_url)) != size:
            raise AssertionError("The downloads do not have the stored PDF's size")
        portal, bare = compare(
            lambda: fetch(client, url), lambda: fetch(client, file_url), runs=runs
        )
    figure = Figure(
        section="PDF",
        name="stored PDF download",
        value=size / portal / 1e6,
        baseline=size / bare / 1e6,
        budget=DOWNLOAD_BUDGET,
        unit="MB/s",
        higher_is_better=True,
        notes=[
            f"{size:,} bytes, public, anonymous: {portal * 1000:.2f} ms a download against "
            f"{bare * 1000:.2f} ms for a FileResponse of a file of the same size"
        ],
    )
    print_figure(figure)
    return figure
