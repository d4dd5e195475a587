from django.core.management.base import BaseCommand

from ...importers import ImportRejected
from ...importers.peer_groups import COLUMNS, peer_groups_import
from ._output import read_files, reject


class Command(BaseCommand):
    help = (
        "Import most similar groups as published (e.g. Home Office iQuanta, HMICFRS): one row "
        f"per member with the columns {', '.join(COLUMNS)}. Each force and valid_from is one "
        "group; importing it again replaces its members."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Say what would change.")

    def handle(self, *args, **options) -> None:
        try:
            release, description = peer_groups_import(
                files=read_files(options["files"]), dry_run=options["dry_run"]
            )
        except ImportRejected as rejected:
            raise reject(self, rejected) from None
        prefix = (
            "Would import" if options["dry_run"] else "Imported" if release else "Nothing changed"
        )
        self.stdout.write(f"{prefix}: {description}")
