from typing import Any

from django.core.management.base import BaseCommand

from weerbaar.organisations.reference import load_reference_data


class Command(BaseCommand):
    help = "Laadt de gemeententabel (gemeenten, provincies, veiligheidsregio's, RIEC-regio's)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_reference_data()
        self.stdout.write(
            f"Gemeententabel geladen: {result.created} nieuw, {result.updated} bijgewerkt."
        )
