from weerbaar.registry.importing.command import ImportCommand
from weerbaar.registry.models import RegistryImport


class Command(ImportCommand):
    help = (
        "Importeert een BAG-extract met adressen (bag_adressen, CSV of Parquet; zie "
        "docs/registry.md). Opnieuw importeren verandert niets."
    )
    kind = RegistryImport.Kind.BAG
    files_help = "Een of meer BAG-bestanden (.csv of .parquet)"
