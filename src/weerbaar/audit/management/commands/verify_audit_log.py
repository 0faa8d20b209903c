from typing import Any

from django.core.management.base import BaseCommand, CommandError

from weerbaar.audit.verify import verify_all


class Command(BaseCommand):
    help = "Controleert de hash-ketens van het auditlog (elke regel verwijst naar de vorige)."

    def handle(self, *args: Any, **options: Any) -> None:
        reports = verify_all()
        broken = 0
        for report in reports:
            if report.ok:
                self.stdout.write(f"keten {report.key}: {report.entries} regels, in orde")
            else:
                broken += 1
                self.stdout.write(
                    self.style.ERROR(f"keten {report.key}: {report.entries} regels, NIET in orde")
                )
                for problem in report.problems:
                    self.stdout.write(f"  - {problem}")
        if broken:
            raise CommandError(f"{broken} van de {len(reports)} ketens zijn niet in orde.")
        self.stdout.write(self.style.SUCCESS(f"Alle {len(reports)} ketens zijn in orde."))
