from django.core.management.base import BaseCommand, CommandError

from ...periods import Period
from ...services import PEER_PROFILE, peer_groups_compute, peer_groups_compute_yearly


class Command(BaseCommand):
    help = (
        "Compute peer groups: each force's nearest forces by crime profile (rates per 1,000 "
        "by offence subgroup, standardised), from one 12-month period or from every complete "
        "financial year. They are labelled as computed, never as Home Office groups, and an "
        "official group entered for the same date is always preferred."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", help="End month of the 12 months, YYYY-MM.")
        parser.add_argument("--size", type=int, help="How many forces (default from settings).")
        parser.add_argument("--profile", default=PEER_PROFILE, help="Category slug.")

    def handle(self, *args, **options) -> None:
        if not options["period"]:
            self.stdout.write(peer_groups_compute_yearly(size=options["size"]))
            return
        try:
            period = Period.parse(options["period"])
            result = peer_groups_compute(
                period=period, size=options["size"], profile=options["profile"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Computed peer groups from the {period.label}, valid from {result.valid_from}: "
            f"{result.created} added, {result.changed} changed, {result.unchanged} unchanged."
        )
