import json

from django.core.management.base import BaseCommand, CommandError

from ...exports import comparison_csv, comparison_table
from ...periods import Period
from ...selectors.comparison import comparison_build
from ...selectors.reference import force_find


class Command(BaseCommand):
    help = (
        "Compare a force with its most similar group and all forces for the 12 months ending "
        "in a month, every category: count, rate per 1,000, group rate, ranks, worst 10% "
        "(red), change on the previous 12 months, significance."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", required=True, help='Name or ONS code, e.g. "Lancashire".')
        parser.add_argument("--period", required=True, help="End month, YYYY-MM, e.g. 2013-09.")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args, **options) -> None:
        force = force_find(options["force"])
        if force is None:
            raise CommandError(f"Unknown force {options['force']!r}.")
        try:
            period = Period.parse(options["period"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        comparison = comparison_build(force=force, period=period)
        if options["format"] == "json":
            self.stdout.write(json.dumps(comparison.to_dict(), indent=2))
        elif options["format"] == "csv":
            self.stdout.write(comparison_csv(comparison), ending="")
        else:
            self.stdout.write(comparison_table(comparison), ending="")
