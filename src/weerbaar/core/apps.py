from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "weerbaar.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from datetime import timedelta

        from . import checks  # noqa: F401  (registers the read-gate system check)
        from .schedule import PeriodicJob, register
        from .tasks import clear_expired_sessions, prune_task_results

        register(PeriodicJob("clear_expired_sessions", timedelta(hours=1), clear_expired_sessions))
        register(PeriodicJob("prune_task_results", timedelta(days=1), prune_task_results))
