from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "weerbaar.organisations"
    label = "organisations"
    verbose_name = "Organisaties"
