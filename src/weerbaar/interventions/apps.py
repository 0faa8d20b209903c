from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "weerbaar.interventions"
    label = "interventions"
    verbose_name = "Interventies"

    def ready(self) -> None:
        from datetime import timedelta

        from weerbaar.cases import page_forms
        from weerbaar.cases.sections import SECTIONS, register
        from weerbaar.core.schedule import PeriodicJob
        from weerbaar.core.schedule import register as register_job

        from .reminders import closure_reminders
        from .sections import INTERVENTION_FORM, interventions_section

        register_job(
            PeriodicJob("intervention_closure_reminders", timedelta(hours=1), closure_reminders)
        )
        if interventions_section not in SECTIONS:
            register(interventions_section)
        page_forms.register(INTERVENTION_FORM)
