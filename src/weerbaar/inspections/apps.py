from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "weerbaar.inspections"
    label = "inspections"
    verbose_name = "Integrale controles"

    def ready(self) -> None:
        from weerbaar.cases.sections import register as register_case_section
        from weerbaar.signals.hits import RELATED_FINDERS

        from .hits import case_section, related_inspections

        RELATED_FINDERS.append(related_inspections)
        register_case_section(case_section)
