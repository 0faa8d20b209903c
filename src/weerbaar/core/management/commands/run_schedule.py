import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from weerbaar.core.schedule import run_due_jobs


class Command(BaseCommand):
    help = "Zet periodieke achtergrondtaken die aan de beurt zijn in de wachtrij."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Blijf elke minuut controleren")

    def handle(self, *args: Any, loop: bool = False, **options: Any) -> None:
        while True:
            for name in run_due_jobs():
                self.stdout.write(f"in de wachtrij: {name}")
            if not loop:
                return
            time.sleep(60)
