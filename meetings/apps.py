from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import roles, search_index
        from .models import guards
        from .services import note_versions, queues

        guards.connect()
        roles.connect_permissions_cache()
        queues.connect_queues_cache()
        note_versions.connect_notes_cache()
        # After this app's migrations (and the permissions Django creates for them), the roles'
        # groups are made to match the table in roles.py.
        post_migrate.connect(roles.groups_sync, sender=self, dispatch_uid="meetings-roles-sync")
        # SQLite's full-text index of the notes: its triggers, which a table rebuild drops.
        post_migrate.connect(
            search_index.triggers_ensure, sender=self, dispatch_uid="meetings-search-index"
        )
        post_migrate.connect(
            search_index.sqlite_indexes_ensure, sender=self, dispatch_uid="meetings-sqlite-indexes"
        )
