from django.core.management.base import BaseCommand

from meetings import demo


class Command(BaseCommand):
    help = (
        "Load the demo installation: the reference meeting of 23 December 2013 and a user for "
        "each role. Safe to run again: nothing is duplicated."
    )

    def handle(self, *args, **options) -> None:
        meeting, created = demo.load_reference_meeting()
        self.stdout.write(
            f"{'Loaded' if created else 'Already loaded'}: {meeting} (id {meeting.pk})."
        )
        users = demo.load_demo_users()
        self.stdout.write("\nDemo sign-ins (for trying the portal only, never in production):")
        width = max(len(user.username) for user in users)
        for user in users:
            self.stdout.write(
                f"  {user.username:<{width}}  password: {user.password:<30} {user.description}"
            )
