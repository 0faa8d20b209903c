from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "weerbaar.registry"
    label = "registry"
    verbose_name = "Registers (KvK en BAG)"
