from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "weerbaar.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the read-gate system check)
