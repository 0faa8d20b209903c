from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from weerbaar.accounts.models import User
from weerbaar.signals import mma


class Command(BaseCommand):
    help = "Importeert meldingen van Meld Misdaad Anoniem (CSV of JSON, zie docs/mma-import.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--gebruiker", required=True, help="Regisseur of analist namens wie wordt geïmporteerd"
        )

    def handle(self, *args: Any, file: Path, gebruiker: str, **options: Any) -> None:
        user = User.objects.filter(username=gebruiker, is_active=True).first()
        if user is None:
            raise CommandError(f"Onbekende gebruiker: {gebruiker}")
        try:
            rows = mma.parse_file(file.read_bytes(), file.name)
            report = mma.import_rows(user, rows, source=file.name)
        except OSError as exc:
            raise CommandError(f"Bestand niet te lezen: {exc.strerror}") from exc
        except mma.FileProblem as exc:
            raise CommandError(str(exc)) from exc
        except PermissionDenied as exc:
            raise CommandError(
                "Deze gebruiker mag geen meldingen importeren (regisseur of analist)."
            ) from exc
        self.stdout.write(
            f"{len(report.created)} nieuw, {len(report.already_present)} al aanwezig, {len(report.problems)} met fouten."
        )
        for problem in report.problems:
            self.stdout.write(
                f"  regel {problem.row} ({problem.mma_number or '-'}): {' '.join(problem.messages)}"
            )
        if report.problems:
            raise CommandError("Niet alle regels zijn geïmporteerd.")
