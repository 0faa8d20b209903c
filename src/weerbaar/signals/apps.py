from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "weerbaar.signals"
    label = "signals"
    verbose_name = "Signalen"

    def ready(self) -> None:
        from datetime import timedelta

        from weerbaar.core.schedule import PeriodicJob, register

        from .reminders import overdue_reminders
        from .retention import purge_expired_signals

        register(PeriodicJob("purge_expired_signals", timedelta(days=1), purge_expired_signals))
        register(PeriodicJob("signal_overdue_reminders", timedelta(minutes=15), overdue_reminders))
