from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "weerbaar.entities"
    label = "entities"
    verbose_name = "Entiteiten"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from weerbaar.cases import sections
        from weerbaar.cases.models import CaseSubject
        from weerbaar.registry.importing import hooks
        from weerbaar.signals import panels
        from weerbaar.signals.models import Subject

        from .index import after_import
        from .panels import case_section, signal_panel
        from .receivers import subject_saved

        panels.register(signal_panel)
        if after_import not in hooks.AFTER_IMPORT:
            hooks.AFTER_IMPORT.append(after_import)
        if case_section not in sections.SECTIONS:
            sections.register(case_section)
        for model in (Subject, CaseSubject):
            post_save.connect(subject_saved, sender=model, dispatch_uid=f"link-{model.__name__}")
