from django.core.management.base import BaseCommand

from ...services import reference_data_load


class Command(BaseCommand):
    help = (
        "Load the public data the portal ships (performance/data): the 43 forces, the Home "
        "Office offence classification, named combinations, police.uk crime types, mid-year "
        "populations, police recorded crime by quarter and subgroup (April 2012 to June 2023) "
        "and computed peer groups. Safe to run again: it duplicates nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--without-crime", action="store_true", help="Load reference data only, no crime."
        )
        parser.add_argument(
            "--without-peer-groups", action="store_true", help="Do not compute peer groups."
        )

    def handle(self, *args, **options) -> None:
        for line in reference_data_load(
            with_crime=not options["without_crime"],
            with_peer_groups=not options["without_peer_groups"],
        ):
            self.stdout.write(line)
