from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "weerbaar.demo"
    label = "demo"
    verbose_name = "Demo"
