from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "publication"
    verbose_name = "Publication"

    def ready(self) -> None:
        from django.apps import apps

        from meetings.models.bulk import bump_on_writes

        # A meeting or a body saved, deleted or written in bulk may change which bodies and
        # years have published notes (the cached ``selectors.published_note_facets``).
        bump_on_writes("published", [apps.get_model("meetings", n) for n in ("Meeting", "Body")])
