from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from weerbaar.organisations.boundaries import BoundaryImportError, import_boundaries


class Command(BaseCommand):
    help = (
        "Importeert officiële gebiedsgrenzen (CBS/PDOK-gebiedsindelingen als GeoJSON met "
        "statcode en statnaam) voor gemeenten, provincies of veiligheidsregio's."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="Een of meer GeoJSON-bestanden")
        parser.add_argument(
            "--jaar", dest="year", type=int, help="Jaar van de indeling (anders uit jrstatcode)"
        )

    def handle(self, *args: Any, files: list[Path], year: int | None, **options: Any) -> None:
        for path in files:
            if not path.is_file():
                raise CommandError(f"Bestand niet gevonden: {path}")
            try:
                result = import_boundaries(path, year=year)
            except BoundaryImportError as exc:
                raise CommandError(
                    f"{path.name}: niets geïmporteerd, want:\n- " + "\n- ".join(exc.problems[:50])
                ) from exc
            repaired = (
                f", {len(result.repaired)} hersteld met make_valid" if result.repaired else ""
            )
            self.stdout.write(
                f"{path.name}: {result.created} nieuw, {result.updated} bijgewerkt{repaired}."
            )
