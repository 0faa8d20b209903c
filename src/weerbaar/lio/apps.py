from django.apps import AppConfig


class LioConfig(AppConfig):
    name = "weerbaar.lio"
    label = "lio"
    verbose_name = "Lokaal informatieoverleg"
