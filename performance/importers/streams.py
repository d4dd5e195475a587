"""Files given to an import, read as streams: gzip and zip expanded as they are read, within
limits, so that neither a large file nor a decompression bomb is ever held in memory.

The limits (settings, documented in the README):

- ``IMPORT_MAX_EXPANDED_BYTES``: the bytes a file given to an import may expand to, all the
  entries of a zip together (a plain file counts its own size);
- ``IMPORT_MAX_COMPRESSION_RATIO``: how many times its compressed size a file may expand to,
  judged once more than ``RATIO_FLOOR`` bytes have come out (small files have large headers);
- ``IMPORT_MAX_ZIP_ENTRIES``: entries in a zip, read from its end record before its directory
  is parsed; the directory may be at most ``DIRECTORY_BYTES_PER_ENTRY`` bytes per entry;
- ``IMPORT_MAX_LINE_LENGTH``: characters in one line of text.

Zip entries must be stored or deflated (what every spreadsheet and police.uk write): other
methods (bzip2, LZMA) allocate their own buffers, up to what the entry asks for, before a byte
is counted. A file over a limit raises ``StreamProblem`` naming the file and the limit; it is
also what a damaged gzip or zip raises, whenever the damage is reached.
"""

from __future__ import annotations

import codecs
import gzip
import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
RATIO_FLOOR = 2**20
DIRECTORY_BYTES_PER_ENTRY = 1024
CHUNK = 256 * 1024
READABLE_ZIP_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
# What zipfile raises for a damaged archive or a feature it does not read.
UNREADABLE_ZIP = (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError)


@dataclass(frozen=True)
class ExpansionLimits:
    expanded_bytes: int
    ratio: float
    entries: int
    line_length: int

    @classmethod
    def from_settings(cls) -> ExpansionLimits:
        return cls(
            expanded_bytes=settings.IMPORT_MAX_EXPANDED_BYTES,
            ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
            entries=settings.IMPORT_MAX_ZIP_ENTRIES,
            line_length=settings.IMPORT_MAX_LINE_LENGTH,
        )


class StreamProblem(Exception):
    """A file cannot be read: over a limit, or damaged. ``file`` is the file given; ``line``
    the line reached, when a line is to blame."""

    def __init__(self, file: str, reason: str, *, line: int | None = None):
        self.file, self.reason, self.line = file, reason, line
        super().__init__(f"{file}: {reason}")


def _size(number: int) -> str:
    return f"{number:,} bytes"


class _Budget:
    """What one file given to an import may still expand to (every entry of a zip draws on
    the same budget)."""

    def __init__(self, name: str, limits: ExpansionLimits, *, compressed: bool):
        self.name, self.limits, self.compressed = name, limits, compressed
        self.expanded = 0

    def spend(self, count: int, *, consumed: int) -> None:
        self.expanded += count
        limits = self.limits
        if self.expanded > limits.expanded_bytes:
            raise StreamProblem(
                self.name,
                f"expands to more than {_size(limits.expanded_bytes)}, the most an import reads "
                "from one file (IMPORT_MAX_EXPANDED_BYTES)",
            )
        if (
            self.compressed
            and self.expanded > RATIO_FLOOR
            and self.expanded > limits.ratio * max(consumed, 1)
        ):
            raise StreamProblem(
                self.name,
                f"expands to more than {limits.ratio:g} times its compressed size "
                "(IMPORT_MAX_COMPRESSION_RATIO): refused as a possible decompression bomb",
            )


class _CountedReader(io.RawIOBase):
    """The bytes of ``source`` (a file or a decompressing stream), counted against the budget
    as they are read; ``consumed`` says how much of the compressed file has been read so far.
    Damage found while reading is reported as a StreamProblem."""

    def __init__(
        self,
        source: BinaryIO,
        *,
        budget: _Budget,
        consumed: Callable[[], int],
        damaged: str,
    ):
        super().__init__()
        self._source = source
        self._budget = budget
        self._consumed = consumed
        self._damaged = damaged

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._source.read(len(buffer))
        except (*UNREADABLE_ZIP, zlib.error) as error:
            raise StreamProblem(self._budget.name, f"{self._damaged} ({error})") from error
        count = len(data)
        buffer[:count] = data
        self._budget.spend(count, consumed=self._consumed())
        return count


@dataclass
class PlainFile:
    """One plain file an import reads: a file given as it is, gunzipped, or a zip entry."""

    name: str
    given: str  # the name of the file given to the import
    stream: BinaryIO
    line_length: int

    def lines(self) -> Iterator[str]:
        """The file's text line by line (line endings kept, as the csv module wants them).

        UTF-8, with or without a byte-order mark; bytes that are not UTF-8 are read as
        Windows-1252, what spreadsheets on Windows write. A line longer than the limit raises
        StreamProblem before more of it is read.
        """
        text = io.TextIOWrapper(self.stream, encoding="utf-8-sig", errors=_FALLBACK, newline="")
        text._CHUNK_SIZE = CHUNK  # read in large pieces, not 8 KB at a time
        limit = self.line_length
        number = 0
        readline = text.readline
        while line := readline(limit + 2):
            number += 1
            if len(line) > limit and len(line.rstrip("\r\n")) > limit:
                raise StreamProblem(
                    self.name,
                    f"line {number} is longer than {limit:,} characters (IMPORT_MAX_LINE_LENGTH)",
                    line=number,
                )
            yield line


_FALLBACK = "scrutiny-windows-1252"


def _windows_1252(error: UnicodeDecodeError) -> tuple[str, int]:
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error(_FALLBACK, _windows_1252)


def _end_record(raw: BinaryIO, name: str) -> tuple[int, int]:
    """A zip's number of entries and the size of its directory, from its end record (and the
    zip64 end record when there is one), without parsing the directory."""
    raw.seek(0, io.SEEK_END)
    size = raw.tell()
    tail_size = min(size, 22 + 0xFFFF)
    raw.seek(size - tail_size)
    tail = raw.read(tail_size)
    at = tail.rfind(EMPTY_ZIP_MAGIC)
    if at < 0 or len(tail) - at < 22:
        raise StreamProblem(name, "not a readable zip file (no end of central directory)")
    *_, entries, directory, _, _ = struct.unpack("<4s4H2LH", tail[at : at + 22])
    if entries == 0xFFFF or directory == 0xFFFFFFFF:
        locator = tail[at - 20 : at] if at >= 20 else b""
        if locator[:4] == b"PK\x06\x07":
            _, _, record_at, _ = struct.unpack("<4sLQL", locator)
            raw.seek(record_at)
            record = raw.read(56)
            if len(record) == 56 and record[:4] == b"PK\x06\x06":
                *_, entries, directory, _ = struct.unpack("<4sQ2H2L4Q", record)
    return entries, directory


def _check_zip(raw: BinaryIO, name: str, limits: ExpansionLimits) -> None:
    entries, directory = _end_record(raw, name)
    if entries > limits.entries:
        raise StreamProblem(
            name,
            f"holds {entries:,} entries, more than the {limits.entries:,} a zip may hold "
            "(IMPORT_MAX_ZIP_ENTRIES)",
        )
    if directory > max(limits.entries, 1) * DIRECTORY_BYTES_PER_ENTRY:
        raise StreamProblem(
            name,
            f"its directory is {_size(directory)}, more than {limits.entries:,} entries "
            f"(IMPORT_MAX_ZIP_ENTRIES) of up to {DIRECTORY_BYTES_PER_ENTRY:,} bytes each",
        )
    raw.seek(0)


def _check_entry(info: zipfile.ZipInfo, name: str, limits: ExpansionLimits) -> None:
    """What an entry says of itself: refused before it is read when that is already too much."""
    if info.flag_bits & 0x1:
        raise StreamProblem(name, f"{info.filename} is encrypted")
    if info.compress_type not in READABLE_ZIP_METHODS:
        raise StreamProblem(
            name,
            f"{info.filename} is compressed with method {info.compress_type}; entries must be "
            "stored or compressed with deflate",
        )
    if info.file_size > limits.expanded_bytes:
        raise StreamProblem(
            name,
            f"{info.filename} expands to {_size(info.file_size)}, more than "
            f"{_size(limits.expanded_bytes)} (IMPORT_MAX_EXPANDED_BYTES)",
        )
    if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(info.compress_size, 1):
        raise StreamProblem(
            name,
            f"{info.filename} expands to more than {limits.ratio:g} times its compressed size "
            "(IMPORT_MAX_COMPRESSION_RATIO): refused as a possible decompression bomb",
        )


@contextmanager
def _buffered(reader: _CountedReader) -> Iterator[BinaryIO]:
    with io.BufferedReader(reader, buffer_size=CHUNK) as buffered:
        yield buffered


def plain_files(
    name: str,
    open_file: Callable[[], BinaryIO],
    *,
    limits: ExpansionLimits,
    wanted: Callable[[str], bool] = lambda entry: True,
) -> Iterator[PlainFile]:
    """The plain files in a file given to an import, one at a time, each open while the
    caller handles it: the file itself, the file gunzipped, or the ``wanted`` entries of a zip.
    """
    with ExitStack() as stack:
        try:
            raw = stack.enter_context(open_file())
        except OSError as error:
            raise StreamProblem(name, f"cannot be read ({error.strerror or error})") from error
        magic = raw.read(4)
        raw.seek(0)
        if magic[:2] == GZIP_MAGIC:
            budget = _Budget(name, limits, compressed=True)
            expanded = stack.enter_context(gzip.GzipFile(fileobj=raw, mode="rb"))
            reader = _CountedReader(
                expanded, budget=budget, consumed=raw.tell, damaged="not a readable gzip file"
            )
            plain = name[:-3] if name.lower().endswith(".gz") else name
            with _buffered(reader) as stream:
                yield PlainFile(plain, name, stream, limits.line_length)
        elif magic in (ZIP_MAGIC, EMPTY_ZIP_MAGIC):
            _check_zip(raw, name, limits)
            try:
                archive = stack.enter_context(zipfile.ZipFile(raw))
            except UNREADABLE_ZIP as error:
                raise StreamProblem(name, f"not a readable zip file ({error})") from error
            budget = _Budget(name, limits, compressed=True)
            for info in archive.infolist():
                if info.is_dir() or not wanted(info.filename):
                    continue
                _check_entry(info, name, limits)
                try:
                    entry = archive.open(info)
                except (
                    zipfile.BadZipFile,
                    OSError,
                    EOFError,
                    ValueError,
                    NotImplementedError,
                ) as error:
                    raise StreamProblem(
                        name, f"{info.filename} is not readable ({error})"
                    ) from error
                reader = _CountedReader(
                    entry,
                    budget=budget,
                    consumed=raw.tell,
                    damaged=f"{info.filename} is damaged",
                )
                with entry, _buffered(reader) as stream:
                    yield PlainFile(info.filename, name, stream, limits.line_length)
        else:
            budget = _Budget(name, limits, compressed=False)
            reader = _CountedReader(raw, budget=budget, consumed=raw.tell, damaged="unreadable")
            with _buffered(reader) as stream:
                yield PlainFile(name, name, stream, limits.line_length)


class LimitedZip:
    """A zip archive read within the limits, entry by entry, whole (the archive of
    ``import_archive``): its directory checked before it is parsed, each entry's method and
    sizes checked before it is read, every byte read counted against one budget."""

    def __init__(self, raw: BinaryIO, name: str, limits: ExpansionLimits):
        self.name, self.limits, self._raw = name, limits, raw
        _check_zip(raw, name, limits)
        try:
            self._archive = zipfile.ZipFile(raw)
        except UNREADABLE_ZIP as error:
            raise StreamProblem(name, f"not a readable zip file ({error})") from error
        self._budget = _Budget(name, limits, compressed=True)

    def __enter__(self) -> LimitedZip:
        return self

    def __exit__(self, *exc) -> None:
        self._archive.close()

    def read(self, entry: str) -> bytes:
        """The entry's bytes; KeyError when the archive has no such entry."""
        info = self._archive.getinfo(entry)
        _check_entry(info, self.name, self.limits)
        try:
            opened = self._archive.open(info)
        except UNREADABLE_ZIP as error:
            raise StreamProblem(self.name, f"{entry} is not readable ({error})") from error
        reader = _CountedReader(
            opened, budget=self._budget, consumed=self._raw.tell, damaged=f"{entry} is damaged"
        )
        with opened, _buffered(reader) as stream:
            return stream.read()
