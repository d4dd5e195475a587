from pathlib import Path

from django.core.management.base import BaseCommand

from meetings.selectors.archive import export_archive


class Command(BaseCommand):
    help = (
        "Write the whole installation (database and stored PDFs) to a zip archive that "
        "import_archive restores into an empty database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The archive to write, e.g. backup.zip")

    def handle(self, *args, file: Path, **options) -> None:
        summary = export_archive(file)
        self.stdout.write(f"Wrote {summary.objects} records and {summary.files} files to {file}.")
