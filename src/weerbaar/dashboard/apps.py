from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "weerbaar.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"
