"""Hostile PDFs made for the verification tests: built here from their parts, byte by byte."""

from __future__ import annotations

import functools
import re
import zlib


def _trailer_values(pdf: bytes) -> tuple[int, bytes, int]:
    """The last startxref offset, the /Root reference and the /Size of ``pdf``."""
    startxref = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    root = re.findall(rb"/Root\s+(\d+\s+\d+\s+R)", pdf)[-1]
    size = int(re.findall(rb"/Size\s+(\d+)", pdf)[-1])
    return startxref, root, size


def incremental_updates(pdf: bytes, *, count: int) -> bytes:
    """``pdf`` with ``count`` empty incremental updates appended, each a revision of its own
    (a cross-reference section pointing back to the one before)."""
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    previous, root, size = _trailer_values(pdf)
    for _ in range(count):
        offset = len(out)
        out += (
            b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size %d /Root %s /Prev %d >>\n"
            b"startxref\n%d\n%%%%EOF\n" % (size, root, previous, offset)
        )
        previous = offset
    return bytes(out)


@functools.cache
def object_stream_bomb(*, decoded_size: int) -> bytes:
    """A small PDF whose catalog lies in an object stream that inflates to ``decoded_size``
    bytes: reading the document at all means decompressing it."""
    header = b"2 0 "
    body = b"<< /Type /Catalog >>"
    compressor = zlib.compressobj(9)
    chunks = [compressor.compress(header + body)]
    padding = decoded_size - len(header) - len(body)
    block = b" " * (1024 * 1024)
    while padding > 0:
        piece = block[: min(padding, len(block))]
        chunks.append(compressor.compress(piece))
        padding -= len(piece)
    chunks.append(compressor.flush())
    stream = b"".join(chunks)

    out = bytearray(b"%PDF-1.7\n")
    objstm_offset = len(out)
    out += (
        b"1 0 obj\n<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\nstream\n"
        % (len(header), len(stream))
    )
    out += stream + b"\nendstream\nendobj\n"
    xref_offset = len(out)
    entries = (
        b"\x00\x00\x00\x00\x00\xff\xff"  # object 0: free
        + b"\x01"
        + objstm_offset.to_bytes(4, "big")
        + b"\x00\x00"  # 1: the object stream
        + b"\x02"
        + (1).to_bytes(4, "big")
        + b"\x00\x00"  # 2: the catalog, inside it
        + b"\x01"
        + xref_offset.to_bytes(4, "big")
        + b"\x00\x00"  # 3: this xref stream
    )
    out += b"3 0 obj\n<< /Type /XRef /Size 4 /Root 2 0 R /W [1 4 2] /Length %d >>\nstream\n" % len(
        entries
    )
    out += entries + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def slow_to_parse(*, padding: int = 0, string_length: int = 0) -> bytes:
    """A well-formed, unsigned PDF that pyHanko reads slowly: ``padding`` spaces before its
    catalog, or a hex string of ``string_length`` digits in it."""
    out = bytearray(b"%PDF-1.7\n")
    catalog = len(out)
    out += b" " * padding
    value = b"<" + b"0" * string_length + b">" if string_length else b"null"
    out += b"1 0 obj\n<< /Type /Catalog /X " + value + b" >>\nendobj\n"
    xref = len(out)
    out += (
        b"xref\n0 2\n0000000000 65535 f \n%010d 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\n"
        b"startxref\n%d\n%%%%EOF\n" % (catalog, xref)
    )
    return bytes(out)
