from django.core.management.base import BaseCommand

from meetings import demo
from performance.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Load the demo installation: the reference meeting of 23 December 2013, a user for "
        "each role and the real performance data. Safe to run again: nothing is duplicated. "
        "With --published the reference meeting is reconciled, signed and published as its "
        "2013 note was; without, it stays a draft to take through sign-off yourself."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--published",
            action="store_true",
            help="Take the reference meeting through sign-off and publish it.",
        )

    def handle(self, *args, published: bool = False, **options) -> None:
        meeting, created = demo.load_reference_meeting()
        self.stdout.write(
            f"{'Loaded' if created else 'Already loaded'}: {meeting} (id {meeting.pk})."
        )
        self.stdout.write("\nPerformance data (Home Office crime, ONS populations, peer groups):")
        for line in reference_data_load():
            self.stdout.write(f"  {line}")
        users = demo.load_demo_users()
        september = demo.load_september_meeting()
        if demo.load_reference_scrutiny(meeting):
            self.stdout.write(
                f"\nException reports, action plans and aims of the reference note added; "
                f"the earlier meeting of the series: {september}."
            )
        if published:
            if demo.publish_reference_meeting(meeting):
                self.stdout.write(
                    f"\nThe reference meeting is reconciled, signed by the Chief Executive and "
                    f"published: /notes/{meeting.pk}/"
                )
            else:
                self.stdout.write("\nThe reference meeting is already signed.")
        self.stdout.write("\nDemo sign-ins (for trying the portal only, never in production):")
        width = max(len(user.username) for user in users)
        for user in users:
            self.stdout.write(
                f"  {user.username:<{width}}  password: {user.password:<30} {user.description}"
            )
