from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "weerbaar.signals"
    label = "signals"
    verbose_name = "Signalen"
