from django.core.management.base import BaseCommand

from ...importers import ImportRejected
from ...importers.population import population_import
from ._output import read_files, reject


class Command(BaseCommand):
    help = (
        "Import mid-year population by police force area: rows of force code (or name), year, "
        "population, or one row per force with a column per year (Mid-2011, …). A population "
        "already held for a force and year is replaced, and the change reported."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--vintage",
            default="",
            help='The edition of the estimates, e.g. "ONS MYE23 (July 2024)". Defaults to the '
            "file name.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would change.")

    def handle(self, *args, **options) -> None:
        files = read_files(options["files"])
        try:
            release, description = population_import(
                files=files,
                vintage=options["vintage"] or ", ".join(file.name for file in files),
                dry_run=options["dry_run"],
            )
        except ImportRejected as rejected:
            raise reject(self, rejected) from None
        prefix = (
            "Would import" if options["dry_run"] else "Imported" if release else "Nothing changed"
        )
        self.stdout.write(f"{prefix}: {description}")
