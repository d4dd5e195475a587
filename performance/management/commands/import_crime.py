from django.core.management.base import BaseCommand

from ...importers import ImportRejected
from ...importers.crime import FORMATS, crime_counts_import
from ._output import read_files, reject


class Command(BaseCommand):
    help = (
        "Import crime counts. --format prc: a Home Office police recorded crime open data "
        "table (the long table by offence code, or totals by subgroup); policeuk: police.uk "
        "street-level CSVs or a zip of them; monthly: a force extract with the columns force, "
        "month (YYYY-MM), category, count. A file with any bad row imports nothing; every "
        "problem is listed. Importing the same file again changes nothing; a newer release "
        "replaces the source's figures and says how many changed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--release", default="", help='A label, e.g. "19 October 2023".')
        parser.add_argument(
            "--create-categories",
            action="store_true",
            help="monthly: create force-defined categories for names not yet known.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would change.")

    def handle(self, *args, **options) -> None:
        try:
            result = crime_counts_import(
                format=options["format"],
                files=read_files(options["files"]),
                release_label=options["release"],
                create_categories=options["create_categories"],
                dry_run=options["dry_run"],
            )
        except ImportRejected as rejected:
            raise reject(self, rejected) from None
        prefix = "Would import" if options["dry_run"] else "Imported"
        if not options["dry_run"] and not result.changed_anything:
            prefix = "Nothing changed"
        self.stdout.write(f"{prefix}: {result.description}")
