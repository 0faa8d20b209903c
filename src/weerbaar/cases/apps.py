from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "weerbaar.cases"
    label = "cases"
    verbose_name = "Casussen"

    def ready(self) -> None:
        from datetime import timedelta

        from weerbaar.core.schedule import PeriodicJob, register
        from weerbaar.signals.hits import RELATED_FINDERS

        from .hits import related_cases
        from .reminders import overdue_task_reminders
        from .retention import purge_expired_cases

        register(PeriodicJob("purge_expired_cases", timedelta(days=1), purge_expired_cases))
        RELATED_FINDERS.append(related_cases)
        register(PeriodicJob("case_task_reminders", timedelta(hours=1), overdue_task_reminders))
