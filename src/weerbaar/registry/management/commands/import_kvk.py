from weerbaar.registry.importing.command import ImportCommand
from weerbaar.registry.models import RegistryImport


class Command(ImportCommand):
    help = (
        "Importeert een KvK-extract: kvk_vestigingen of kvk_functionarissen (CSV of Parquet, "
        "herkend aan de kolommen; zie docs/registry.md). Opnieuw importeren verandert niets."
    )
    kind = RegistryImport.Kind.KVK
    files_help = "Een of meer KvK-bestanden (.csv of .parquet)"
