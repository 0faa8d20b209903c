"""The shared body of ``weerbaar import-kvk`` and ``weerbaar import-bag``."""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from weerbaar.audit.log import Target, record
from weerbaar.audit.models import Action

from ..models import RegistryImport
from .hooks import HookFailed
from .reading import ImportRefused, Source, inspect
from .runner import ImportFailed, number, run_import

PROBLEMS_SHOWN = 20


def _extract_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("een peildatum is JJJJ-MM-DD, bijv. 2026-11-01") from exc


class ImportCommand(BaseCommand):
    kind: RegistryImport.Kind
    files_help: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help=self.files_help)
        parser.add_argument(
            "--mutaties",
            action="store_true",
            help="Het bestand bevat alleen wijzigingen: wat er niet in staat, blijft zoals het "
            "was (standaard: een volledig extract, en wat ontbreekt is opgeheven of vervallen).",
        )
        parser.add_argument(
            "--peildatum", type=_extract_date, help="Datum van het extract (JJJJ-MM-DD)"
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Toon de voortgang ook als de uitvoer geen terminal is",
        )

    def handle(
        self,
        *args: Any,
        files: list[Path],
        mutaties: bool,
        peildatum: date | None,
        progress: bool,
        **options: Any,
    ) -> None:
        try:  # every file is checked before the first one is imported
            sources = [inspect(path, self.kind) for path in files]
        except ImportRefused as exc:
            self._log_refusal(files, exc)
            raise CommandError(f"Niets geïmporteerd. {exc}") from exc
        for source in sources:
            started = time.monotonic()
            try:
                run = run_import(
                    source,
                    delta=mutaties,
                    extract_date=peildatum,
                    progress=progress or self.stdout.isatty(),
                    say=self.stdout.write,
                    trace=int(options["verbosity"]) >= 2,
                )
            except ImportRefused as exc:
                self._log_refusal([source.path], exc)
                raise CommandError(f"{source.path.name}: import mislukt. {exc}") from exc
            except ImportFailed as exc:
                raise CommandError(f"{source.path.name}: import mislukt. {exc}") from exc
            except HookFailed as exc:
                raise CommandError(f"{source.path.name}: {exc}") from exc
            self._report(source, run, time.monotonic() - started, full=not mutaties)

    def _log_refusal(self, files: list[Path], exc: ImportRefused) -> None:
        """A refused file leaves no import run, but the attempt is in the audit log."""
        record(
            Action.IMPORT,
            actor=None,
            actor_label=f"import-{self.kind}",
            obj=Target(RegistryImport._meta.label, "", ", ".join(p.name for p in files)[:200]),
            detail={"refused": str(exc)[:1000], "files": [str(p)[-500:] for p in files]},
        )

    def _report(self, source: Source, run: RegistryImport, seconds: float, *, full: bool) -> None:
        extract = "volledig extract" if full else "mutaties"
        parts = [
            f"{number(run.rows_read)} gelezen",
            f"{number(run.inserted)} nieuw",
            f"{number(run.updated)} gewijzigd",
            f"{number(run.unchanged)} ongewijzigd",
            f"{number(run.ended)} {source.dataset.ended_label}",
            f"{number(run.rejected)} afgekeurd",
        ]
        self.stdout.write(
            self.style.SUCCESS(
                f"{source.path.name} ({source.dataset.name}, {extract}): "
                + ", ".join(parts)
                + f" ({seconds:.1f} s; registerimport {run.pk})."
            )
        )
        if run.problems:
            shown = run.problems[:PROBLEMS_SHOWN]
            heading = "Afgekeurde regels:"
            if run.rejected > len(shown):
                heading = (
                    f"Afgekeurde regels (de eerste {len(shown)} van {number(run.rejected)}; "
                    f"de eerste {number(len(run.problems))} staan bij registerimport {run.pk}):"
                )
            self.stdout.write(self.style.WARNING(heading))
            for problem in shown:
                self.stdout.write(f"  regel {problem['line']}: {problem['reason']}")
