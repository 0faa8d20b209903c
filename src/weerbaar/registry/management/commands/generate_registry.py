from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from weerbaar.registry.generator.person_records import generate_person_records
from weerbaar.registry.generator.run import generate_registry, number
from weerbaar.registry.generator.update import generate_update


class Command(BaseCommand):
    help = (
        "Maakt fictieve KvK- en BAG-bestanden (met grondwaarheid) voor demo's, tests en "
        "benchmarks. Zie docs/registry-generator.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="Map voor de bestanden")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--all", action="store_true", help="Heel Nederland (342 gemeenten)")
        scope.add_argument(
            "--municipalities",
            help="Gemeentecodes, komma-gescheiden (bijvoorbeeld GM0590,GM0505)",
        )
        parser.add_argument("--companies", type=int, help="Totaal aantal inschrijvingen")
        parser.add_argument("--addresses", type=int, help="Totaal aantal adressen")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--peildatum",
            type=date.fromisoformat,
            help="Datum van het uittreksel (JJJJ-MM-DD); standaard 2026-11-01",
        )
        parser.add_argument(
            "--from",
            dest="source",
            help="Maak een nieuwer uittreksel van een eerder gegenereerde map",
        )
        parser.add_argument(
            "--persons",
            type=int,
            help="Maak in plaats daarvan een ontdubbelset van N persoonsrecords",
        )
        parser.add_argument("--queries", type=int, default=1200, help="Aantal zoekvragen")
        parser.add_argument(
            "--workers", type=int, default=2, help="Processen naast elkaar (1 of 2)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError("Synthetische gegevens horen niet in een productie-installatie.")
        out = Path(options["out"])
        if out.exists() and any(out.iterdir()):
            raise CommandError(f"De map {out} is niet leeg.")
        out.mkdir(parents=True, exist_ok=True)
        if options["persons"] is not None:
            self._persons(out, options)
        elif options["source"]:
            self._update(out, Path(options["source"]), options)
        else:
            self._registry(out, options)

    def _codes(self, options: dict[str, Any]) -> list[str] | None:
        if options["all"]:
            return None
        if not options["municipalities"]:
            raise CommandError("Kies --all of --municipalities GM0590,GM0505,...")
        codes = [c.strip().upper() for c in options["municipalities"].split(",") if c.strip()]
        return [c if c.startswith("GM") else f"GM{c.zfill(4)}" for c in codes]

    def _registry(self, out: Path, options: dict[str, Any]) -> None:
        for name in ("companies", "addresses"):
            if options[name] is not None and options[name] < 1:
                raise CommandError(f"--{name} moet minstens 1 zijn.")
        try:
            result = generate_registry(
                out,
                self._codes(options),
                addresses=options["addresses"],
                companies=options["companies"],
                seed=options["seed"],
                peildatum=options["peildatum"] or date(2026, 11, 1),
                queries=options["queries"],
                workers=options["workers"],
                progress=self.stdout.write,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{number(result.addresses)} adressen, {number(result.companies)} inschrijvingen, "
                f"{number(result.officers)} functionarissen ({number(result.persons)} personen) en "
                f"{number(result.queries)} zoekvragen geschreven naar {out} "
                f"in {result.seconds:.0f} s."
            )
        )

    def _update(self, out: Path, source: Path, options: dict[str, Any]) -> None:
        if not (source / "truth" / "generator.json").exists():
            raise CommandError(f"{source} is geen map van generate-registry.")
        result = generate_update(
            source, out, peildatum=options["peildatum"], progress=self.stdout.write
        )
        self.stdout.write(self.style.SUCCESS(result.summary()))

    def _persons(self, out: Path, options: dict[str, Any]) -> None:
        if options["persons"] < 1:
            raise CommandError("--persons moet minstens 1 zijn.")
        result = generate_person_records(out, options["persons"], seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{number(result.records)} persoonsrecords van {number(result.persons)} "
                f"personen geschreven naar {out} in {result.seconds:.1f} s."
            )
        )
