from django.apps import AppConfig


class LioConfig(AppConfig):
    name = "weerbaar.lio"
    label = "lio"
    verbose_name = "Lokaal informatieoverleg"

    def ready(self) -> None:
        from datetime import timedelta

        from weerbaar.core.schedule import PeriodicJob, register

        from .retention import purge_expired_meetings

        register(PeriodicJob("purge_expired_meetings", timedelta(days=1), purge_expired_meetings))
