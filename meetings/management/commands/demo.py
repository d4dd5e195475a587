from django.core.management.base import BaseCommand

from meetings import demo
from performance.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Load the demo installation: the reference meeting of 23 December 2013, a user for "
        "each role, the real performance data and an illustrative second body. Safe to run "
        "again: nothing is duplicated."
    )

    def handle(self, *args, **options) -> None:
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
        january, march = demo.load_illustrative_board()
        self.stdout.write(
            f"\nA second body, {demo.BOARD_NAME}: {january} (signed) and {march} (draft)."
        )
        self.stdout.write("\nDemo sign-ins (for trying the portal only, never in production):")
        width = max(len(user.username) for user in users)
        for user in users:
            self.stdout.write(
                f"  {user.username:<{width}}  password: {user.password:<30} {user.description}"
            )
