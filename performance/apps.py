from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import services

        services.connect_data_version()
