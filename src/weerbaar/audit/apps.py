from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "weerbaar.audit"
    label = "audit"
    verbose_name = "Auditlog"
