from django.apps import AppConfig


def published_notes_changed(**kwargs) -> None:
    """Bump the ``published`` version now and once the transaction commits: a meeting or a
    body saved, deleted or written in bulk may change which bodies and years have published
    notes (the cached ``selectors.published_note_facets``)."""
    from django.db import transaction

    from scrutiny.cache import version_bump

    version_bump("published")
    transaction.on_commit(lambda: version_bump("published"))


class PublicationConfig(AppConfig):
    name = "publication"
    verbose_name = "Publication"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from meetings.models.bulk import bulk_written

        for name in ("Meeting", "Body"):
            model = apps.get_model("meetings", name)
            post_save.connect(published_notes_changed, sender=model, dispatch_uid=f"pub-{name}")
            post_delete.connect(published_notes_changed, sender=model, dispatch_uid=f"pub-d-{name}")
            bulk_written.connect(
                published_notes_changed, sender=model, dispatch_uid=f"pub-b-{name}"
            )
