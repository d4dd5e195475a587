from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import roles
        from .models import guards
        from .services import queues

        guards.connect()
        roles.connect_permissions_cache()
        queues.connect_queues_cache()
        # After this app's migrations (and the permissions Django creates for them), the roles'
        # groups are made to match the table in roles.py.
        post_migrate.connect(roles.groups_sync, sender=self, dispatch_uid="meetings-roles-sync")
