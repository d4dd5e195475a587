"""What the import commands share: listing every problem and failing with a clear message."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...importers import ImportFile, ImportRejected


def read_files(paths: list[str]) -> list[ImportFile]:
    missing = [path for path in paths if not Path(path).is_file()]
    if missing:
        raise CommandError("No such file: " + ", ".join(missing))
    return [ImportFile.from_path(path) for path in paths]


def reject(command: BaseCommand, rejected: ImportRejected) -> CommandError:
    """Write every problem to stderr and return the error that ends the command."""
    for problem in rejected.problems:
        command.stderr.write(str(problem))
    listed = len(rejected.problems)
    more = f" (the first {listed} listed)" if rejected.count > listed else ""
    return CommandError(f"{rejected.count} problem(s) found{more}; nothing was imported.")
