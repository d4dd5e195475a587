"""What every importer shares: the files given, CSV reading, value parsing, problems, turns.

An import reads the whole file first, as a stream, and collects every problem; only a file
without any problem is applied. Reading and checking happen outside any transaction; only
applying writes, in one short transaction, so that a long file never holds up other people's
saves. Imports take turns with each other (``import_turn``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import connection

from .streams import ExpansionLimits, PlainFile, StreamProblem, plain_files

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux: imports take turns within a process
    fcntl = None


@dataclass(frozen=True)
class ImportFile:
    """One file given to an importer: its name, and where its bytes are read from as a
    stream (``content`` in memory, or ``opener``: a file on disk, a stored upload)."""

    name: str
    content: bytes = b""
    opener: Callable[[], BinaryIO] | None = field(default=None, compare=False, repr=False)

    def open(self) -> BinaryIO:
        return self.opener() if self.opener is not None else io.BytesIO(self.content)

    @classmethod
    def from_path(cls, path: str | Path) -> ImportFile:
        path = Path(path)
        return cls(name=path.name, opener=lambda: path.open("rb"))

    @classmethod
    def from_storage(cls, *, name: str, stored_name: str, storage) -> ImportFile:
        """A file kept in a Django storage under ``stored_name``, given as ``name``."""
        return cls(name=name, opener=lambda: storage.open(stored_name, "rb"))


def files_sha256(files: Sequence[ImportFile]) -> str:
    """One digest of the files, whatever their order (read in chunks, never whole)."""
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda f: f.name):
        each = hashlib.sha256()
        with file.open() as stream:
            while chunk := stream.read(1024 * 1024):
                each.update(chunk)
        digest.update(each.digest())
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
    """The file has problems; nothing was imported. ``problems`` lists the first
    ``PROBLEMS_KEPT``; ``count`` says how many were found in all."""

    def __init__(self, problems: Sequence[ImportProblem], count: int | None = None):
        self.problems = list(problems)
        self.count = max(count or 0, len(self.problems))
        super().__init__(f"{self.count} problem(s); nothing was imported.")


# Every problem is counted; the first ones are kept to be listed (a file of millions of bad
# rows must not make millions of problems in memory). The upload page shows the first 500.
PROBLEMS_KEPT = 1000


@dataclass
class Problems:
    """Collects problems as rows are read."""

    items: list[ImportProblem] = field(default_factory=list)
    count: int = 0

    def add(
        self,
        *,
        line: int | None,
        column: str,
        reason: str,
        value: str = "",
        file: str = "",
        fatal: bool = False,
    ) -> None:
        """Record a problem; a ``fatal`` one (reading stops there) is kept even past the cap."""
        self.count += 1
        if len(self.items) < PROBLEMS_KEPT or fatal:
            self.items.append(
                ImportProblem(line=line, column=column, reason=reason, value=value[:100], file=file)
            )

    def add_stream_problem(self, problem: StreamProblem) -> None:
        self.add(line=problem.line, column="", reason=problem.reason, file=problem.file, fatal=True)

    def __bool__(self) -> bool:
        return bool(self.count)

    def rejected(self) -> ImportRejected:
        return ImportRejected(self.items, self.count)

    def raise_if_any(self) -> None:
        if self.count:
            raise self.rejected()


def figures_limit() -> int:
    """How many distinct figures (or rows checked for repeats) an import may hold."""
    return settings.IMPORT_MAX_FIGURES


def too_many_figures(problems: Problems, *, file: str, line: int | None) -> ImportRejected:
    """Reading stops: the file gives more figures than an import holds in memory."""
    problems.add(
        line=line,
        column="",
        file=file,
        reason=f"gives more than {figures_limit():,} figures, the most one import reads "
        "(IMPORT_MAX_FIGURES)",
        fatal=True,
    )
    return problems.rejected()


def expand(files: Sequence[ImportFile], problems: Problems) -> Iterator[PlainFile]:
    """The plain files to read, one at a time: gzip files gunzipped and the CSV files in zip
    archives, expanded as they are read within the limits of ``streams``."""
    limits = ExpansionLimits.from_settings()
    for file in files:
        try:
            yield from plain_files(file.name, file.open, limits=limits, wanted=_is_csv)
        except StreamProblem as problem:
            problems.add_stream_problem(problem)
            raise problems.rejected() from None


def _is_csv(name: str) -> bool:
    return name.lower().endswith(".csv")


def header_key(name: str) -> str:
    """A column name compared loosely: "Financial Year" matches "financial_year"."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().casefold()).strip("_")


@dataclass
class CsvTable:
    """A CSV file's header, and its rows as they are read (once: the file is a stream)."""

    file: str
    columns: dict[str, int]  # header_key → position
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (line number, cells), blank lines left out

    def has(self, *keys: str) -> bool:
        return all(key in self.columns for key in keys)

    def name(self, key: str) -> str:
        """The column's name as the file writes it."""
        position = self.columns.get(key)
        return self.header[position].strip() if position is not None else key


def read_csv(file: PlainFile, problems: Problems) -> CsvTable:
    """The file's header; its rows are read as the table's ``rows`` are iterated. A file that
    cannot be read to the end (damaged, over a limit, not CSV) stops the import there, with
    the problems found so far."""
    reader = csv.reader(file.lines())

    def stop(line: int | None, reason: str) -> ImportRejected:
        problems.add(line=line, column="", reason=reason, file=file.name, fatal=True)
        return problems.rejected()

    try:
        header = next(reader)
    except StopIteration:
        raise stop(1, "the file is empty") from None
    except csv.Error as error:
        raise stop(1, f"not a CSV file ({error})") from None
    except StreamProblem as problem:
        problems.add_stream_problem(problem)
        raise problems.rejected() from None
    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        columns.setdefault(header_key(name), position)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for cells in reader:
                if any(map(str.strip, cells)):
                    yield reader.line_num, cells
        except csv.Error as error:
            raise stop(reader.line_num, f"unreadable CSV ({error})") from None
        except StreamProblem as problem:
            problems.add_stream_problem(problem)
            raise problems.rejected() from None

    return CsvTable(file=file.name, columns=columns, header=header, rows=rows())


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


# Checked here the same on every database: PostgreSQL refuses a value its column cannot hold
# (half-way through the write), SQLite stores any length and any 64-bit integer.
def max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def integer_range(model, name: str) -> tuple[int, int]:
    """The values an integer column holds on PostgreSQL (Django's standard ranges)."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    field_type = model._meta.get_field(name).get_internal_type()
    return BaseDatabaseOperations.integer_field_ranges[field_type]


def parse_stored_count(text: str, bounds: tuple[int, int]) -> int:
    """``parse_count``, refusing a number its column cannot hold."""
    value = parse_count(text)
    low, high = bounds
    if not low <= value <= high:
        raise ValueError(f"out of range: the figure must be from {low:,} to {high:,}")
    return value


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

    def fits(self, key: str, length: int) -> bool:
        """Whether the cell fits a column of ``length`` characters (a problem if not)."""
        if len(self.cells[key]) <= length:
            return True
        self.problem(key, f"longer than {length} characters ({len(self.cells[key])})")
        return False


def rows_iter(table: CsvTable, keys: Sequence[str], problems: Problems) -> Iterator[Row]:
    """Each row with its stripped cells for the given header keys."""
    positions = [(key, table.columns[key]) for key in keys]
    for line, cells in table.rows:
        yield Row(
            table, line, {key: cell(cells, position) for key, position in positions}, problems
        )


def option_problems(**values: tuple[str, int]) -> None:
    """Refuse options (a release label, a vintage) longer than the column they go to."""
    problems = Problems()
    for what, (value, length) in values.items():
        if len(value) > length:
            problems.add(
                line=None,
                column="",
                reason=f"the {what.replace('_', ' ')} is longer than {length} characters "
                f"({len(value)})",
                value=value,
            )
    problems.raise_if_any()


# Turns ---------------------------------------------------------------------------------------

# An import works out what would change against the figures held, then writes; two imports at
# once would plan against the same figures and collide. They take turns, without holding a
# transaction (other people's saves go on meanwhile): on PostgreSQL through a session-level
# advisory lock, on SQLite through an exclusive lock on a file beside the database (every
# process using a SQLite database is on its machine).
IMPORT_LOCK_KEY = 0x5C2071  # any constant shared by every import
_turns = threading.local()
_in_memory_turn = threading.Lock()


@contextmanager
def import_turn() -> Iterator[None]:
    """Wait for this import's turn; another import waits until this one has finished."""
    if getattr(_turns, "depth", 0):
        _turns.depth += 1
        try:
            yield
        finally:
            _turns.depth -= 1
        return
    with _database_turn():
        _turns.depth = 1
        try:
            yield
        finally:
            _turns.depth = 0


@contextmanager
def _database_turn() -> Iterator[None]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK_KEY])
    elif connection.vendor == "sqlite" and not connection.is_in_memory_db() and fcntl:
        path = Path(f"{connection.settings_dict['NAME']}.import-lock")
        with path.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    else:
        with _in_memory_turn:
            yield
