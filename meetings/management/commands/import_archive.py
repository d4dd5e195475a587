from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.services.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_archive into an empty, migrated database. "
        "Every signed note's PDF is checked against the hash recorded when it was signed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The archive to restore")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            summary = import_archive(file)
        except ArchiveError as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        self.stdout.write(
            f"Restored {summary.objects} records and {summary.files} files from {file}; "
            "every stored PDF matches its recorded hash."
        )
