from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "weerbaar.inspections"
    label = "inspections"
    verbose_name = "Integrale controles"

    def ready(self) -> None:
        from datetime import timedelta

        from weerbaar.cases.sections import register as register_case_section
        from weerbaar.core.schedule import PeriodicJob, register
        from weerbaar.signals.hits import RELATED_FINDERS

        from .hits import case_section, related_inspections
        from .retention import purge_expired_inspections

        RELATED_FINDERS.append(related_inspections)
        register_case_section(case_section)
        register(
            PeriodicJob("purge_expired_inspections", timedelta(days=1), purge_expired_inspections)
        )
