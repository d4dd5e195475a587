"""The digital signature on the PDF note: PAdES, certifying, invisible, and checked honestly."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from meetings import demo
from meetings.pdf import SignatureBlock, render_note_pdf
from meetings.selectors.note import meeting_note
from meetings.signing import (
    FIELD_NAME,
    check_signature,
    organisation_signer,
    sign_pdf,
)
from tests.pki import LOCATION, REASON, SIGNER_NAME


@pytest.fixture(scope="session")
def unsigned_pdf(django_db_setup, django_db_blocker) -> bytes:
    """The reference note rendered as signed off, once for the session (its rows rolled back)."""
    with django_db_blocker.unblock(), transaction.atomic():
        meeting, _ = demo.load_reference_meeting()
        pdf = render_note_pdf(
            note=meeting_note(meeting=meeting),
            signature=SignatureBlock(
                name="Miranda Carruthers-Watt",
                title="Chief Executive",
                signed_at=dt.datetime(2014, 1, 6, 10, 30, tzinfo=ZoneInfo("Europe/London")),
            ),
            draft=False,
        )
        transaction.set_rollback(True)
    return pdf


@pytest.fixture(scope="session")
def signed_pdf(unsigned_pdf, pki) -> bytes:
    return sign_pdf(unsigned_pdf, signer=pki.signer, reason=REASON, location=LOCATION)


def test_signed_note_is_intact_valid_and_trusted_under_the_organisations_root(signed_pdf, pki):
    check = check_signature(signed_pdf, trust_roots=[pki.root])
    assert (check.present, check.intact, check.valid, check.trusted) == (True, True, True, True)
    assert check.signer == SIGNER_NAME
    assert check.signed_at is not None
    assert abs(check.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(hours=1)
    assert "trusted" in check.summary and SIGNER_NAME in check.summary


def test_signature_is_a_pades_certification_covering_the_whole_file(signed_pdf, pki):
    signatures = PdfFileReader(io.BytesIO(signed_pdf)).embedded_signatures
    assert len(signatures) == 1
    signature = signatures[0]
    assert signature.field_name == FIELD_NAME
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == REASON
    assert signature.sig_object["/Location"] == LOCATION
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[load_cert_from_pemder(pki.root_pem)])
    )
    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.docmdp_ok
    assert signature.docmdp_level is not None and signature.docmdp_level.value == 1  # no changes


def test_signed_bytes_start_with_the_unsigned_bytes(unsigned_pdf, signed_pdf):
    assert len(signed_pdf) > len(unsigned_pdf)
    assert signed_pdf.startswith(unsigned_pdf)


def test_a_flipped_byte_breaks_the_signature(signed_pdf, pki):
    # The second line of the file is a binary comment: changing it keeps the PDF readable.
    position = signed_pdf.index(b"\n") + 2
    tampered = bytearray(signed_pdf)
    tampered[position] ^= 0x01
    check = check_signature(bytes(tampered), trust_roots=[pki.root])
    assert check.present
    assert not check.intact and not check.valid and not check.trusted
    assert "changed" in check.summary


def test_content_changed_in_a_later_update_is_not_valid(signed_pdf, pki):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    check = check_signature(output.getvalue(), trust_roots=[pki.root])
    assert check.present and check.intact
    assert not check.valid and not check.trusted
    assert "added after signing" in check.summary


def test_signature_under_another_root_is_intact_but_not_trusted(signed_pdf, pki):
    check = check_signature(signed_pdf, trust_roots=[pki.other_root])
    assert check.present and check.intact and check.valid
    assert not check.trusted
    assert "not one this portal trusts" in check.summary


def test_no_trust_roots_means_not_trusted(signed_pdf, settings):
    settings.SIGNING_TRUST_ROOTS = []
    check = check_signature(signed_pdf)
    assert check.intact and check.valid and not check.trusted


def test_trust_roots_come_from_settings_by_default(signed_pdf, pki, settings):
    settings.SIGNING_TRUST_ROOTS = [str(pki.root_pem)]
    assert check_signature(signed_pdf).trusted


def test_a_certificate_without_non_repudiation_is_not_trusted(unsigned_pdf, pki):
    signed = sign_pdf(
        unsigned_pdf, signer=pki.signer_without_non_repudiation, reason=REASON, location=""
    )
    check = check_signature(signed, trust_roots=[pki.root])
    assert check.intact and check.valid and not check.trusted


@pytest.mark.parametrize(
    "garbage",
    [b"", b"not a pdf at all", b"%PDF-1.7\n", b"%PDF-1.7\n%%EOF\n", bytes(range(256)) * 40],
    ids=["empty", "text", "header-only", "no-objects", "binary"],
)
def test_garbage_gives_a_clean_result(garbage):
    check = check_signature(garbage, trust_roots=[])
    assert not (check.present or check.intact or check.valid or check.trusted)
    assert check.signer == "" and check.signed_at is None
    assert check.summary


def test_truncated_signed_pdf_gives_a_clean_result(signed_pdf, pki):
    for length in (len(signed_pdf) // 2, len(signed_pdf) - 200, len(signed_pdf) - 5):
        check = check_signature(signed_pdf[:length], trust_roots=[pki.root])
        assert not check.trusted
        assert check.summary


def test_unsigned_pdf_has_no_signature(unsigned_pdf):
    check = check_signature(unsigned_pdf, trust_roots=[])
    assert not check.present and not check.trusted
    assert check.summary == "This PDF has no digital signature."


def test_pdf_ua_markers_survive_signing(signed_pdf):
    reader = pypdf.PdfReader(io.BytesIO(signed_pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Note of the Strategic Scrutiny Meeting, 23 December 2013"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfuaid:part(="1"|>1<)', xmp)
    (field,) = [field.get_object() for field in root["/AcroForm"]["/Fields"]]
    assert field["/FT"] == "/Sig"
    assert field["/F"] & 2  # hidden: an untagged widget must be, for PDF/UA
    assert field["/TU"]


def test_organisation_signer_loads_from_settings(settings, pki, unsigned_pdf):
    settings.SIGNING_P12 = str(pki.p12)
    settings.SIGNING_PASSPHRASE_FILE = str(pki.passphrase_file)
    signer = organisation_signer()
    assert signer is not None
    signed = sign_pdf(unsigned_pdf, signer=signer, reason=REASON, location=LOCATION)
    assert check_signature(signed, trust_roots=[pki.root]).trusted


def test_organisation_signer_is_none_when_not_configured(settings):
    settings.SIGNING_P12 = ""
    assert organisation_signer() is None


def test_organisation_signer_with_a_wrong_passphrase_is_a_configuration_error(
    settings, pki, tmp_path
):
    wrong = tmp_path / "passphrase"
    wrong.write_text("not the passphrase\n")
    settings.SIGNING_P12 = str(pki.p12)
    settings.SIGNING_PASSPHRASE_FILE = str(wrong)
    with pytest.raises(ImproperlyConfigured, match="passphrase is wrong"):
        organisation_signer()


def test_organisation_signer_with_a_missing_file_is_a_configuration_error(settings, tmp_path):
    settings.SIGNING_P12 = str(tmp_path / "missing.p12")
    settings.SIGNING_PASSPHRASE_FILE = ""
    with pytest.raises(ImproperlyConfigured, match="Cannot read the signing certificate"):
        organisation_signer()


def test_signature_can_be_checked_from_async_code(signed_pdf, pki):
    async def check():
        return check_signature(signed_pdf, trust_roots=[pki.root])

    assert asyncio.run(check()).trusted
