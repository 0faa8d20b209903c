import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from weerbaar.cases.generator import generate
from weerbaar.organisations.models import Municipality


class Command(BaseCommand):
    help = (
        "Maakt synthetische (fictieve) casussen aan uit bestaande signalen, voor demo's op "
        "schaal en benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--aantal", dest="count", type=int, default=1000)
        parser.add_argument(
            "--gemeente",
            dest="codes",
            action="append",
            default=[],
            help="CBS-code (GM0590); herhaal voor meer. Standaard: alle gemeenten met signalen.",
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, count: int, codes: list[str], seed: int, **options: Any) -> None:
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError("Synthetische gegevens horen niet in een productie-installatie.")
        municipalities = None
        if codes:
            municipalities = list(
                Municipality.objects.filter(code__in=codes).select_related("region")
            )
            if len(municipalities) != len(set(codes)):
                raise CommandError("Onbekende gemeentecode.")
        start = time.perf_counter()
        try:
            result = generate(count, municipalities=municipalities, seed=seed)
        except ValueError as exc:
            raise CommandError(
                "Geen signalen: maak eerst signalen aan (generate-signals)."
            ) from exc
        seconds = time.perf_counter() - start
        self.stdout.write(
            f"{result.cases} casussen aangemaakt met {result.subjects} betrokkenen, "
            f"{result.tasks} taken en {result.partners} partners, in {seconds:.0f} s."
        )
