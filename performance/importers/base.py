"""What every importer shares: the uploaded bytes, CSV reading, value parsing, problems.

An import reads the whole file first and collects every problem; only a file without any
problem is applied, in one transaction.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction


@dataclass(frozen=True)
class ImportFile:
    """The name and bytes of one file given to an importer (from disk or an upload)."""

    name: str
    content: bytes

    @classmethod
    def from_path(cls, path: str | Path) -> ImportFile:
        path = Path(path)
        return cls(name=path.name, content=path.read_bytes())


def files_sha256(files: Sequence[ImportFile]) -> str:
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda f: f.name):
        digest.update(hashlib.sha256(file.content).digest())
    return digest.hexdigest()


@dataclass(frozen=True)
class ImportProblem:
    """A reason a file cannot be imported, where it is: file, line, column."""

    line: int | None
    column: str
    reason: str
    value: str = ""
    file: str = ""

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.file,
                f"line {self.line}" if self.line else "",
                f"column {self.column!r}" if self.column else "",
            )
            if part
        )
        value = f" (read {self.value!r})" if self.value else ""
        return f"{where}: {self.reason}{value}"


class ImportRejected(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, problems: Sequence[ImportProblem]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s); nothing was imported.")


@dataclass
class Problems:
    """Collects problems as rows are read."""

    items: list[ImportProblem] = field(default_factory=list)

    def add(
        self, *, line: int | None, column: str, reason: str, value: str = "", file: str = ""
    ) -> None:
        self.items.append(
            ImportProblem(line=line, column=column, reason=reason, value=value[:100], file=file)
        )

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportRejected(self.items)


GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"


def expand(files: Sequence[ImportFile]) -> list[ImportFile]:
    """Gunzip ``.gz`` files and open zip archives, so importers see plain files."""
    plain: list[ImportFile] = []
    for file in files:
        content = file.content
        if content.startswith(GZIP_MAGIC):
            try:
                content = gzip.decompress(content)
            except (OSError, EOFError) as error:
                raise ImportRejected(
                    [ImportProblem(None, "", f"not a readable gzip file ({error})", file=file.name)]
                ) from error
            plain.append(ImportFile(re.sub(r"\.gz$", "", file.name), content))
        elif content.startswith(ZIP_MAGIC):
            try:
                with zipfile.ZipFile(io.BytesIO(content)) as archive:
                    for info in archive.infolist():
                        if not info.is_dir() and info.filename.lower().endswith(".csv"):
                            plain.append(ImportFile(info.filename, archive.read(info)))
            except zipfile.BadZipFile as error:
                raise ImportRejected(
                    [ImportProblem(None, "", f"not a readable zip file ({error})", file=file.name)]
                ) from error
        else:
            plain.append(file)
    return plain


def decode(file: ImportFile) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), else Windows-1252."""
    try:
        return file.content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return file.content.decode("cp1252", errors="replace")


def header_key(name: str) -> str:
    """A column name compared loosely: "Financial Year" matches "financial_year"."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().casefold()).strip("_")


@dataclass(frozen=True)
class CsvTable:
    file: str
    columns: dict[str, int]  # header_key → position
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number, cells)

    def has(self, *keys: str) -> bool:
        return all(key in self.columns for key in keys)

    def name(self, key: str) -> str:
        """The column's name as the file writes it."""
        position = self.columns.get(key)
        return self.header[position].strip() if position is not None else key


def read_csv(file: ImportFile) -> CsvTable:
    text = decode(file)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected([ImportProblem(1, "", "the file is empty", file=file.name)]) from None
    except csv.Error as error:
        raise ImportRejected(
            [ImportProblem(1, "", f"not a CSV file ({error})", file=file.name)]
        ) from None
    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        columns.setdefault(header_key(name), position)
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise ImportRejected(
            [ImportProblem(reader.line_num, "", f"unreadable CSV ({error})", file=file.name)]
        ) from None
    return CsvTable(file=file.name, columns=columns, header=header, rows=rows)


def cell(cells: list[str], position: int) -> str:
    return cells[position].strip() if position < len(cells) else ""


_INTEGER = re.compile(r"^[+-]?\d+(\.0*)?$")


def parse_count(text: str) -> int:
    """A count as published: " 12", "-00", "1,234" and "12.0" are all read; "12.5" is not."""
    if "_" not in text:
        try:
            return int(text)  # the usual case; int() itself allows spaces, a sign and "-00"
        except ValueError:
            pass
    value = text.strip().replace(",", "")
    if not value:
        raise ValueError("missing number")
    if not _INTEGER.match(value):
        raise ValueError("not a whole number")
    return int(value.split(".")[0])


class Row:
    """One row of a table, its cells by header key, and a way to report a problem in it."""

    __slots__ = ("_problems", "_table", "cells", "line", "ok")

    def __init__(self, table: CsvTable, line: int, cells: dict[str, str], problems: Problems):
        self._table = table
        self._problems = problems
        self.line = line
        self.cells = cells
        self.ok = True

    def __getitem__(self, key: str) -> str:
        return self.cells[key]

    def problem(self, key: str, reason: str, value: str | None = None) -> None:
        self.ok = False
        self._problems.add(
            line=self.line,
            column=self._table.name(key) if key else "",
            reason=reason,
            value=self.cells.get(key, "") if value is None else value,
            file=self._table.file,
        )


def rows_iter(table: CsvTable, keys: Sequence[str], problems: Problems) -> Iterator[Row]:
    """Each row with its stripped cells for the given header keys."""
    positions = [(key, table.columns[key]) for key in keys]
    for line, cells in table.rows:
        yield Row(
            table, line, {key: cell(cells, position) for key, position in positions}, problems
        )


# An import works out what would change against the figures held, then writes; two imports at
# once would plan against the same figures and collide. They take turns: PostgreSQL through a
# transaction-scoped advisory lock, SQLite through its single writer (transactions there begin
# IMMEDIATE, see settings).
IMPORT_LOCK_KEY = 0x5C2071  # any constant shared by every import


@contextmanager
def one_import_at_a_time() -> Iterator[None]:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        yield
