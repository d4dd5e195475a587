"""The limits of the public page that checks a PDF (anyone may use it, unsigned in).

- **size**: no larger than the largest published note plus a margin, between a floor and a
  ceiling (``upload_limit``); a request that says it is larger is refused before its body is
  read, and an upload is kept in memory only up to the limit (``LimitedUploadHandler``);
- **rate**: so many checks per client address a minute and an hour (``rate_refusal``; an IPv6
  address counts by its /64 network), in Django's cache;
- **concurrency**: at most so many checks at once per process (``verification_slot``); more
  are refused, not queued;
- **work**: only a file that looks like a whole PDF is given to pyHanko (``pdf_refusal``),
  which then checks at most one signature, a few revisions and a bounded amount of decoded
  data (``meetings.signing.check_signature``), in a child process stopped at a time limit
  (``bounded_signature_check``, ``meetings.signing.check_signature_within``).
"""

from __future__ import annotations

import ipaddress
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from . import selectors as public

# Room for the multipart envelope around the file: boundaries, headers, the CSRF token.
MULTIPART_OVERHEAD = 16 * 1024


def upload_limit() -> int:
    """The largest file the page accepts: the largest published note plus a margin, at least
    ``VERIFY_UPLOAD_FLOOR_BYTES`` and at most ``VERIFY_UPLOAD_CEILING_BYTES``."""
    wanted = public.largest_published_pdf_size() + settings.VERIFY_UPLOAD_MARGIN_BYTES
    return max(
        settings.VERIFY_UPLOAD_FLOOR_BYTES, min(wanted, settings.VERIFY_UPLOAD_CEILING_BYTES)
    )


def declared_too_large(request: HttpRequest, limit: int) -> bool:
    """The request says (Content-Length) it carries more than a file of ``limit`` bytes."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > limit + MULTIPART_OVERHEAD


class LimitedUploadHandler(FileUploadHandler):
    """Keep an uploaded file in memory up to ``limit`` bytes; stop reading the upload beyond
    it (``exceeded`` then says so). Nothing is written to a temporary file."""

    def __init__(self, limit: int, request: HttpRequest | None = None):
        super().__init__(request)
        self.limit = limit
        self.exceeded = False
        self.buffer = BytesIO()
        self.received = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            self.buffer = BytesIO()
            raise StopUpload(connection_reset=True)
        self.buffer.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer,
            self.field_name,
            self.file_name,
            self.content_type,
            file_size,
            self.charset,
            self.content_type_extra,
        )


def client_address(request: HttpRequest) -> str:
    """The client's address as django-axes finds it (``AXES_PROXY_COUNT``), an IPv6 one as its
    /64 network (one household or server has a whole /64 to choose from)."""
    from axes.helpers import get_client_ip_address

    address = get_client_ip_address(request) or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def rate_refusal(request: HttpRequest) -> int | None:
    """Count a check for the client's address; the seconds to wait if it is over its limits
    (``VERIFY_RATE_PER_MINUTE``, ``VERIFY_RATE_PER_HOUR``), else None."""
    address = client_address(request)
    now = time.time()
    for window, limit in (
        (60, settings.VERIFY_RATE_PER_MINUTE),
        (3600, settings.VERIFY_RATE_PER_HOUR),
    ):
        bucket = int(now // window)
        key = f"public:verify-rate:{window}:{bucket}:{address}"
        cache.add(key, 0, timeout=window + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 5)
            count = 1
        if count > limit:
            return max(1, int((bucket + 1) * window - now) + 1)
    return None


class _Slots:
    """A count of the checks running in this process, against ``VERIFY_MAX_CONCURRENT``."""

    def __init__(self):
        self._lock = threading.Lock()
        self.running = 0

    def try_take(self) -> bool:
        with self._lock:
            if self.running >= settings.VERIFY_MAX_CONCURRENT:
                return False
            self.running += 1
            return True

    def give_back(self) -> None:
        with self._lock:
            self.running -= 1


SLOTS = _Slots()


@contextmanager
def verification_slot() -> Iterator[bool]:
    """True (and the slot held) while fewer than ``VERIFY_MAX_CONCURRENT`` checks run here;
    False at once otherwise: a busy server refuses rather than queues."""
    taken = SLOTS.try_take()
    try:
        yield taken
    finally:
        if taken:
            SLOTS.give_back()


_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")


def pdf_refusal(content: bytes) -> str | None:
    """Why ``content`` is not worth giving to pyHanko, or None if it looks like a whole PDF
    of no more revisions and signatures than a published note has (all found by scanning
    the bytes, in time proportional to their length)."""
    if not _HEADER.match(content[:16]):
        return "it does not start as a PDF does"
    tail = content[-1024:]
    if b"%%EOF" not in tail or not _startxref_points_at_a_cross_reference(content):
        return "it does not end as a whole PDF does (it may be cut short)"
    revisions = max(content.count(b"%%EOF"), content.count(b"/Prev") + 1)
    if revisions > settings.VERIFY_MAX_REVISIONS:
        return f"it has been changed {revisions - 1} times since it was made"
    if content.count(b"/ByteRange") > settings.VERIFY_MAX_SIGNATURES:
        return "it has more digital signatures than a published note"
    return None


def _startxref_points_at_a_cross_reference(content: bytes) -> bool:
    """The last ``startxref`` gives the offset of an ``xref`` table or an xref stream object."""
    match = re.search(rb"startxref\s+(\d{1,12})\s+%%EOF\s*$", content[-1024:])
    if match is None:
        return False
    offset = int(match.group(1))
    if offset >= len(content):
        return False
    at = content[offset : offset + 32]
    return at.startswith(b"xref") or re.match(rb"\d+\s+\d+\s+obj", at) is not None


def bounded_signature_check(content: bytes):
    """The signature check with the limits of the settings, stopped after
    ``VERIFY_TIME_LIMIT_SECONDS``; None when it took too long or failed."""
    from meetings import signing

    return signing.check_signature_within(
        content,
        seconds=settings.VERIFY_TIME_LIMIT_SECONDS,
        max_signatures=settings.VERIFY_MAX_SIGNATURES,
        max_revisions=settings.VERIFY_MAX_REVISIONS,
        max_decoded_bytes=settings.VERIFY_MAX_DECODED_BYTES,
    )
