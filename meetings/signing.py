"""Digital signatures on the PDF note (PAdES B-B, with pyHanko), and checking them.

The organisation certifies the note it publishes: one invisible certification signature that
allows no later changes, appended as an incremental update so the rendered bytes stay a prefix
of the signed file. The signature field is hidden and named (/TU), which keeps the note PDF/UA.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from asn1crypto import x509
from cryptography import x509 as pyca_x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.decode_limits import DecodeLimits, DocumentDecodeBudget, StreamDecodeLimits
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import InvisSigSettings, MDPPerm, SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, Signer, SimpleSigner
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

FIELD_NAME = "OPCCSignature"
READABLE_FIELD_NAME = "Digital signature of the organisation that published this note"


def organisation_signer() -> Signer | None:
    """The organisation's signer from settings, or None when no certificate is configured.

    A configured certificate that cannot be loaded (missing file, wrong passphrase) is an
    error, not a silent fall-back to unsigned notes.
    """
    p12_path = settings.SIGNING_P12
    if not p12_path:
        return None
    passphrase = None
    if settings.SIGNING_PASSPHRASE_FILE:
        try:
            passphrase = Path(settings.SIGNING_PASSPHRASE_FILE).read_bytes().rstrip(b"\r\n")
        except OSError as error:
            raise ImproperlyConfigured(
                f"Cannot read the signing passphrase file {settings.SIGNING_PASSPHRASE_FILE}: "
                f"{error.strerror}"
            ) from error
    try:
        p12 = Path(p12_path).read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(
            f"Cannot read the signing certificate {p12_path}: {error.strerror}"
        ) from error
    try:
        return SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=passphrase or None)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"Cannot load the signing certificate {p12_path}: not a PKCS#12 file, "
            "or the passphrase is wrong."
        ) from error


def signature_reason(*, name: str, title: str) -> str:
    """The signature's reason, from ``SIGNING_REASON`` with the signatory's name and title."""
    return settings.SIGNING_REASON.replace("{name}", name).replace("{title}", title)


def signature_location() -> str:
    return settings.SIGNING_LOCATION or settings.ORGANISATION_NAME


def sign_pdf(pdf: bytes, *, signer: Signer, reason: str, location: str) -> bytes:
    """``pdf`` with the organisation's PAdES B-B certification signature appended."""
    metadata = PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    field = SigFieldSpec(
        sig_field_name=FIELD_NAME,
        readable_field_name=READABLE_FIELD_NAME,
        # PDF/UA needs an untagged widget hidden; PDF/A would want the print flag instead.
        invis_sig_settings=InvisSigSettings(
            set_print_flag=False, set_hidden_flag=True, box_out_of_bounds=True
        ),
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    output = PdfSigner(metadata, signer=signer, new_field_spec=field).sign_pdf(writer)
    return output.getvalue()


@dataclass
class SignatureCheck:
    """What a reader needs to know about a PDF's digital signature.

    Each flag implies the one before: ``intact`` (the signed bytes are unchanged), ``valid``
    (the signature is cryptographically sound and nothing was added after it), ``trusted``
    (the signer's certificate chains to one of the trust roots).
    """

    present: bool
    intact: bool
    valid: bool
    trusted: bool
    signer: str
    signed_at: datetime | None
    summary: str


def check_signature(
    pdf: bytes,
    *,
    trust_roots: list | None = None,
    max_signatures: int | None = None,
    max_revisions: int | None = None,
    max_decoded_bytes: int | None = None,
) -> SignatureCheck:
    """Check the digital signature(s) of ``pdf``; never raises, whatever the bytes are.

    ``trust_roots`` are certificates (asn1crypto or cryptography objects, PEM/DER bytes, or
    paths to PEM/DER files); by default those of ``settings.SIGNING_TRUST_ROOTS``. For files
    from anyone, the work is bounded: a file with more than ``max_signatures`` signatures or
    ``max_revisions`` revisions (incremental updates) is reported as such and not validated,
    and pyHanko decodes no more than ``max_decoded_bytes`` of compressed streams in all.
    """
    try:
        reader = PdfFileReader(BytesIO(pdf), decode_limits=_decode_limits(max_decoded_bytes))
        if max_revisions is not None and reader.total_revisions > max_revisions:
            return unchecked(
                f"This PDF has {reader.total_revisions} revisions (a published note has at most "
                f"{max_revisions}): its signature was not checked."
            )
        # Document timestamps (/DocTimeStamp) are not signatures of the note.
        signatures = [sig for sig in reader.embedded_signatures if sig.sig_object_type == "/Sig"]
    except Exception:
        logger.info("Could not read a PDF to check its signature", exc_info=True)
        return unchecked("This file could not be read as a PDF.")
    if not signatures:
        return unchecked("This PDF has no digital signature.")
    if max_signatures is not None and len(signatures) > max_signatures:
        return unchecked(
            f"This PDF has {len(signatures)} digital signatures (a published note has "
            f"{max_signatures}): they were not checked.",
            present=True,
        )

    roots = _load_roots(settings.SIGNING_TRUST_ROOTS if trust_roots is None else trust_roots)
    checks = [_check_one(signature, roots) for signature in signatures]
    first = checks[0]
    if len(checks) == 1:
        return first
    return SignatureCheck(
        present=True,
        intact=all(check.intact for check in checks),
        valid=all(check.valid for check in checks),
        trusted=all(check.trusted for check in checks),
        signer=first.signer,
        signed_at=first.signed_at,
        summary=f"This PDF has {len(checks)} digital signatures. "
        + " ".join(check.summary for check in checks),
    )


# pyHanko reads a PDF in Python, byte by byte in places: a well-formed file of a few megabytes
# (a long run of spaces before an object, a huge string) can keep it busy for seconds. A file
# from anyone is therefore checked in a child process, killed at the time limit and given a CPU
# and memory ceiling, so that the answer comes in bounded time whatever the file holds.
_CHILD_MEMORY_CEILING = 2 * 1024 * 1024 * 1024


def check_signature_within(
    pdf: bytes, *, seconds: float, trust_roots: list | None = None, **limits
) -> SignatureCheck | None:
    """``check_signature(pdf, **limits)`` in a child process stopped after ``seconds``;
    None when it took longer or failed. Children are forked from a fork server (a small
    process with pyHanko loaded), never from the web server's threaded process."""
    import multiprocessing

    roots = _load_roots(settings.SIGNING_TRUST_ROOTS if trust_roots is None else trust_roots)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_check_in_child,
        args=(sender, pdf, [root.dump() for root in roots], limits, max(1, math.ceil(seconds))),
        daemon=True,
    )
    child.start()
    sender.close()
    try:
        return receiver.recv() if receiver.poll(seconds) else None
    except (EOFError, OSError):
        return None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)


def _check_in_child(connection, pdf: bytes, roots: list[bytes], limits: dict, cpu_seconds: int):
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_AS, (_CHILD_MEMORY_CEILING, _CHILD_MEMORY_CEILING))
    connection.send(check_signature(pdf, trust_roots=roots, **limits))
    connection.close()


def _decode_limits(max_decoded_bytes: int | None) -> DecodeLimits:
    """pyHanko's limits for untrusted files, with the whole document's decoding capped."""
    if max_decoded_bytes is None:
        return DecodeLimits.for_untrusted_input()
    return DecodeLimits(
        per_stream=StreamDecodeLimits(max_output_size=max_decoded_bytes),
        document_budget=DocumentDecodeBudget(base_allowance=max_decoded_bytes, max_ratio=0),
    )


def unchecked(summary: str, *, present: bool = False) -> SignatureCheck:
    """The answer for a signature that is absent, or was not (or could not be) validated."""
    return SignatureCheck(
        present=present,
        intact=False,
        valid=False,
        trusted=False,
        signer="",
        signed_at=None,
        summary=summary,
    )


def _check_one(signature, roots: list[x509.Certificate]) -> SignatureCheck:
    try:
        status = _validate(signature, ValidationContext(trust_roots=roots))
    except Exception:
        logger.info("Could not validate a PDF signature", exc_info=True)
        return unchecked(
            "The PDF has a digital signature, but it is damaged and cannot be checked.",
            present=True,
        )
    signer = _signer_name(status.signing_cert)
    signed_at = status.signer_reported_dt
    intact = bool(status.intact)
    valid = intact and bool(status.valid) and _unmodified(status)
    trusted = valid and bool(status.trusted)
    by = f"signed by {signer}" if signer else "signed"
    when = ""
    if signed_at is not None:
        local = timezone.localtime(signed_at, timezone.get_default_timezone())
        when = f" on {local.day} {local:%B %Y at %H:%M %Z}"
    if not intact:
        summary = f"The PDF was {by}{when}, but it has been changed since: the signature is broken."
    elif not status.valid:
        summary = f"The PDF claims to be {by}{when}, but the signature is not valid."
    elif not valid:
        summary = (
            f"The PDF was {by}{when}, but content was added after signing that the "
            "signature does not allow."
        )
    elif not trusted:
        summary = (
            f"The PDF was {by}{when} and has not been changed since, but the signer's "
            "certificate is not one this portal trusts."
        )
    else:
        summary = (
            f"The PDF was {by}{when}, has not been changed since, and the signer's "
            "certificate is trusted."
        )
    return SignatureCheck(
        present=True,
        intact=intact,
        valid=valid,
        trusted=trusted,
        signer=signer,
        signed_at=signed_at,
        summary=summary,
    )


def _validate(signature, context: ValidationContext):
    """pyHanko's validation, which runs its own event loop: in a thread if one is running here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return validate_pdf_signature(signature, context)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(validate_pdf_signature, signature, context).result()


def _unmodified(status) -> bool:
    """Nothing was appended after signing that the signature's modification policy forbids."""
    if status.modification_level is None:
        return True
    return bool(status.docmdp_ok) and status.seed_value_ok


def _signer_name(cert: x509.Certificate | None) -> str:
    if cert is None:
        return ""
    try:
        subject = cert.subject.native
        return subject.get("common_name") or subject.get("organization_name") or ""
    except Exception:
        return ""


def _load_roots(roots: Iterable) -> list[x509.Certificate]:
    """Trust roots as asn1crypto certificates; unreadable entries are logged and skipped."""
    loaded = []
    for root in roots or ():
        try:
            if isinstance(root, x509.Certificate):
                loaded.append(root)
            elif isinstance(root, pyca_x509.Certificate):
                loaded.append(x509.Certificate.load(root.public_bytes(Encoding.DER)))
            elif isinstance(root, bytes):
                loaded.append(_cert_from_bytes(root))
            else:
                loaded.append(load_cert_from_pemder(str(root)))
        except Exception:
            logger.error("Could not load the signature trust root %r", root, exc_info=True)
    return loaded


def _cert_from_bytes(data: bytes) -> x509.Certificate:
    if data.lstrip().startswith(b"-----"):
        return x509.Certificate.load(
            pyca_x509.load_pem_x509_certificate(data).public_bytes(Encoding.DER)
        )
    return x509.Certificate.load(data)
