import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from weerbaar.organisations.models import Municipality
from weerbaar.organisations.reference import load_reference_data
from weerbaar.signals.generator import generate
from weerbaar.signals.taxonomy import load_phenomena


class Command(BaseCommand):
    help = "Maakt synthetische (fictieve) signalen aan voor demo's op schaal en benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--aantal", dest="count", type=int, default=10000)
        parser.add_argument(
            "--alle-gemeenten",
            dest="all_municipalities",
            action="store_true",
            help="Over alle 342 gemeenten (anders de deelnemende)",
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(
        self, *args: Any, count: int, all_municipalities: bool, seed: int, **options: Any
    ) -> None:
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError("Synthetische gegevens horen niet in een productie-installatie.")
        load_reference_data()
        load_phenomena()
        municipalities = list(
            Municipality.objects.all()
            if all_municipalities
            else Municipality.objects.filter(is_participating=True)
        )
        if not municipalities:
            raise CommandError("Geen gemeenten: gebruik --alle-gemeenten of laad eerst de demo.")
        start = time.perf_counter()
        result = generate(count, municipalities=municipalities, seed=seed)
        seconds = time.perf_counter() - start
        self.stdout.write(
            f"{result.signals} signalen en {result.subjects} betrokkenen aangemaakt in {seconds:.0f} s."
        )
